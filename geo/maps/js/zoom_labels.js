// ZoomLabels (geo/maps/elements.py): Place names that appear with zoom: each has a minimum zoom; only those in view are drawn.
// With o.avoid_places, a name that would repeat or cover a place labelled by place_names.js is hidden (the cities'
// names beside the articles' places), again whenever the place labels are laid out ("cmplacenames").
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.zoomLabels = function (parent, o) {
    var d = o.data;
    var layer = L.layerGroup();
    var LabelLayer = L.Layer.extend({
        onAdd: function (map) {
            this._map = map; layer.addTo(map); map.on("moveend", this._update, this);
            if (o.avoid_places) map.on("cmplacenames", this._avoid, this);
            this._update();
        },
        onRemove: function (map) { map.off("moveend", this._update, this); map.off("cmplacenames", this._avoid, this); layer.remove(); },
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
            if (o.avoid_places) this._avoid();
        },
        _avoid: function () {  // hide the names that clash with the place labels (CM.clashesWithPlaces)
            var map = this._map, clash = window.CM.clashesWithPlaces;
            if (!map || !clash) return;
            var origin = map.getContainer().getBoundingClientRect();
            layer.eachLayer(function (m) {
                var el = m.getElement();
                if (!el) return;
                var r = el.getBoundingClientRect(), pt = map.latLngToContainerPoint(m.getLatLng()),
                    box = r.width ? {x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height} : null;
                el.style.visibility = clash(pt, box, el.textContent) ? "hidden" : "";
            });
        }
    });
    parent.addLayer(new LabelLayer());
};
