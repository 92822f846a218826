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
        document.querySelectorAll("path.cm-place").forEach(function (c) {
            var r = c.getBoundingClientRect();
            if (r.width > 0) { kept.push({left: r.left + 1, right: r.right - 1, top: r.top + 1, bottom: r.bottom - 1}); }
        });
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
