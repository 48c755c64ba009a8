// Progressive enhancement only: every page works without JavaScript.
// After htmx swaps a region (e.g. the next page of reports), move focus to its heading so
// keyboard and screen-reader users land on the new content instead of a removed link.
document.addEventListener("htmx:after:settle", (event) => {
  const region = document.getElementById("report-results");
  if (!region || !region.isConnected) return;
  const heading = region.querySelector("[data-focus-after-swap]");
  if (heading) heading.focus();
});
