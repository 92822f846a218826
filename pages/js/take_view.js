// The Export page takes the map's latest view (window.__cmView, left by the map's view sync) into the URL,
// then fires the history event on which Streamlit reruns the page. Nothing from the articles is in here.
(function () {
  var v = window.__cmView;
  if (!v || typeof v.center !== "string" || !/^-?[0-9.]+,-?[0-9.]+$/.test(v.center)) return;
  delete window.__cmView;
  var url = new URL(window.location.href);
  if (url.searchParams.get("center") === v.center && url.searchParams.get("zoom") === String(v.zoom)) return;
  url.searchParams.set("center", v.center);
  url.searchParams.set("zoom", String(parseInt(v.zoom, 10)));
  window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  window.dispatchEvent(new PopStateEvent("popstate", {state: window.history.state}));
})();
