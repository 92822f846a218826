// ClearRing (geo/maps/elements.py): Removes the ring drawn at a click: the data layers that replace it draw the selection themselves.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.clearRing = function () {
    if (window.CM.clearRing) { window.CM.clearRing(); }
};
