// PlaceLabels (geo/exports/browser.py): place names beside their circles, hidden where they would collide or leave the map.
window.CM.plugins.placeLabels = function (map, o) {
    var pane = map.createPane("cmLabels");
    pane.style.zIndex = 650;
    pane.style.pointerEvents = "none";
    var labels = o.labels;
    var kept = [];
    labels.forEach(function (p) {
        var span = document.createElement("span");
        span.className = "cm-place-label";
        span.style.left = p.gap + "px";
        span.dataset.gap = p.gap;
        span.textContent = p.text;
        L.marker([p.lat, p.lon], {
            pane: "cmLabels", interactive: false, keyboard: false,
            icon: L.divIcon({className: "cm-place-label-anchor", html: span, iconSize: null})
        }).addTo(map);
    });
    window.cmPlaceLabels = function () {
        var box = map.getContainer().getBoundingClientRect();
        // The places' circles, from the layer's own columns (they are drawn on a canvas, not as elements).
        var layer = (window.CM.layers || {}).place || (window.CM.layers || {}).cluster;
        var d = layer ? layer.data : {lat: []};
        for (var i = 0; i < d.lat.length; i++) {
            var p = map.latLngToContainerPoint([d.lat[i], d.lon[i]]);
            var r = Array.isArray(d.radius) ? d.radius[i] : d.radius;
            if (p.x + r < 0 || p.y + r < 0 || p.x - r > box.width || p.y - r > box.height) continue;
            kept.push({left: box.left + p.x - r + 1, right: box.left + p.x + r - 1,
                       top: box.top + p.y - r + 1, bottom: box.top + p.y + r - 1});
        }
        var spots = [  // right, left, above, below the circle
            function (st, g) { st.left = g + "px"; st.right = st.top = "auto"; st.transform = "translateY(-50%)"; },
            function (st, g) { st.right = g + "px"; st.left = st.top = "auto"; st.transform = "translateY(-50%)"; },
            function (st, g) { st.left = "0"; st.right = "auto"; st.top = -g + "px"; st.transform = "translate(-50%, -100%)"; },
            function (st, g) { st.left = "0"; st.right = "auto"; st.top = g + "px"; st.transform = "translate(-50%, 0)"; }
        ];
        document.querySelectorAll(".cm-place-label").forEach(function (el) {
            var gap = parseFloat(el.dataset.gap);
            var placed = spots.some(function (spot) {
                spot(el.style, gap);
                var r = el.getBoundingClientRect();
                var inside = r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
                var clash = kept.some(function (k) {
                    return !(r.right < k.left || r.left > k.right || r.bottom < k.top || r.top > k.bottom);
                });
                if (inside && !clash) { kept.push(r); return true; }
                return false;
            });
            if (!placed) { el.style.display = "none"; }
        });
    };
};
