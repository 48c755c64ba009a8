// Attachments panel: "Usa come posizione del report" fills the page's latitude/longitude fields
// (the guided form's #id_latitude / #id_longitude) with the position read from a photo.
// Without JavaScript the coordinates are shown as text and can be copied by hand.
(function () {
  "use strict";
  if (window.monitoraAttachmentsPanel) { return; }  // the panel (and this script) can be swapped in again
  window.monitoraAttachmentsPanel = true;
  function usePosition(lat, lon) {
    var latField = document.getElementById("id_latitude");
    var lonField = document.getElementById("id_longitude");
    if (!latField || !lonField) { return false; }
    latField.value = lat;
    lonField.value = lon;
    [latField, lonField].forEach(function (el) { el.dispatchEvent(new Event("change", { bubbles: true })); });
    latField.focus();
    return true;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.use-photo-location");
    if (!button) { return; }
    usePosition(button.dataset.lat, button.dataset.lon);
  });
  // htmx uploads announce the position of a new photo; pages may listen to it too.
  document.addEventListener("monitora:photo-location", function (event) {
    var detail = event.detail || {};
    var latField = document.getElementById("id_latitude");
    if (latField && !latField.value && detail.lat !== undefined) { usePosition(detail.lat, detail.lon); }
  });
})();
