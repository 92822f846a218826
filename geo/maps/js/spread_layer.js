// SpreadLayer (geo/maps/elements.py): Many symbols at one point, spread on a spiral around it so each stays visible and clickable: what spiderfy does, done by the server's grouping and a few lines here (MarkerCluster's spiderfy is broken inside streamlit-folium). Spread in screen pixels, so it holds at every zoom.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.spreadLayer = function (parent, o) {
    var d = o.data, styles = o.styles, kind = o.kind;
    var group = L.featureGroup(), renderer = window.CM.renderer, markers = [];
    // Symbols by shape as well as colour (styles[i].shape): drawn on the shared canvas; clicks still
    // hit-test the circle of the same radius.
    var Shape = window.CM.ShapeMarker = window.CM.ShapeMarker || L.CircleMarker.extend({
        _updatePath: function () {
            var corners = {
                triangle: [[0, -1.2], [1.05, 0.75], [-1.05, 0.75]],
                square: [[-0.88, -0.88], [0.88, -0.88], [0.88, 0.88], [-0.88, 0.88]],
                diamond: [[0, -1.25], [1.1, 0], [0, 1.25], [-1.1, 0]],
                "triangle-down": [[0, 1.2], [1.05, -0.75], [-1.05, -0.75]],
                hexagon: [[1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0], [-0.5, -0.87], [0.5, -0.87]]
            }[this.options.shape], r = this._renderer;
            if (!corners || !r._ctx) return L.CircleMarker.prototype._updatePath.call(this);
            if (!r._drawing || this._empty()) return;
            var ctx = r._ctx, p = this._point, size = this._radius;
            ctx.beginPath();
            corners.forEach(function (c, k) {
                var x = p.x + c[0] * size, y = p.y + c[1] * size;
                if (k) { ctx.lineTo(x, y); } else { ctx.moveTo(x, y); }
            });
            ctx.closePath();
            r._fillStroke(ctx, this);
        }
    });
    function offset(slot) {  // a Fermat spiral: even spacing, no overlap
        if (!slot) return [0, 0];
        var a = slot * 2.39996, r = 9 * Math.sqrt(slot);
        return [r * Math.cos(a), r * Math.sin(a)];
    }
    for (var i = 0; i < d.lat.length; i++) {
        var m = new Shape([d.lat[i], d.lon[i]], Object.assign({renderer: renderer, bubblingMouseEvents: false},
                                                            styles[d.style[i]]));
        m.cmIndex = i;
        markers.push(m);
        group.addLayer(m);
    }
    group.bindTooltip(function (layer) { return d.label[layer.cmIndex] || ""; }, {direction: "top"});
    group.on("click", function (e) {
        var i = (e.propagatedFrom || e.sourceTarget || e.layer).cmIndex;
        if (i === undefined) return;
        window.CM.clicked({kind: kind, key: d.key[i], lat: d.lat[i], lon: d.lon[i]});
        window.CM.ring(d.lat[i], d.lon[i], 8);
    });
    function spread() {
        var map = group._map;
        if (!map) return;
        for (var i = 0; i < markers.length; i++) {
            var p = map.latLngToLayerPoint([d.lat[i], d.lon[i]]), o = offset(d.slot[i]);
            markers[i].setLatLng(map.layerPointToLatLng(p.add(L.point(o[0], o[1]))));
        }
    }
    group.on("add", function () { group._map.on("zoomend", spread); spread(); });
    group.on("remove", function (e) { e.target._map && e.target._map.off("zoomend", spread); });
    window.CM.stats.events = d.lat.length;
    parent.addLayer(group);
};
