// ViewSync (geo/maps/elements.py): Keeps the page URL's `center` and `zoom` equal to the map's view, without asking Python.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.viewSync = function (map, o) {
    function view() {
        var c = map.getCenter();
        return {lat: Math.round(c.lat * 1e4) / 1e4, lng: Math.round(c.lng * 1e4) / 1e4, zoom: map.getZoom()};
    }
    function writeUrl() {
        try {
            var w = window.parent;
            if (!w || w === window || map._animatingZoom) return;
            var v = view(), url = new URL(w.location.href);
            var center = v.lat.toFixed(4) + "," + v.lng.toFixed(4);
            w.__cmView = {center: center, zoom: v.zoom};  // for the Export page (pages/export.py)
            if (url.searchParams.get("center") === center && url.searchParams.get("zoom") === String(v.zoom)) return;
            url.searchParams.set("center", center);
            url.searchParams.set("zoom", String(v.zoom));
            w.history.replaceState(w.history.state, "", url.pathname + url.search + url.hash);
        } catch (e) { /* not embedded in the dashboard */ }
    }
    map.on("moveend", writeUrl);
    setInterval(writeUrl, 400);
    if (window.performance && performance.mark) performance.mark("cm-base-end");
    var S = window.Streamlit;
    if (S && !S.__cmWrapped) {
        var send = S.setComponentValue;
        S.setComponentValue = function (value) {
            var c = window.__cmClicked;
            var extra = {cm_view: view(), cm_clicked: c && Date.now() - c.t < 3000 ? c : null};
            return send.call(S, Object.assign({}, value, extra));
        };
        S.__cmWrapped = true;
    }
};
