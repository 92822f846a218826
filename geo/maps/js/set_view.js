// SetView (geo/exports/html.py): centres the map on the state's view after everything else.
window.CM.plugins.setView = function (map, o) {
    map.setView(o.center, o.zoom, {animate: false});
};
