// PointLayer (geo/maps/elements.py): Circles on a shared canvas from column arrays, with tooltips and a click record.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.pointLayer = function (parent, o) {
    var d = o.data, styles = o.styles, kind = o.kind;
    var group = L.featureGroup(), renderer = window.CM.renderer;
    // radius and style: one per point, or one number for all; label: one per point, or made here
    // from the (escaped) name, the key and a common suffix — fewer bytes for 2,000 air bases.
    function at(v, i) { return Array.isArray(v) ? v[i] : v; }
    function label(i) {
        if (d.label) return d.label[i] || "";
        var key = String(d.key[i] || "").replace(/[^A-Za-z0-9-]/g, "");
        return d.name[i] + (key ? " (" + key + ")" : "") + (d.suffix || "");
    }
    for (var i = 0; i < d.lat.length; i++) {
        var m = L.circleMarker([d.lat[i], d.lon[i]], Object.assign({renderer: renderer,
            radius: at(d.radius, i), bubblingMouseEvents: false}, styles[at(d.style, i)]));
        m.cmIndex = i;
        group.addLayer(m);
    }
    // One tooltip and one click handler for the whole group, not one per point.
    group.bindTooltip(function (layer) { return label(layer.cmIndex); }, {direction: "top"});
    group.on("click", function (e) {
        var i = (e.propagatedFrom || e.sourceTarget || e.layer).cmIndex;
        if (i === undefined) return;
        window.CM.clicked({kind: kind, key: d.key[i], lat: d.lat[i], lon: d.lon[i]});
        if (o.selectable) window.CM.ring(d.lat[i], d.lon[i], at(d.radius, i));
        // An exported map has no panel: the point's popup (escaped HTML, geo.maps.html.popup_html) instead.
        if (d.popup) L.popup({maxWidth: 420}).setLatLng([d.lat[i], d.lon[i]]).setContent(d.popup[i]).openOn(group._map);
    });
    var registry = o.registry;
    window.CM.stats[registry] = d.lat.length;
    if (window.performance && performance.mark) {
        performance.mark("cm-layer-" + registry);
        // After the next frame has been painted (rAF runs before it, the timeout after): when the
        // analyst sees the layer. scripts/bench_map.py reads it.
        requestAnimationFrame(function () {
            setTimeout(function () { performance.mark("cm-painted-" + registry); }, 0);
        });
    }
    // After the frame that shows the layer, and after the marks above.
    if (window.CM.runAfterPaint) {
        requestAnimationFrame(function () { setTimeout(function () { setTimeout(window.CM.runAfterPaint, 0); }, 0); });
    }
    window.CM.layers = window.CM.layers || {};
    window.CM.layers[registry] = {group: group, data: d};
    var minZoom = o.min_zoom;
    if (minZoom) {  // shown only from this zoom on (e.g. civil airports)
        var Gate = L.Layer.extend({
            onAdd: function (map) { this._map = map; map.on("zoomend", this._check, this); this._check(); },
            onRemove: function (map) { map.off("zoomend", this._check, this); map.removeLayer(group); },
            _check: function () {
                if (this._map.getZoom() >= minZoom) { this._map.addLayer(group); } else { this._map.removeLayer(group); }
            }
        });
        parent.addLayer(new Gate());
    } else {
        parent.addLayer(group);
    }
    return group;
};
