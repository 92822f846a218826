// CountryLabels (geo/maps/view.py): Country names as non-interactive text markers: the only labels an offline basemap has.
window.CM.plugins.countryLabels = function (parent, o) {
    return L.geoJSON(o.data, {
        pointToLayer: function (feature, latlng) {
            return L.marker(latlng, {
                interactive: false,
                keyboard: false,
                icon: L.divIcon({
                    className: "cm-country-label",
                    html: "<span>" + feature.properties.label + "</span>",
                    iconSize: null
                })
            });
        }
    }).addTo(parent);
};
