"""The dashboard map's own Leaflet pieces, one small folium element each (no CDN, no plugin needed).

Data goes to the browser as compact column arrays and is drawn on a canvas, so a layer of thousands
of points costs one JSON array per column, not one DOM node per point. Every string that reaches
`innerHTML` (labels, tooltips) is escaped by the caller with geo.mapview.esc.

Elements that live in the map's base script (helpers, panes, basemap, view sync, minimap) are made
once per page; the data layers are folium FeatureGroups that the dashboard's map frame swaps in place
on a rerun (geo.mapframe), so a filter change never reloads the map or loses its view.
"""

from __future__ import annotations

import json

import folium
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.template import Template

# Panes, bottom to top. The offline basemap lies *under* Leaflet's tile pane (200), so a web or local
# tile layer simply covers it; the choropleth lies between tiles and the overlay pane (400).
PANES = {"cm-base": 150, "cm-base-labels": 160, "cm-choropleth": 350, "cm-labels": 450, "cm-selection": 640}

# What Jinja's tojson escapes so that JSON cannot close the <script> it sits in.
_JS_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def js_literal(value) -> str:
    """`value` as a JavaScript literal for inside a <script>: Jinja's tojson escaping, without the spaces
    after separators (a tenth of the map's first message at 100,000 events)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).translate(_JS_ESCAPES)


class _Script(Element):
    """A rendered script, kept as text (see `CMElement.render`)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class CMElement(folium.MacroElement):
    """Base of the elements here: data goes out as JSON encoded once, and rendering compiles nothing.

    branca's render() wraps each element's finished script in a new Jinja template — i.e. compiles
    the script text, country outlines and 100,000-event column arrays included. `js(name)` encodes an
    attribute once per value, and `render` adds the script as plain text (scripts/bench_map_render.py).
    """

    def js(self, name: str) -> str:
        """The attribute `name` as a JavaScript literal, encoded once per value it holds."""
        value = getattr(self, name)
        cache = self.__dict__.setdefault("_js_cache", {})
        hit = cache.get(name)
        if hit is None or hit[0] is not value:
            hit = cache[name] = (value, js_literal(value))
        return hit[1]

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                target.add_child(_Script(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class Helpers(CMElement):
    """`window.CM`: what the layers share — the click record, controls as layers, panes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var CM = window.CM = window.CM || {};
            if (window.performance && performance.mark) performance.mark("cm-base-start");
            CM.map = map;
            // One canvas for everything clickable: Leaflet hit-tests only the canvas on top, so layers
            // with canvases of their own would hide each other's points from the mouse.
            CM.renderer = map.getRenderer({options: {}});
            CM.stats = CM.stats || {};
            // What was clicked last, for the dashboard (see ViewSync): kind and identifiers only.
            // The dashboard's map frame (pages/mapframe) sends it at once through CM.report.
            CM.clicked = function (info) {
                window.__cmClicked = Object.assign({t: Date.now()}, info);
                if (CM.report) CM.report();
            };
            // The selection ring, drawn at once on a click (the dashboard redraws it with the next data).
            CM.ring = function (lat, lon, radius) {
                if (CM.selectionRing) CM.selectionRing.remove();
                CM.selectionRing = L.circleMarker([lat, lon], {radius: (radius || 8) + 5, color: "#111111", weight: 3,
                    fill: false, interactive: false, pane: "cm-selection"}).addTo(map);
            };
            CM.clearRing = function () { if (CM.selectionRing) { CM.selectionRing.remove(); CM.selectionRing = null; } };
            // Work that can wait until the data layers have been painted (the tools): queued, and run once
            // a layer has been seen (PointLayer calls CM.runAfterPaint) or after a second without layers.
            // CM.toolsReady says when it has run. The tools are plugins: where the map's frame loads them
            // after the map (CM.pluginsLoaded, a promise: pages/mapframe), they also wait for those.
            CM.runAfterPaint = function () {
                function run() {
                    var queue = CM._afterPaint || []; CM._afterPaint = [];
                    queue.forEach(function (f) { try { f(); } catch (e) { console.error(e); } });
                    CM.toolsReady = true;
                }
                if (CM.pluginsLoaded) CM.pluginsLoaded.then(run); else run();
            };
            CM.afterPaint = function (fn) {
                if (CM.toolsReady) { fn(); return; }
                (CM._afterPaint = CM._afterPaint || []).push(fn);
                if (CM._afterPaint.length === 1) setTimeout(CM.runAfterPaint, 1000);
            };
            // A control that comes and goes with the feature group it is in.
            CM.ControlLayer = L.Layer.extend({
                initialize: function (control) { this._control = control; },
                onAdd: function (m) { this._control.addTo(m); },
                onRemove: function (m) { m.removeControl(this._control); }
            });
            var panes = {{ this.panes|tojson }};
            Object.keys(panes).forEach(function (name) {
                if (!map.getPane(name)) {
                    var pane = map.createPane(name);
                    pane.style.zIndex = panes[name];
                    // Only the overlay pane takes clicks: a canvas in a pane above it would swallow them.
                    if (name !== "cm-choropleth") { pane.style.pointerEvents = "none"; }
                }
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "CMHelpers"
        self.panes = PANES


class OfflineBasemap(CMElement):
    """Graticule (drawn here, every `graticule_step` degrees), country outlines and country names:
    a basemap with no tile server at all.

    The outlines stay in `CM.countries` for the mini-map and the choropleth.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var CM = window.CM;
            CM.countries = {{ this.js("countries") }};
            var renderer = L.canvas({pane: "cm-base"});
            var step = {{ this.graticule_step }}, lines = [], lat, lon, line;
            for (lon = -180; lon <= 180; lon += step) {
                for (line = [], lat = -80; lat <= 80; lat += 5) line.push([lat, lon]);
                lines.push(line);
            }
            for (lat = -80; lat <= 80; lat += step) {
                for (line = [], lon = -180; lon <= 180; lon += 5) line.push([lat, lon]);
                lines.push(line);
            }
            L.polyline(lines, {pane: "cm-base", renderer: renderer, interactive: false, color: "#9fb6c9", weight: 0.6,
                               opacity: 0.7}).addTo(map);
            L.geoJSON(CM.countries, {
                pane: "cm-base", renderer: renderer, interactive: false,
                style: {color: "#8a8a8a", weight: 0.7, fillColor: "#f4f1e8", fillOpacity: 1}
            }).addTo(map);
            var labels = {{ this.js("labels") }};
            for (var i = 0; i < labels.name.length; i++) {
                L.marker([labels.lat[i], labels.lon[i]], {
                    pane: "cm-base-labels", interactive: false, keyboard: false,
                    icon: L.divIcon({className: "cm-country-label", html: "<span>" + labels.name[i] + "</span>",
                                     iconSize: null})
                }).addTo(map);
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, countries: dict, labels: dict, graticule_step: int = 10):
        super().__init__()
        self._name = "OfflineBasemap"
        self.countries, self.labels, self.graticule_step = countries, labels, int(graticule_step)


class ZoomLabels(CMElement):
    """Place names that appear with zoom: each has a minimum zoom; only those in view are drawn.

    `data`: {"lat", "lon", "name" (escaped), "minzoom"} column arrays, most important first.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (parent) {
            var d = {{ this.js("data") }};
            var layer = L.layerGroup();
            var LabelLayer = L.Layer.extend({
                onAdd: function (map) { this._map = map; layer.addTo(map); map.on("moveend", this._update, this); this._update(); },
                onRemove: function (map) { map.off("moveend", this._update, this); layer.remove(); },
                _update: function () {
                    var map = this._map, z = map.getZoom(), b = map.getBounds().pad(0.1), shown = 0;
                    layer.clearLayers();
                    for (var i = 0; i < d.name.length && shown < {{ this.limit }}; i++) {
                        if (d.minzoom[i] > z || !b.contains([d.lat[i], d.lon[i]])) continue;
                        L.marker([d.lat[i], d.lon[i]], {
                            pane: {{ this.pane|tojson }}, interactive: false, keyboard: false,
                            icon: L.divIcon({className: {{ this.css_class|tojson }}, iconSize: null,
                                             html: "<span>" + d.name[i] + "</span>"})
                        }).addTo(layer);
                        shown++;
                    }
                }
            });
            parent.addLayer(new LabelLayer());
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, *, pane: str = "cm-labels", css_class: str = "cm-city-label", limit: int = 250):
        super().__init__()
        self._name = "ZoomLabels"
        self.data, self.pane, self.css_class, self.limit = data, pane, css_class, limit


class OfflineMiniMap(JSCSSMixin, CMElement):
    """Leaflet-MiniMap over the offline country outlines (folium's MiniMap wants a tile layer)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var outline = L.geoJSON(window.CM.countries, {
                interactive: false, renderer: L.canvas(),
                style: {color: "#8a8a8a", weight: 0.5, fillColor: "#f4f1e8", fillOpacity: 1}
            });
            var mini = new L.Control.MiniMap(outline, {
                position: "bottomleft", toggleDisplay: true, width: 150, height: 110,
                zoomLevelOffset: -5, minimized: {{ this.minimized|tojson }}
            });
            mini.addTo(map);
            if (mini._miniMap) { mini._miniMap.getContainer().style.background = "#d4e4f1"; }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [
        ("Control_MiniMap_js", "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js")
    ]
    default_css = [
        ("Control_MiniMap_css", "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css")
    ]

    def __init__(self, minimized: bool = False):
        super().__init__()
        self._name = "OfflineMiniMap"
        self.minimized = minimized


class ViewSync(CMElement):
    """Keeps the page URL's `center` and `zoom` equal to the map's view, without asking Python.

    Panning runs no Python: the map writes the view into the dashboard's URL itself (the component
    frame is same-origin), and writes it again if a rerun replaced the URL. It also leaves the view in
    the dashboard's window (`__cmView`): Streamlit drops the URL's parameters on a page switch, and the
    Export page takes the view from there. When the frame reports
    something (a click), the view and the clicked object ride along as `cm_view`/`cm_clicked`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            function view() {
                var c = map.getCenter();
                return {lat: Math.round(c.lat * 1e4) / 1e4, lng: Math.round(c.lng * 1e4) / 1e4, zoom: map.getZoom()};
            }
            function writeUrl() {
                try {
                    var w = window.parent;
                    if (!w || w === window || map._animatingZoom) return;
                    var v = view(), url = new URL(w.location.href);
                    var center = v.lat.toFixed(4) + "," + v.lng.toFixed(4);
                    w.__cmView = {center: center, zoom: v.zoom};  // for the Export page (pages/export.py)
                    if (url.searchParams.get("center") === center && url.searchParams.get("zoom") === String(v.zoom)) return;
                    url.searchParams.set("center", center);
                    url.searchParams.set("zoom", String(v.zoom));
                    w.history.replaceState(w.history.state, "", url.pathname + url.search + url.hash);
                } catch (e) { /* not embedded in the dashboard */ }
            }
            map.on("moveend", writeUrl);
            setInterval(writeUrl, 400);
            if (window.performance && performance.mark) performance.mark("cm-base-end");
            var S = window.Streamlit;
            if (S && !S.__cmWrapped) {
                var send = S.setComponentValue;
                S.setComponentValue = function (value) {
                    var c = window.__cmClicked;
                    var extra = {cm_view: view(), cm_clicked: c && Date.now() - c.t < 3000 ? c : null};
                    return send.call(S, Object.assign({}, value, extra));
                };
                S.__cmWrapped = true;
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ViewSync"


def without_view_sync(fmap: folium.Map) -> folium.Map:
    """The map without its ViewSync: a small map beside the main one (a preview) must not write its
    view into the page URL, nor leave it for the Export page."""
    for key in [k for k, el in fmap._children.items() if isinstance(el, ViewSync)]:
        del fmap._children[key]
    return fmap


class DeferStart(CMElement):
    """Opens a block of sibling elements whose scripts run after the map's first paint (CM.afterPaint);
    DeferEnd closes it. folium (and so geo.mapframe) writes the scripts of a map's children in order,
    so the block's scripts land inside one function."""

    _template = Template("{% macro script(this, kwargs) %}window.CM.afterPaint(function () {{ '{' }}{% endmacro %}")

    def __init__(self):
        super().__init__()
        self._name = "CMDeferStart"


class DeferEnd(CMElement):
    _template = Template("{% macro script(this, kwargs) %}});{% endmacro %}")

    def __init__(self):
        super().__init__()
        self._name = "CMDeferEnd"


class CopyLinkControl(CMElement):
    """A map button that copies the dashboard's URL (the whole view) to the clipboard."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
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
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "CopyLinkControl"


class Requires(JSCSSMixin, CMElement):
    """Loads plugin scripts with the map, so that a layer switched on later (the heatmap) finds its
    plugin there at once."""

    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")

    def __init__(self, js: list[tuple[str, str]], css: list[tuple[str, str]] = ()):
        super().__init__()
        self._name = "Requires"
        self.default_js = list(js)
        self.default_css = list(css)


class PointLayer(CMElement):
    """Circles on a shared canvas from column arrays, with tooltips and a click record.

    `data`: {"lat", "lon", "radius", "style" (index into `styles`), "label" (escaped tooltip HTML),
    "key" (sent back on click)} — `kind` names the layer in the click record.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (parent) {
            var d = {{ this.js("data") }}, styles = {{ this.js("styles") }}, kind = {{ this.kind|tojson }};
            var group = L.featureGroup(), renderer = window.CM.renderer;
            // radius and style: one per point, or one number for all; label: one per point, or made here
            // from the (escaped) name, the key and a common suffix — fewer bytes for 2,000 air bases.
            function at(v, i) { return Array.isArray(v) ? v[i] : v; }
            function label(i) {
                if (d.label) return d.label[i] || "";
                var key = String(d.key[i] || "").replace(/[^A-Za-z0-9-]/g, "");
                return d.name[i] + (key ? " (" + key + ")" : "") + (d.suffix || "");
            }
            for (var i = 0; i < d.lat.length; i++) {
                var m = L.circleMarker([d.lat[i], d.lon[i]], Object.assign({renderer: renderer,
                    radius: at(d.radius, i), bubblingMouseEvents: false}, styles[at(d.style, i)]));
                m.cmIndex = i;
                group.addLayer(m);
            }
            // One tooltip and one click handler for the whole group, not one per point.
            group.bindTooltip(function (layer) { return label(layer.cmIndex); }, {direction: "top"});
            group.on("click", function (e) {
                var i = (e.propagatedFrom || e.sourceTarget || e.layer).cmIndex;
                if (i === undefined) return;
                window.CM.clicked({kind: kind, key: d.key[i], lat: d.lat[i], lon: d.lon[i]});
                if ({{ this.selectable|tojson }}) window.CM.ring(d.lat[i], d.lon[i], at(d.radius, i));
            });
            var registry = {{ this.registry|tojson }};
            window.CM.stats[registry] = d.lat.length;
            if (window.performance && performance.mark) {
                performance.mark("cm-layer-" + registry);
                // After the next frame has been painted (rAF runs before it, the timeout after): when the
                // analyst sees the layer. scripts/bench_map.py reads it.
                requestAnimationFrame(function () {
                    setTimeout(function () { performance.mark("cm-painted-" + registry); }, 0);
                });
            }
            // After the frame that shows the layer, and after the marks above.
            if (window.CM.runAfterPaint) {
                requestAnimationFrame(function () { setTimeout(function () { setTimeout(window.CM.runAfterPaint, 0); }, 0); });
            }
            window.CM.layers = window.CM.layers || {};
            window.CM.layers[registry] = {group: group, data: d};
            var minZoom = {{ this.min_zoom|tojson }};
            if (minZoom) {  // shown only from this zoom on (e.g. civil airports)
                var Gate = L.Layer.extend({
                    onAdd: function (map) { this._map = map; map.on("zoomend", this._check, this); this._check(); },
                    onRemove: function (map) { map.off("zoomend", this._check, this); map.removeLayer(group); },
                    _check: function () {
                        if (this._map.getZoom() >= minZoom) { this._map.addLayer(group); } else { this._map.removeLayer(group); }
                    }
                });
                parent.addLayer(new Gate());
            } else {
                parent.addLayer(group);
            }
            return group;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, styles: list[dict], *, kind: str, min_zoom: int | None = None,
                 selectable: bool = False, registry: str | None = None):
        super().__init__()
        self._name = "PointLayer"
        self.data, self.styles, self.kind = data, styles, kind
        self.min_zoom, self.selectable = min_zoom, selectable
        self.registry = registry or kind  # its name in window.CM.layers / CM.stats (tests look there)


class SpreadLayer(CMElement):
    """Many symbols at one point, spread on a spiral around it so each stays visible and clickable:
    what spiderfy does, done by the server's grouping and a few lines here (MarkerCluster's spiderfy
    is broken inside streamlit-folium). Spread in screen pixels, so it holds at every zoom.

    `data`: {"lat", "lon", "slot" (0 = on the point), "style", "label", "key"}.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (parent) {
            var d = {{ this.js("data") }}, styles = {{ this.js("styles") }}, kind = {{ this.kind|tojson }};
            var group = L.featureGroup(), renderer = window.CM.renderer, markers = [];
            // Symbols by shape as well as colour (styles[i].shape): drawn on the shared canvas; clicks still
            // hit-test the circle of the same radius.
            var Shape = window.CM.ShapeMarker = window.CM.ShapeMarker || L.CircleMarker.extend({
                _updatePath: function () {
                    var corners = {
                        triangle: [[0, -1.2], [1.05, 0.75], [-1.05, 0.75]],
                        square: [[-0.88, -0.88], [0.88, -0.88], [0.88, 0.88], [-0.88, 0.88]],
                        diamond: [[0, -1.25], [1.1, 0], [0, 1.25], [-1.1, 0]],
                        "triangle-down": [[0, 1.2], [1.05, -0.75], [-1.05, -0.75]],
                        hexagon: [[1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0], [-0.5, -0.87], [0.5, -0.87]]
                    }[this.options.shape], r = this._renderer;
                    if (!corners || !r._ctx) return L.CircleMarker.prototype._updatePath.call(this);
                    if (!r._drawing || this._empty()) return;
                    var ctx = r._ctx, p = this._point, size = this._radius;
                    ctx.beginPath();
                    corners.forEach(function (c, k) {
                        var x = p.x + c[0] * size, y = p.y + c[1] * size;
                        if (k) { ctx.lineTo(x, y); } else { ctx.moveTo(x, y); }
                    });
                    ctx.closePath();
                    r._fillStroke(ctx, this);
                }
            });
            function offset(slot) {  // a Fermat spiral: even spacing, no overlap
                if (!slot) return [0, 0];
                var a = slot * 2.39996, r = 9 * Math.sqrt(slot);
                return [r * Math.cos(a), r * Math.sin(a)];
            }
            for (var i = 0; i < d.lat.length; i++) {
                var m = new Shape([d.lat[i], d.lon[i]], Object.assign({renderer: renderer, bubblingMouseEvents: false},
                                                                    styles[d.style[i]]));
                m.cmIndex = i;
                markers.push(m);
                group.addLayer(m);
            }
            group.bindTooltip(function (layer) { return d.label[layer.cmIndex] || ""; }, {direction: "top"});
            group.on("click", function (e) {
                var i = (e.propagatedFrom || e.sourceTarget || e.layer).cmIndex;
                if (i === undefined) return;
                window.CM.clicked({kind: kind, key: d.key[i], lat: d.lat[i], lon: d.lon[i]});
                window.CM.ring(d.lat[i], d.lon[i], 8);
            });
            function spread() {
                var map = group._map;
                if (!map) return;
                for (var i = 0; i < markers.length; i++) {
                    var p = map.latLngToLayerPoint([d.lat[i], d.lon[i]]), o = offset(d.slot[i]);
                    markers[i].setLatLng(map.layerPointToLatLng(p.add(L.point(o[0], o[1]))));
                }
            }
            group.on("add", function () { group._map.on("zoomend", spread); spread(); });
            group.on("remove", function (e) { e.target._map && e.target._map.off("zoomend", spread); });
            window.CM.stats.events = d.lat.length;
            parent.addLayer(group);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, styles: list[dict], *, kind: str):
        super().__init__()
        self._name = "SpreadLayer"
        self.data, self.styles, self.kind = data, styles, kind


class LegendControl(CMElement):
    """A key in the map corner (a control that leaves with its feature group). `html` is trusted markup."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (parent) {
            var control = L.control({position: "bottomright"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "cm-legend");
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            parent.addLayer(new window.CM.ControlLayer(control));
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "LegendControl"
        self.html = html


class TimePlayer(CMElement):
    """Plays mentions in time order: a slider over days or weeks with play/pause, each step drawing
    the places mentioned in it (sized by count) and, fainter, those of the two steps before.

    `data`: time_bins() output plus the drawn places' "lat"/"lon" arrays.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (parent) {
            var d = {{ this.js("data") }}, colour = {{ this.colour|tojson }};
            var n = d.bins.length, start = new Array(n + 1).fill(0), maxCount = 1;
            for (var k = 0; k < d.bin.length; k++) { start[d.bin[k] + 1]++; if (d.count[k] > maxCount) maxCount = d.count[k]; }
            for (var b = 0; b < n; b++) start[b + 1] += start[b];
            var layer = L.layerGroup(), renderer = window.CM.renderer, current = 0, timer = null;
            function draw(bin) {
                current = bin;
                layer.clearLayers();
                for (var back = 2; back >= 0; back--) {
                    var b = bin - back;
                    if (b < 0) continue;
                    for (var k = start[b]; k < start[b + 1]; k++) {
                        var p = d.place[k];
                        L.circleMarker([d.lat[p], d.lon[p]], {
                            renderer: renderer, interactive: false, radius: 3 + 14 * Math.sqrt(d.count[k] / maxCount),
                            color: colour, weight: back ? 0 : 1, fillColor: colour,
                            fillOpacity: back ? 0.25 / back : 0.75
                        }).addTo(layer);
                    }
                }
                if (slider) { slider.value = bin; label.textContent = n ? d.bins[bin] + " · " + (start[bin + 1] - start[bin]) + " places" : "no dates"; }
                window.CM.stats.timeBin = bin;
            }
            var slider, label, button;
            var control = L.control({position: "bottomleft"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "cm-time");
                button = L.DomUtil.create("button", "cm-time-play", div);
                button.type = "button"; button.textContent = "▶"; button.title = "Play / pause";
                slider = L.DomUtil.create("input", "cm-time-slider", div);
                slider.type = "range"; slider.min = 0; slider.max = Math.max(0, n - 1); slider.value = current;
                label = L.DomUtil.create("span", "cm-time-label", div);
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                L.DomEvent.on(slider, "input", function () { stop(); draw(+slider.value); });
                L.DomEvent.on(button, "click", function () { timer ? stop() : play(); });
                return div;
            };
            function play() {
                if (!n) return;
                if (current >= n - 1) draw(0);
                button.textContent = "❚❚";
                timer = setInterval(function () { current < n - 1 ? draw(current + 1) : stop(); }, {{ this.interval_ms }});
            }
            function stop() { if (timer) clearInterval(timer); timer = null; if (button) button.textContent = "▶"; }
            var Player = L.Layer.extend({
                onAdd: function (map) { control.addTo(map); layer.addTo(map); draw(current); },
                onRemove: function (map) { stop(); map.removeControl(control); layer.remove(); }
            });
            window.CM.time = {play: function () { play(); }, stop: stop, draw: draw, bins: d.bins};
            parent.addLayer(new Player());
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, *, colour: str = "#b30000", interval_ms: int = 500):
        super().__init__()
        self._name = "TimePlayer"
        self.data, self.colour, self.interval_ms = data, colour, interval_ms


class ExportDrawings(CMElement):
    """A map button that downloads what was drawn (folium's Draw `group`) as a GeoJSON file."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, drawn) {
            var Export = L.Control.extend({
                options: {position: {{ this.position|tojson }}},
                onAdd: function () {
                    var div = L.DomUtil.create("div", "leaflet-bar cm-export");
                    var a = L.DomUtil.create("a", "", div);
                    a.href = "#"; a.title = "Download the drawings as GeoJSON"; a.textContent = "⤓";
                    a.setAttribute("role", "button");
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.on(a, "click", function (e) {
                        L.DomEvent.preventDefault(e);
                        var blob = new Blob([JSON.stringify(drawn.toGeoJSON(), null, 1)], {type: "application/geo+json"});
                        var link = document.createElement("a");
                        link.href = URL.createObjectURL(blob);
                        link.download = {{ this.filename|tojson }};
                        document.body.appendChild(link);
                        link.click();
                        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
                    });
                    return div;
                }
            });
            new Export().addTo(map);
        })({{ this._parent.get_name() }}, {{ this.group.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, group: folium.FeatureGroup, filename: str = "annotations.geojson", position: str = "topleft"):
        super().__init__()
        self._name = "ExportDrawings"
        self.group, self.filename, self.position = group, filename, position


class ClearRing(CMElement):
    """Removes the ring drawn at a click: the data layers that replace it draw the selection themselves."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.CM && window.CM.clearRing) { window.CM.clearRing(); }
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ClearRing"
