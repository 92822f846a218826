"""The dashboard map's own Leaflet pieces, one small folium element each (no CDN, no plugin needed).

Data goes to the browser as compact column arrays and is drawn on a canvas, so a layer of thousands
of points costs one JSON array per column, not one DOM node per point. Every string that reaches
`innerHTML` (labels, tooltips) is escaped by the caller with geo.maps.html.esc.

Elements that live in the map's base script (helpers, panes, basemap, view sync, minimap) are made
once per page; the data layers are folium FeatureGroups that the dashboard's map frame swaps in place
on a rerun (geo.maps.frame), so a filter change never reloads the map or loses its view.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import folium
from branca.element import Element
from folium.elements import JSCSSMixin

JS_DIR = Path(__file__).with_name("js")  # the map's JavaScript, one file per element
CSS_DIR = Path(__file__).with_name("css")  # the map's stylesheets

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

    plugin: str = ""  # the function in geo/maps/js/ that draws this element (window.CM.plugins[plugin])
    options: tuple[str, ...] = ()  # attributes handed to it as one JSON object
    refs: tuple[str, ...] = ()  # attributes that are other elements, handed over as themselves

    def script(self) -> str:
        """One call of the element's plugin with its parent (the map or a group) and its options."""
        if not self.plugin:
            return ""
        parts = [f'"{name}":{self.js(name)}' for name in self.options]
        parts += [f'"{name}":{getattr(self, name).get_name()}' for name in self.refs]
        call = f"window.CM.plugins.{self.plugin}({self._parent.get_name()}, {{{','.join(parts)}}})"
        return f"var {self.get_name()} = {call};"

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if "cm_library" not in figure.header._children:  # once per page, not once per element
            figure.header.add_child(_Script(library()), name="cm_library")
        script = self.script()
        if script:
            figure.script.add_child(_Script(script), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class Style(Element):
    """Stylesheets of geo/maps/css/ as one <style> element (read once; never compiled as a template)."""

    def __init__(self, *names: str):
        super().__init__()
        self._name = "Style"
        self.names = names

    def render(self, **kwargs) -> str:
        return "<style>\n" + "".join(stylesheet(n) for n in self.names) + "</style>"


@functools.cache
def stylesheet(name: str) -> str:
    return (CSS_DIR / name).read_text(encoding="utf-8")


@functools.cache
def library() -> str:
    """The map's own JavaScript as one <script>: every file of geo/maps/js/, _core.js first; loaded once per page."""
    return "<script>" + "\n".join(p.read_text(encoding="utf-8") for p in sorted(JS_DIR.glob("*.js"))) + "</script>"


class Helpers(CMElement):
    """`window.CM`: what the layers share — the click record, controls as layers, panes."""

    plugin, options = "helpers", ("panes",)  # geo/maps/js/helpers.js

    def __init__(self):
        super().__init__()
        self._name = "CMHelpers"
        self.panes = PANES


class OfflineBasemap(CMElement):
    """Graticule (drawn here, every `graticule_step` degrees), country outlines and country names:
    a basemap with no tile server at all.

    The outlines stay in `CM.countries` for the mini-map and the choropleth.
    """

    plugin, options = "offlineBasemap", ("countries", "labels", "graticule_step", "style")  # geo/maps/js/offline_basemap.js

    def __init__(self, countries: dict, labels: dict, graticule_step: int = 10, *, style: dict):
        super().__init__()
        self._name = "OfflineBasemap"
        self.countries, self.labels, self.graticule_step = countries, labels, int(graticule_step)
        self.style = style  # {"graticule": Leaflet path options, "countries": ...} (geo.maps.style)


class ZoomLabels(CMElement):
    """Place names that appear with zoom: each has a minimum zoom; only those in view are drawn.

    `data`: {"lat", "lon", "name" (escaped), "minzoom"} column arrays, most important first.
    `avoid_places`: hide a name that would repeat or cover a place named by the place labels (geo/maps/labels.py).
    """

    plugin, options = "zoomLabels", ("data", "limit", "pane", "css_class", "avoid_places")  # geo/maps/js/zoom_labels.js

    def __init__(self, data: dict, *, pane: str = "cm-labels", css_class: str = "cm-city-label", limit: int = 250,
                 avoid_places: bool = False):
        super().__init__()
        self._name = "ZoomLabels"
        self.data, self.pane, self.css_class, self.limit = data, pane, css_class, limit
        self.avoid_places = bool(avoid_places)


class OfflineMiniMap(JSCSSMixin, CMElement):
    """Leaflet-MiniMap over the offline country outlines (folium's MiniMap wants a tile layer)."""

    plugin, options = "offlineMiniMap", ("minimized",)  # geo/maps/js/offline_minimap.js
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

    plugin, options = "viewSync", ()  # geo/maps/js/view_sync.js

    def __init__(self):
        super().__init__()
        self._name = "ViewSync"


def without_view_sync(fmap: folium.Map) -> folium.Map:
    """The map without its ViewSync: a small map beside the main one (a preview) must not write its
    view into the page URL, nor leave it for the Export page."""
    for key in [k for k, el in fmap._children.items() if isinstance(el, ViewSync)]:
        del fmap._children[key]
    return fmap


class AfterPaint(CMElement):
    """Runs its elements' scripts after the data layers' first paint (geo/maps/js/after_paint.js): the
    tools wait, the places come first.

    The elements are its children (so they are named, localized and bundled like any other) but draw on
    the map: each is rendered with the map as its parent, and their scripts become one function that
    the map runs when the first layer has been painted.
    """

    plugin = "afterPaint"

    def __init__(self, *elements: Element):
        super().__init__()
        self._name = "CMAfterPaint"
        for el in elements:
            self.add_child(el)

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if "cm_library" not in figure.header._children:
            figure.header.add_child(_Script(library()), name="cm_library")
        scripts = figure.script._children
        before = set(scripts)
        for child in self._children.values():
            child._parent = self._parent  # they draw on the map, not on this element
            child.render(**kwargs)
            child._parent = self
        body = "\n".join(scripts.pop(name).render() for name in [n for n in scripts if n not in before])
        call = f"window.CM.plugins.{self.plugin}({self._parent.get_name()}, function () {{\n{body}\n}});"
        figure.script.add_child(_Script(call), name=self.get_name())


class CopyLinkControl(CMElement):
    """A map button that copies the dashboard's URL (the whole view) to the clipboard."""

    plugin, options = "copyLink", ()  # geo/maps/js/copy_link.js

    def __init__(self):
        super().__init__()
        self._name = "CopyLinkControl"


class Requires(JSCSSMixin, CMElement):
    """Loads plugin scripts with the map, so that a layer switched on later (the heatmap) finds its
    plugin there at once."""

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

    plugin, options = "pointLayer", ("data", "styles", "kind", "selectable", "registry", "min_zoom")  # geo/maps/js/point_layer.js

    def __init__(self, data: dict, styles: list[dict], *, kind: str, min_zoom: int | None = None,
                 selectable: bool = False, registry: str | None = None):
        super().__init__()
        self._name = "PointLayer"
        self.data, self.styles, self.kind = data, styles, kind
        self.min_zoom, self.selectable = min_zoom, selectable
        self.registry = registry or kind  # its name in window.CM.layers / CM.stats (tests look there)


class TimePlayer(CMElement):
    """Plays mentions in time order, one bin of the timeline (day, week or month) at a time, with
    play/pause: each step shows only its own items (geo/maps/js/time_player.js says how).

    `data`: geo.view.timebins.player_cells output plus the drawn places' "lat", "lon", "key", "name" arrays.
    """

    plugin, options = "timePlayer", ("data", "colour", "interval_ms")  # geo/maps/js/time_player.js

    def __init__(self, data: dict, *, colour: str = "#b30000", interval_ms: int = 500):
        super().__init__()
        self._name = "TimePlayer"
        self.data, self.colour, self.interval_ms = data, colour, interval_ms


class ExportDrawings(CMElement):
    """A map button that downloads what was drawn (folium's Draw `group`) as a GeoJSON file."""

    plugin, options = "exportDrawings", ("position", "filename")  # geo/maps/js/export_drawings.js
    refs = ("group",)  # passed as the element itself, not as JSON

    def __init__(self, group: folium.FeatureGroup, filename: str = "annotations.geojson", position: str = "topleft"):
        super().__init__()
        self._name = "ExportDrawings"
        self.group, self.filename, self.position = group, filename, position


class ClearRing(CMElement):
    """Removes the ring drawn at a click: the data layers that replace it draw the selection themselves."""

    plugin, options = "clearRing", ()  # geo/maps/js/clear_ring.js

    def __init__(self):
        super().__init__()
        self._name = "ClearRing"
