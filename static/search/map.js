/* Reports on a Leaflet map, clustered client-side, reloaded with the search form's filters.
 * Regions come from the site itself (shipped data), so the map is useful with no tile server. */
(function () {
  "use strict";
  const element = document.getElementById("report-map");
  const configNode = document.getElementById("map-config");
  if (!element || !configNode) return;
  if (!window.L) {
    element.textContent = element.dataset.unavailable;
    return;
  }
  const config = JSON.parse(configNode.textContent);
  const form = document.getElementById("search-form");
  const map = L.map(element, { preferCanvas: true, minZoom: 4, maxZoom: 18 }).setView([41.9, 12.5], 5);
  L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);

  const colour = (code) => config.colours[code || ""] || config.colours[""];
  let maxCount = 1;
  const regions = L.geoJSON(null, {
    style: (feature) => ({
      color: "#4a5568",
      weight: 1,
      fillColor: "#0b5cad",
      fillOpacity: feature.properties.count ? 0.08 + (0.4 * feature.properties.count) / maxCount : 0.02,
    }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(`${feature.properties.name}: ${feature.properties.count} ${element.dataset.reports}`);
    },
  }).addTo(map);

  const clusterIcon = (cluster) => {
    const counts = {};
    const children = cluster.getAllChildMarkers();
    children.forEach((m) => { counts[m.options.judgement] = (counts[m.options.judgement] || 0) + 1; });
    let start = 0;
    const stops = Object.keys(config.colours).map((code) => {
      const share = (100 * (counts[code] || 0)) / children.length;
      const stop = `${colour(code)} ${start}% ${start + share}%`;
      start += share;
      return stop;
    });
    const size = children.length < 10 ? 30 : children.length < 100 ? 38 : 46;
    const div = document.createElement("div");
    div.className = "report-cluster";
    div.style.cssText = `width:${size}px;height:${size}px;background:conic-gradient(${stops.join(",")})`;
    const label = document.createElement("span");
    label.textContent = children.length;
    div.appendChild(label);
    return L.divIcon({ html: div, className: "", iconSize: [size, size] });
  };
  const markers = L.markerClusterGroup
    ? L.markerClusterGroup({ chunkedLoading: true, iconCreateFunction: clusterIcon, maxClusterRadius: 50 })
    : L.layerGroup();
  map.addLayer(markers);

  const popup = (properties) => {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = config.reportUrl.replace("{id}", encodeURIComponent(properties.id));
    link.textContent = properties.t;
    box.appendChild(link);
    const extra = [config.labels[properties.j], properties.p !== "report" ? element.dataset.approximate : ""];
    const text = extra.filter(Boolean).join(" · ");
    if (text) {
      const meta = document.createElement("p");
      meta.textContent = text;
      box.appendChild(meta);
    }
    return box;
  };

  const filterQuery = () => {
    const params = new URLSearchParams();
    const data = form ? new FormData(form) : new URLSearchParams(window.location.search);
    for (const [key, value] of data.entries()) {
      if (!["ordine", "pagina", "per_pagina"].includes(key) && value !== "") params.append(key, value);
    }
    return params.toString();
  };

  let controller = null;
  let fitted = false;
  const load = async () => {
    if (controller) controller.abort();
    controller = new AbortController();
    const query = filterQuery();
    try {
      const [points, areas] = await Promise.all(
        [config.pointsUrl, config.regionsUrl].map((url) =>
          fetch(`${url}?${query}`, { signal: controller.signal }).then((r) => (r.ok ? r.json() : null)),
        ),
      );
      if (!points || !areas) return;
      maxCount = Math.max(1, ...areas.features.map((f) => f.properties.count));
      regions.clearLayers();
      regions.addData(areas);
      if (!fitted) {
        map.fitBounds(regions.getBounds());
        fitted = true;
      }
      markers.clearLayers();
      const layers = points.features.map((feature) => {
          const [lon, lat] = feature.geometry.coordinates;
          return L.circleMarker([lat, lon], {
            radius: 7, weight: 1, color: "#222", fillColor: colour(feature.properties.j), fillOpacity: 0.9,
            judgement: feature.properties.j || "",
          }).bindPopup(() => popup(feature.properties));
      });
      if (markers.addLayers) markers.addLayers(layers);
      else layers.forEach((layer) => markers.addLayer(layer));
      // What is drawn, for tests and curious readers of the DOM.
      element.dataset.regions = areas.features.length;
      element.dataset.points = points.features.length;
      element.dataset.unjudged = points.features.filter((f) => !f.properties.j).length;
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  };

  if (form) {
    form.addEventListener("change", load);
    form.addEventListener("submit", load);
  }
  window.addEventListener("popstate", load);
  load();
})();
