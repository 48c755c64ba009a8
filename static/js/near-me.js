// "Usa la mia posizione": fill the near-me form with the browser's position and submit it.
// Progressive enhancement: without JavaScript or geolocation the typed address still works.
document.querySelectorAll("form.near-me").forEach((form) => {
  const button = form.querySelector("[data-near-me]");
  const status = form.querySelector("[data-near-me-status]");
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = button.dataset.waiting || "…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lon.value = position.coords.longitude.toFixed(5);
        form.elements.vicino.value = "";
        form.submit();
      },
      () => {
        status.textContent = button.dataset.denied || "";
      },
      { timeout: 10000, maximumAge: 600000 },
    );
  });
});
