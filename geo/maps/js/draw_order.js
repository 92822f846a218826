// DrawOrder (geo/exports/html.py): airfields, then places, brought above layers added later (roads).
window.CM.plugins.drawOrder = function (map, o) {
    ["cm-airfield", "cm-place"].forEach(function (cls) {
        map.eachLayer(function (layer) {
            if (layer.options && layer.options.className === cls && layer.bringToFront) { layer.bringToFront(); }
        });
    });
};
