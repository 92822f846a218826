// ClusterLayer (geo/maps/cluster.py): places grouped on a pixel grid at each zoom; a bubble per crowded cell.
// o: {data, styles, cell}.
window.CM.plugins.clusterLayer = function (parent, o) {
    var d = o.data, styles = o.styles, cell = o.cell;
    var group = L.featureGroup(), CM = window.CM, renderer = CM.renderer;
    function compact(n) { return n < 1000 ? String(n) : n < 1e6 ? Math.round(n / 1000) + "k" : (n / 1e6).toFixed(1) + "M"; }
    function esc(s) { return String(s).replace(/[&<>"']/g, function (c) {
        return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
    function place(i) {
        var m = L.circleMarker([d.lat[i], d.lon[i]], Object.assign({renderer: renderer, radius: d.radius[i],
            bubblingMouseEvents: false}, styles[d.style[i]]));
        m.bindTooltip(d.label[i], {direction: "top"});
        m.on("click", function () {
            CM.clicked({kind: "place", key: d.key[i], lat: d.lat[i], lon: d.lon[i]});
            CM.ring(d.lat[i], d.lon[i], d.radius[i]);
            if (d.popup) L.popup({maxWidth: 420}).setLatLng([d.lat[i], d.lon[i]]).setContent(d.popup[i]).openOn(group._map);
        });
        return m;
    }
    function bubble(members) {
        // At the biggest place's position, so that bubbles stay a cell apart and never overlap.
        var total = 0, bounds = L.latLngBounds([]), top = members[0];
        members.forEach(function (i) { total += d.mentions[i]; bounds.extend([d.lat[i], d.lon[i]]); });
        var size = Math.round(Math.min(46, 22 + 5 * Math.log10(1 + total)));
        var icon = L.divIcon({className: "cm-cluster", iconSize: [size, size],
                              html: "<span>" + compact(total) + "</span>"});
        var m = L.marker([d.lat[top], d.lon[top]], {icon: icon, keyboard: false});
        var names = members.slice(0, 5).map(function (i) { return esc(d.name[i]) + " " + compact(d.mentions[i]); });
        m.bindTooltip("<b>" + members.length + " places</b> · " + compact(total) + " mentions<br>" +
                      names.join(", ") + (members.length > 5 ? ", …" : ""), {direction: "top"});
        m.on("click", function () { group._map.fitBounds(bounds.pad(0.3), {maxZoom: group._map.getZoom() + 3}); });
        return m;
    }
    // Greedy grouping, biggest place first: each place not yet taken gathers the free places within
    // `cell` pixels (found through a grid of that size, so it stays linear in the number of places).
    var byMentions = d.lat.map(function (_, i) { return i; }).sort(function (a, b) { return d.mentions[b] - d.mentions[a]; });
    function draw() {
        var map = group._map;
        if (!map) return;
        group.clearLayers();
        var zoom = map.getZoom(), pts = [], grid = {}, taken = new Uint8Array(d.lat.length), groups = 0;
        for (var i = 0; i < d.lat.length; i++) {
            var p = pts[i] = map.project([d.lat[i], d.lon[i]], zoom);
            var k = Math.floor(p.x / cell) + ":" + Math.floor(p.y / cell);
            (grid[k] = grid[k] || []).push(i);
        }
        byMentions.forEach(function (i) {
            if (taken[i]) return;
            taken[i] = 1;
            var members = [i], cx = Math.floor(pts[i].x / cell), cy = Math.floor(pts[i].y / cell);
            for (var gx = cx - 1; gx <= cx + 1; gx++) {
                for (var gy = cy - 1; gy <= cy + 1; gy++) {
                    (grid[gx + ":" + gy] || []).forEach(function (j) {
                        if (!taken[j] && pts[i].distanceTo(pts[j]) <= cell) { taken[j] = 1; members.push(j); }
                    });
                }
            }
            if (members.length === 1) { group.addLayer(place(i)); }
            else { members.sort(function (a, b) { return d.mentions[b] - d.mentions[a]; });
                   group.addLayer(bubble(members)); groups += 1; }
        });
        CM.stats.clusters = groups;
    }
    group.on("add", function () { group._map.on("zoomend", draw); draw(); });
    group.on("remove", function (e) { e.target._map && e.target._map.off("zoomend", draw); });
    CM.layers = CM.layers || {};
    CM.layers.cluster = {group: group, data: d};
    CM.stats.place = d.lat.length;
    parent.addLayer(group);
};
