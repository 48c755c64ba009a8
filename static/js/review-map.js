// Small map on the editors' review page: the report's location, the private positions found in its
// photos and the project's places, read from the list on the page (works offline; tiles optional).
(function () {
  var el = document.getElementById("review-map");
  if (!el || !window.L) { return; }
  var styles = {
    report: {radius: 9, weight: 3, color: "#b00020"},
    photo: {radius: 6, weight: 2, color: "#8a6d00"},
    project: {radius: 6, weight: 2, color: "#1f4e8c"}
  };
  var points = [];
  document.querySelectorAll(".review-places li[data-lat]").forEach(function (li) {
    var lat = parseFloat(li.dataset.lat), lon = parseFloat(li.dataset.lon);
    if (!isNaN(lat) && !isNaN(lon)) { points.push({lat: lat, lon: lon, kind: li.dataset.kind, name: li.textContent}); }
  });
  if (!points.length) { el.hidden = true; return; }
  var map = L.map(el, {scrollWheelZoom: false});
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, {maxZoom: 18, attribution: el.dataset.attribution}).addTo(map);
  }
  map.fitBounds(points.map(function (p) { return [p.lat, p.lon]; }), {maxZoom: 15, padding: [20, 20]});
  points.forEach(function (p) {
    var style = L.extend({className: "review-marker-" + p.kind}, styles[p.kind] || styles.project);
    L.circleMarker([p.lat, p.lon], style).addTo(map).bindTooltip(p.name);
  });
})();
