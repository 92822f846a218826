// OfflineBasemap (geo/maps/elements.py): Graticule (drawn here, every `graticule_step` degrees), country outlines and country names: a basemap with no tile server at all. o.style: geo.maps.style's GRATICULE_STYLE and COUNTRY_STYLE.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.offlineBasemap = function (map, o) {
    var CM = window.CM;
    CM.countries = o.countries;
    var renderer = L.canvas({pane: "cm-base"});
    var step = o.graticule_step, lines = [], lat, lon, line;
    for (lon = -180; lon <= 180; lon += step) {
        for (line = [], lat = -80; lat <= 80; lat += 5) line.push([lat, lon]);
        lines.push(line);
    }
    for (lat = -80; lat <= 80; lat += step) {
        for (line = [], lon = -180; lon <= 180; lon += 5) line.push([lat, lon]);
        lines.push(line);
    }
    L.polyline(lines, Object.assign({pane: "cm-base", renderer: renderer, interactive: false},
                                    o.style.graticule)).addTo(map);
    L.geoJSON(CM.countries, {
        pane: "cm-base", renderer: renderer, interactive: false,
        style: o.style.countries  // geo.maps.style.COUNTRY_STYLE
    }).addTo(map);
    var labels = o.labels;
    for (var i = 0; i < labels.name.length; i++) {
        L.marker([labels.lat[i], labels.lon[i]], {
            pane: "cm-base-labels", interactive: false, keyboard: false,
            icon: L.divIcon({className: "cm-country-label", html: "<span>" + labels.name[i] + "</span>",
                             iconSize: null})
        }).addTo(map);
    }
};
