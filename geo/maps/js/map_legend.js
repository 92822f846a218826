// Legend (geo/maps/view.py): A small key in the map corner: marker colours by place type, and the airfield symbols.
window.CM.plugins.mapLegend = function (map, o) {
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
        var div = L.DomUtil.create("div", "cm-legend");
        div.innerHTML = o.html;
        return div;
    };
    legend.addTo(map);
};
