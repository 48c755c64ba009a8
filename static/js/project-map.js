// Small map of a project's places. Markers come from the page itself, so the map works offline;
// tiles come from the configured tile server (none when MAP_TILE_URL is empty).
(function () {
  var el = document.getElementById("project-map");
  if (!el || !window.L) { return; }
  var points = [];
  document.querySelectorAll(".places li[data-lat]").forEach(function (li) {
    var lat = parseFloat(li.dataset.lat), lon = parseFloat(li.dataset.lon);
    if (!isNaN(lat) && !isNaN(lon)) { points.push({lat: lat, lon: lon, name: li.textContent}); }
  });
  if (!points.length) { el.hidden = true; return; }
  var map = L.map(el, {scrollWheelZoom: false});
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, {maxZoom: 18, attribution: el.dataset.attribution}).addTo(map);
  }
  var bounds = [];
  points.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], {radius: 7, weight: 2}).addTo(map).bindTooltip(p.name);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, {maxZoom: 11, padding: [20, 20]});
})();
