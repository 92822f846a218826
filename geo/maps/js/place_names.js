// PlaceNames (geo/maps/labels.py): names beside the circles of the most mentioned places in view. After every
// move the places in view are taken most mentioned first; each name goes on the first side of its circle (right,
// left, above, below) where it stays inside the map and overlaps no name already placed, no circle of another
// candidate and no map control; a name that fits nowhere is left out. Names are set with textContent: data,
// never markup. CM.placeNames.shown lists what is named (the tests read it), CM.placeNames.boxes where (the map's
// pixels, {x, y, w, h}), CM.placeNames.circles the candidates' circles in view; the map fires "cmplacenames" when
// they change, and the basemap's town names and the cities' names (basemap_detail.js, zoom_labels.js) give way.
// Whether another layer's name (a basemap town, a city) at container point pt, in box {x, y, w, h} where known,
// would repeat or cover a place on the map: its point inside (or a few pixels from) a place's circle, its box over
// a place's name, or the same name as a named place nearby. Those layers hide such names at every redraw.
window.CM.clashesWithPlaces = function (pt, box, name) {
    var P = window.CM.placeNames, NEAR = 4, SAME = 80;
    if (!P) return false;
    function key(t) { return String(t).normalize("NFD").replace(/[^a-zA-Z]/g, "").toLowerCase(); }
    for (var i = 0; i < P.circles.length; i++) {
        var c = P.circles[i];
        if (Math.hypot(pt.x - c.x, pt.y - c.y) <= c.r + NEAR) return true;
    }
    if (box) {
        for (var j = 0; j < P.boxes.length; j++) {
            var b = P.boxes[j];
            if (box.x < b.x + b.w + 2 && b.x - 2 < box.x + box.w && box.y < b.y + b.h + 2 && b.y - 2 < box.y + box.h)
                return true;
        }
    }
    if (name) {
        var k = key(name);
        for (var m = 0; m < P.at.length; m++) {
            var a = P.at[m];
            if (key(a.name) === k && Math.hypot(pt.x - a.x, pt.y - a.y) <= SAME + a.r) return true;
        }
    }
    return false;
};
window.CM.plugins.placeNames = function (parent, o) {
    var d = o.data, PANE = "cm-place-names", FONT = "600 12px sans-serif", HEIGHT = 15, GAP = 3, EDGE = 2;
    var FIRST = 5;  // the most mentioned places in view: named even where each side covers some circle
    var measure = document.createElement("canvas").getContext("2d");
    measure.font = FONT;
    var widths = {};
    function width(i) {
        if (widths[i] === undefined) widths[i] = Math.ceil(measure.measureText(d.name[i]).width) + 6;
        return widths[i];
    }
    function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }

    var Names = L.Layer.extend({
        onAdd: function (map) {
            this._map = map;
            if (!map.getPane(PANE)) {
                var pane = map.createPane(PANE);
                pane.style.zIndex = 630;  // over the places and events, under the selection ring and tooltips
                pane.style.pointerEvents = "none";
            }
            this._box = L.DomUtil.create("div", "cm-place-names", map.getPane(PANE));
            map.on("moveend resize", this._layout, this);
            map.on("zoomstart", this._hide, this);
            map.on("cmcontrols", this._layout, this);  // the key opened or closed (geo/maps/js/legend.js)
            this._layout();
            // The tools come after the first paint: lay the names out again around them.
            var self = this;
            if (window.CM.afterPaint) window.CM.afterPaint(function () { if (self._map) self._layout(); });
        },
        onRemove: function (map) {
            map.off("moveend resize cmcontrols", this._layout, this);
            map.off("zoomstart", this._hide, this);
            L.DomUtil.remove(this._box);
        },
        _hide: function () { this._box.style.display = "none"; },
        _layout: function () {
            var map = this._map, size = map.getSize(), box = this._box;
            var origin = map.getContainer().getBoundingClientRect();
            var blocked = [];  // the map's controls (tools, key, scale) in the map's pixels
            map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
                var r = c.getBoundingClientRect();
                if (r.width && r.height) blocked.push({x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height});
            });
            var inView = [];
            for (var i = 0; i < d.lat.length; i++) {
                var p = map.latLngToContainerPoint([d.lat[i], d.lon[i]]);
                if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) continue;
                inView.push({i: i, x: p.x, y: p.y, r: d.radius[i]});
            }
            var placed = [], shown = [], at = [];
            box.textContent = "";
            for (var k = 0; k < inView.length && shown.length < o.limit; k++) {
                var c = inView[k], w = width(c.i), h = HEIGHT;
                var spots = [
                    {x: c.x + c.r + GAP, y: c.y - h / 2}, {x: c.x - c.r - GAP - w, y: c.y - h / 2},
                    {x: c.x - w / 2, y: c.y - c.r - GAP - h}, {x: c.x - w / 2, y: c.y + c.r + GAP}
                ];
                // The first side that covers no other circle; for the very first places in view, where every
                // side does, the side that covers fewest (their names matter more than a corner of a circle).
                var best = null, least = Infinity;
                for (var s = 0; s < spots.length && least > 0; s++) {
                    var b = {x: spots[s].x, y: spots[s].y, w: w, h: h};
                    if (b.x < EDGE || b.y < EDGE || b.x + w > size.x - EDGE || b.y + h > size.y - EDGE) continue;
                    if (placed.some(function (q) { return overlaps(b, q); })) continue;
                    if (blocked.some(function (q) { return overlaps(b, q); })) continue;
                    var hits = inView.filter(function (q) {
                        return q !== c && overlaps(b, {x: q.x - q.r + 1, y: q.y - q.r + 1, w: 2 * q.r - 2, h: 2 * q.r - 2});
                    }).length;
                    if (hits < least && (hits === 0 || k < FIRST)) { best = b; least = hits; }
                }
                if (!best) continue;
                placed.push(best);
                var span = L.DomUtil.create("span", "cm-place-name", box);
                span.textContent = d.name[c.i];
                L.DomUtil.setPosition(span, map.containerPointToLayerPoint([best.x, best.y]));
                shown.push(d.name[c.i]);
                at.push({x: c.x, y: c.y, r: c.r, name: d.name[c.i]});
            }
            box.style.display = "";
            // For the layers under the names (the basemap's own town names can leave these boxes free).
            // circles: every candidate's circle in view, named or not; at: where each shown name's place is.
            window.CM.placeNames = {shown: shown, boxes: placed, at: at,
                                    circles: inView.map(function (q) { return {x: q.x, y: q.y, r: q.r}; })};
            map.fire("cmplacenames");
        }
    });
    var layer = new Names();
    parent.addLayer(layer);
    return layer;
};
