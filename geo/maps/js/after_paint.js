// AfterPaint (geo/maps/elements.py): the scripts of the elements it holds (the tools), as one function run
// after the data layers' first paint (CM.afterPaint, helpers.js).
window.CM.plugins.afterPaint = function (map, run) {
    window.CM.afterPaint(run);
};
