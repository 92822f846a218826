// MapKey (geo/maps/legend.py): the key in the map's lower right corner, a control that leaves with its feature
// group. A button opens and closes it; the analyst's choice is kept in the browser (localStorage) for every
// later map. Until one is made, a long key (o.long) or one on a small map starts closed. Open, it is never
// taller than the room between the corner's bottom and the tools in the upper right corner: it scrolls
// within that, so it never covers them. `o.html` is trusted markup (geo/maps/legend.py escapes the labels).
window.CM.plugins.legend = function (parent, o) {
    var STORE = "cm-legend-open", SMALL_W = 640, SMALL_H = 460, GAP = 10, LEAST = 48;
    function remembered() {
        try { var v = window.localStorage.getItem(STORE); return v === null ? null : v === "1"; } catch (e) { return null; }
    }
    function remember(open) {
        try { window.localStorage.setItem(STORE, open ? "1" : "0"); } catch (e) { /* storage refused: not kept */ }
    }
    var control = L.control({position: "bottomright"});
    control.onAdd = function (map) {
        var div = L.DomUtil.create("div", "cm-legend");
        var button = L.DomUtil.create("button", "cm-legend-toggle", div);
        button.type = "button";
        var body = L.DomUtil.create("div", "cm-legend-body", div);
        body.innerHTML = o.html;
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        function show(open) {
            div.classList.toggle("cm-legend-closed", !open);
            button.setAttribute("aria-expanded", open ? "true" : "false");
            button.textContent = open ? "Key ▾" : "Key (" + o.lines + ") ▸";
            button.title = open ? "Hide the key" : "Show the key";
            if (open) requestAnimationFrame(fit);  // once the control is in the page and can be measured
        }
        // The room the upper right tools leave above the corner's bottom edge, less the corner's other
        // controls stacked over the key (the mouse position).
        function fit() {
            var corner = div.parentNode;
            if (!corner) return;
            var tools = map.getContainer().querySelector(".leaflet-top.leaflet-right");
            var top = tools ? tools.getBoundingClientRect().bottom : map.getContainer().getBoundingClientRect().top;
            var box = div.getBoundingClientRect(), above = box.top - corner.getBoundingClientRect().top;
            var room = box.bottom - top - GAP - above - button.offsetHeight;
            body.style.maxHeight = Math.max(room, LEAST) + "px";
        }
        var size = map.getSize(), stored = remembered();
        show(stored !== null ? stored : !(o.long || size.x < SMALL_W || size.y < SMALL_H));
        L.DomEvent.on(button, "click", function () {
            var open = div.classList.contains("cm-legend-closed");
            remember(open);
            show(open);
            requestAnimationFrame(function () { map.fire("cmcontrols"); });  // place names move out of its way
        });
        this._fit = fit;
        map.on("resize", fit);
        // The tools come after the first paint (CM.afterPaint) and the draw toolbar grows when it opens.
        if (window.ResizeObserver) {
            var tools = map.getContainer().querySelector(".leaflet-top.leaflet-right");
            if (tools) { this._watch = new ResizeObserver(fit); this._watch.observe(tools); }
        }
        if (window.CM.afterPaint) window.CM.afterPaint(fit);
        return div;
    };
    control.onRemove = function (map) {
        map.off("resize", this._fit);
        if (this._watch) this._watch.disconnect();
    };
    parent.addLayer(new window.CM.ControlLayer(control));
};
