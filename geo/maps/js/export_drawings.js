// ExportDrawings (geo/maps/elements.py): A map button that downloads what was drawn (folium's Draw `group`) as a GeoJSON file.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.exportDrawings = function (map, o) {
    var drawn = o.group;
    var Export = L.Control.extend({
        options: {position: o.position},
        onAdd: function () {
            var div = L.DomUtil.create("div", "leaflet-bar cm-export");
            var a = L.DomUtil.create("a", "", div);
            a.href = "#"; a.title = "Download the drawings as GeoJSON"; a.textContent = "⤓";
            a.setAttribute("role", "button");
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.on(a, "click", function (e) {
                L.DomEvent.preventDefault(e);
                var blob = new Blob([JSON.stringify(drawn.toGeoJSON(), null, 1)], {type: "application/geo+json"});
                var link = document.createElement("a");
                link.href = URL.createObjectURL(blob);
                link.download = o.filename;
                document.body.appendChild(link);
                link.click();
                setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
            });
            return div;
        }
    });
    new Export().addTo(map);
};
