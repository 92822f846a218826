// LegendControl (geo/maps/elements.py): A key in the map corner (a control that leaves with its feature group). `html` is trusted markup.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.legend = function (parent, o) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "cm-legend");
        div.innerHTML = o.html;
        return div;
    };
    parent.addLayer(new window.CM.ControlLayer(control));
};
