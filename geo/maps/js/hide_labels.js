// HideLabelsWhenZoomedOut (geo/maps/base.py): Toggles a class on the map container so CSS can hide country labels at small zooms.
window.CM.plugins.hideLabels = function (map, o) {
    function update() {
        map.getContainer().classList.toggle("cm-hide-labels", map.getZoom() < o.min_zoom);
    }
    map.on("zoomend", update);
    update();
};
