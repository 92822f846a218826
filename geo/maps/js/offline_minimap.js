// OfflineMiniMap (geo/maps/elements.py): Leaflet-MiniMap over the offline country outlines (folium's MiniMap wants a tile layer).
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.offlineMiniMap = function (map, o) {
    var outline = L.geoJSON(window.CM.countries, {
        interactive: false, renderer: L.canvas(),
        style: {color: "#8a8a8a", weight: 0.5, fillColor: "#f4f1e8", fillOpacity: 1}
    });
    var mini = new L.Control.MiniMap(outline, {
        position: "bottomleft", toggleDisplay: true, width: 150, height: 110,
        zoomLevelOffset: -5, minimized: o.minimized
    });
    mini.addTo(map);
    if (mini._miniMap) { mini._miniMap.getContainer().style.background = "#d4e4f1"; }
};
