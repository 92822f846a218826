// Loaded once per page before the map's own script (geo/maps/elements.py, CMElement): each file in geo/maps/js adds
// one plugin to CM.plugins, and each element of the map calls its plugin with the map (or its group) and
// its options as one JSON object. Nothing here runs until a plugin is called, so Leaflet may load later.
window.CM = window.CM || {};
window.CM.plugins = window.CM.plugins || {};
