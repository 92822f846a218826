"""Places grouped by zoom level in the browser: one bubble per crowded screen cell, the places themselves
once they have room.

The map's places are already one row per place (many events share a town), so there are hundreds or a few
thousand of them, not 100,000: grouping them on a pixel grid at each zoom costs a few milliseconds in the
browser, needs no Python on pan or zoom, and avoids Leaflet.markercluster (slow on Streamlit reruns, and
its spiderfy is unreliable inside streamlit-folium). A bubble shows the mentions it holds; a click on it
zooms to its places; a click on a single place selects it, as on the plain places layer.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapjs import CMElement

CELL_PX = 56  # places closer than this on screen (pixels) are grouped


class ClusterLayer(CMElement):
    """`data`: {"lat", "lon", "radius", "mentions", "style", "label" (escaped HTML), "name", "key"}."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (parent) {
            var d = {{ this.js("data") }}, styles = {{ this.js("styles") }}, cell = {{ this.cell|tojson }};
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
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, styles: list[dict], *, cell: int = CELL_PX):
        super().__init__()
        self._name = "ClusterLayer"
        self.data, self.styles, self.cell = data, styles, cell


CLUSTER_CSS = """
.cm-cluster { background: rgba(215, 48, 31, .82); border: 2px solid #fff; border-radius: 50%;
  box-shadow: 0 0 0 1px rgba(0,0,0,.35); color: #fff; font: 600 12px/1 sans-serif;
  display: flex; align-items: center; justify-content: center; }
"""
