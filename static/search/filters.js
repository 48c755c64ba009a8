// The search filters on a phone: results first, the filters folded in a panel above them.
// The server renders the panel open (so it works without JavaScript and on wide screens); on a
// narrow screen it is folded unless the reader opened it, also after htmx replaces the results.
(() => {
  const narrow = window.matchMedia("(max-width: 59.99rem)");
  let openedByReader = false;

  const apply = () => {
    const panel = document.getElementById("search-filters");
    if (!panel) return;
    panel.open = !narrow.matches || openedByReader;
  };

  document.addEventListener(
    "toggle",
    (event) => {
      if (event.target.id !== "search-filters") return;
      if (narrow.matches) openedByReader = event.target.open;
      else if (!event.target.open) event.target.open = true; // a column on wide screens, never folded
    },
    true,
  );
  // htmx 4 names its events "htmx:after:settle"; older versions "htmx:afterSettle".
  document.addEventListener("htmx:after:settle", apply);
  document.addEventListener("htmx:afterSettle", apply);
  narrow.addEventListener("change", apply);
  apply();
})();
