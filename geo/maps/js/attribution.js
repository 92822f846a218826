// Attribution (geo/maps/base.py): Adds a line to the map's attribution control (there is no tile layer to carry it offline).
window.CM.plugins.attribution = function (map, o) {
    map.attributionControl.addAttribution(o.text);
};
