// OpenPopup (geo/maps/view.py): Opens one marker's popup once the map is built and its stylesheets have loaded.
window.CM.plugins.openPopup = function (parent, o) {
    var marker = o.marker;
    var pending = Array.prototype.filter.call(
        document.querySelectorAll('link[rel="stylesheet"]'), function (l) { return !l.sheet; });
    Promise.all(pending.map(function (l) {
        return new Promise(function (done) {
            l.addEventListener("load", done);
            l.addEventListener("error", done);
        });
    })).then(function () { marker.openPopup(); });
};
