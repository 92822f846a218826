// Helpers (geo/maps/elements.py): `window.CM`: what the layers share — the click record, controls as layers, panes.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.helpers = function (map, o) {
    var CM = window.CM = window.CM || {};
    if (window.performance && performance.mark) performance.mark("cm-base-start");
    CM.map = map;
    // One canvas for everything clickable: Leaflet hit-tests only the canvas on top, so layers
    // with canvases of their own would hide each other's points from the mouse.
    CM.renderer = map.getRenderer({options: {}});
    CM.stats = CM.stats || {};
    // What was clicked last, for the dashboard (see ViewSync): kind and identifiers only.
    // The dashboard's map frame (pages/mapframe) sends it at once through CM.report.
    CM.clicked = function (info) {
        window.__cmClicked = Object.assign({t: Date.now()}, info);
        if (CM.report) CM.report();
    };
    // The selection ring, drawn at once on a click (the dashboard redraws it with the next data).
    CM.ring = function (lat, lon, radius) {
        if (CM.selectionRing) CM.selectionRing.remove();
        CM.selectionRing = L.circleMarker([lat, lon], {radius: (radius || 8) + 5, color: "#111111", weight: 3,
            fill: false, interactive: false, pane: "cm-selection"}).addTo(map);
    };
    CM.clearRing = function () { if (CM.selectionRing) { CM.selectionRing.remove(); CM.selectionRing = null; } };
    // Work that can wait until the data layers have been painted (the tools): queued, and run once
    // a layer has been seen (PointLayer calls CM.runAfterPaint) or after a second without layers.
    // CM.toolsReady says when it has run. The tools are plugins: where the map's frame loads them
    // after the map (CM.pluginsLoaded, a promise: pages/mapframe), they also wait for those.
    CM.runAfterPaint = function () {
        function run() {
            var queue = CM._afterPaint || []; CM._afterPaint = [];
            queue.forEach(function (f) { try { f(); } catch (e) { console.error(e); } });
            CM.toolsReady = true;
        }
        if (CM.pluginsLoaded) CM.pluginsLoaded.then(run); else run();
    };
    CM.afterPaint = function (fn) {
        if (CM.toolsReady) { fn(); return; }
        (CM._afterPaint = CM._afterPaint || []).push(fn);
        if (CM._afterPaint.length === 1) setTimeout(CM.runAfterPaint, 1000);
    };
    // A control that comes and goes with the feature group it is in.
    CM.ControlLayer = L.Layer.extend({
        initialize: function (control) { this._control = control; },
        onAdd: function (m) { this._control.addTo(m); },
        onRemove: function (m) { m.removeControl(this._control); }
    });
    var panes = o.panes;
    Object.keys(panes).forEach(function (name) {
        if (!map.getPane(name)) {
            var pane = map.createPane(name);
            pane.style.zIndex = panes[name];
            // Only the overlay pane takes clicks: a canvas in a pane above it would swallow them.
            if (name !== "cm-choropleth") { pane.style.pointerEvents = "none"; }
        }
    });
};
