// CopyLinkControl (geo/maps/elements.py): A map button that copies the dashboard's URL (the whole view) to the clipboard.
// o: the element's options (see the class); returns what the element adds, where it adds one.
window.CM.plugins.copyLink = function (map, o) {
    var ICON = '<svg viewBox="0 0 24 24" width="16" height="16" style="vertical-align:-3px" fill="none" '
        + 'stroke="#333" stroke-width="2.2" stroke-linecap="round"><path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 '
        + '0-5.7-5.7l-1 1"/><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/></svg>';
    var Copy = L.Control.extend({
        options: {position: "topright"},
        onAdd: function () {
            var div = L.DomUtil.create("div", "leaflet-bar cm-copy-link");
            var a = L.DomUtil.create("a", "", div);
            a.href = "#"; a.title = "Copy a link to this view"; a.innerHTML = ICON;
            a.setAttribute("role", "button");
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.on(a, "click", function (e) {
                L.DomEvent.preventDefault(e);
                var href;
                try { href = window.parent.location.href; } catch (err) { href = window.location.href; }
                var done = function () { a.textContent = "✓"; setTimeout(function () { a.innerHTML = ICON; }, 1500); };
                if (navigator.clipboard && navigator.clipboard.writeText) {
                    navigator.clipboard.writeText(href).then(done, function () { window.prompt("Link to this view", href); });
                } else { window.prompt("Link to this view", href); }
            });
            return div;
        }
    });
    new Copy().addTo(map);
};
