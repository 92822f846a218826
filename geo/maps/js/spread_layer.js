// SpreadLayer (geo/maps/elements.py): Many symbols at one point, spread on a spiral around it so each stays visible and clickable: what spiderfy does, done by the server's grouping and a few lines here (MarkerCluster's spiderfy is broken inside streamlit-folium). Spread in screen pixels, so it holds at every zoom.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.spreadLayer = function (parent, o) {
    var d = o.data, styles = o.styles, kind = o.kind;
    var group = L.featureGroup(), renderer = window.CM.renderer, markers = [];
    var Shape = window.CM.shapeMarker();  // geo/maps/js/event_layer.js
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
