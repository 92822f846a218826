// ZoomLabels (geo/maps/elements.py): Place names that appear with zoom: each has a minimum zoom; only those in view are drawn.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.zoomLabels = function (parent, o) {
    var d = o.data;
    var layer = L.layerGroup();
    var LabelLayer = L.Layer.extend({
        onAdd: function (map) { this._map = map; layer.addTo(map); map.on("moveend", this._update, this); this._update(); },
        onRemove: function (map) { map.off("moveend", this._update, this); layer.remove(); },
        _update: function () {
            var map = this._map, z = map.getZoom(), b = map.getBounds().pad(0.1), shown = 0;
            layer.clearLayers();
            for (var i = 0; i < d.name.length && shown < o.limit; i++) {
                if (d.minzoom[i] > z || !b.contains([d.lat[i], d.lon[i]])) continue;
                L.marker([d.lat[i], d.lon[i]], {
                    pane: o.pane, interactive: false, keyboard: false,
                    icon: L.divIcon({className: o.css_class, iconSize: null,
                                     html: "<span>" + d.name[i] + "</span>"})
                }).addTo(layer);
                shown++;
            }
        }
    });
    parent.addLayer(new LabelLayer());
};
