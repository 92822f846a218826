// Choropleth (geo/maps/layers.py): Fills the basemap's own outlines (window.CM.countries) by count: only the numbers are sent.
window.CM.plugins.choropleth = function (parent, o) {
    var counts = o.counts, colours = o.colours, breaks = o.breaks;
    function colour(n) { var i = 0; while (i < breaks.length && n > breaks[i]) i++; return colours[i]; }
    var layer = L.geoJSON(window.CM.countries, {
        pane: "cm-choropleth",
        filter: function (f) { return counts[f.properties.iso2] !== undefined; },
        style: function (f) { return {color: "#7f2704", weight: 0.8, fillColor: colour(counts[f.properties.iso2]),
                                      fillOpacity: 0.6}; },
        onEachFeature: function (f, l) {
            var el = document.createElement("span");
            el.textContent = f.properties.name + ": " + counts[f.properties.iso2].toLocaleString() + " mentions";
            l.bindTooltip(el.innerHTML, {sticky: true});
            l.on("click", function () { window.CM.clicked({kind: "country", key: f.properties.iso2}); });
        }
    });
    parent.addLayer(layer);
};
