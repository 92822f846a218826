"""A folium map cut into what the dashboard's map frame needs (pages/_mapframe.py, pages/mapframe/).

The frame builds the map once from its *base* (the stylesheets and scripts to load, the header's
styles, the map's element and its script) and then only swaps *layers*: one script per folium
FeatureGroup, evaluated in the frame, each returning its group so the next update can remove it.

Every element gets a name that depends only on its place in the tree (not folium's random ids), so
the same map and the same layers give the same text on every rerun: the frame re-evaluates only the
layers that changed, and a base that really changed can be told from one that was merely rebuilt.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

import folium
from branca.element import CssLink, Element, JavascriptLink

from geo.maps.assets import iter_elements

MAP_ID = "cm"  # the map's variable is map_cm in every frame
LEAFLET = "leaflet"  # the name folium gives Leaflet's script among a map's default_js


@dataclass(frozen=True)
class Base:
    """The part of the map that is built once per frame."""

    map_name: str  # the map's JavaScript variable (and its element's id)
    css: list[str]  # stylesheet URLs, in order
    core_js: list[str]  # what the map's script needs before it runs: Leaflet
    js: list[str]  # the plugins, in order: loaded in parallel, run in this order, after the map's script
    header: str  # <meta>/<style> (and inline <script>) elements for the frame's <head>
    html: str  # the map's element and anything else the map puts in <body>
    script: str  # the map's own script, run once the scripts above have loaded
    digest: str = field(default="")  # changes only when the base really changes


@dataclass(frozen=True)
class Layers:
    """The swappable part: one script per feature group, bottom to top."""

    scripts: list[str]
    css: list[str]  # stylesheets and scripts the layers need beyond the base's
    js: list[str]
    # One per script, made once with it: the frame is sent a script it already holds as its digest alone.
    digests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.digests) != len(self.scripts):
            object.__setattr__(self, "digests", [script_digest(s) for s in self.scripts])


def script_digest(script: str) -> str:
    """What names a layer's script in the frame: equal scripts, equal digests."""
    return hashlib.sha1(script.encode()).hexdigest()[:16]


def _name_elements(root: Element, prefix: str) -> None:
    """Give every element of the tree a name from its position (prefix + running number)."""
    for n, el in enumerate(iter_elements(root)):
        if isinstance(el, (CssLink, JavascriptLink)):
            continue
        el._id = f"{prefix}{n}"


def _links(figure) -> tuple[list[str], list[str], list[str], list[Element]]:
    """The figure's header as (stylesheets, Leaflet, other scripts, other elements)."""
    css, core, js, rest = [], [], [], []
    for name, child in figure.header._children.items():
        if isinstance(child, CssLink):
            css.append(child.url)
        elif isinstance(child, JavascriptLink):
            (core if name == LEAFLET else js).append(child.url)
        else:
            rest.append(child)
    return [list(dict.fromkeys(x)) for x in (css, core, js)] + [rest]


def base(fmap: folium.Map) -> Base:
    """Render the map (without data layers) into its Base. Renames the map's elements in place."""
    _name_elements(fmap, "b")
    fmap._id = MAP_ID
    figure = fmap.get_root()
    figure.render()
    css, core, js, rest = _links(figure)
    header = "\n".join(el.render() for el in rest)
    html = figure.html.render()
    script = figure.script.render()
    digest = hashlib.sha1("\x00".join([*css, *core, *js, header, html, script]).encode()).hexdigest()[:16]
    return Base(fmap.get_name(), css, core, js, header, html, script, digest)


def layers(groups: list[folium.FeatureGroup], map_name: str = f"map_{MAP_ID}") -> Layers:
    """Render feature groups as scripts for the map called `map_name`; each script returns its group.

    The groups are rendered on a stand-in map with that name, so their `addTo(map)` lines name the
    frame's map. Group i's elements are named g<i>_<n>, so equal groups give equal scripts.
    """
    stand_in = folium.Map(tiles=None)
    stand_in._id = map_name.removeprefix("map_")
    scripts: list[str] = []
    for i, group in enumerate(groups):
        _name_elements(group, f"g{i}_")
        group.add_to(stand_in)
    figure = stand_in.get_root()
    figure.render()
    rendered = figure.script._children
    for group in groups:
        names = {el.get_name() for el in iter_elements(group)}
        body = "\n".join(rendered[n].render() for n in rendered if n in names)
        scripts.append(f"{body}\nreturn {group.get_name()};")
    css, _, js, _ = _links(figure)
    map_css = {url for _, url in stand_in.default_css}
    map_js = {url for _, url in stand_in.default_js}
    return Layers(scripts, [u for u in css if u not in map_css], [u for u in js if u not in map_js])


# ---------------------------------------------------------------------------------------- the wire

SENT_KEEP = 24  # scripts a frame is assumed to hold; pages/mapframe/index.html keeps more (KNOWN_KEEP)


@dataclass
class Sent:
    """What one mounted map frame has been sent, so a rerun sends only what changed.

    Streamlit sends a component all its arguments on every rerun: the base map and every layer, ~0.5 MB
    at 100,000 events, of which a filter change usually alters one layer. The frame keeps what it was
    sent by digest; a base or script it holds travels as its digest alone. A frame that lacks something
    it is named by (a new frame after the Map page was left and opened again) asks for it with a fresh
    `need` token in its value, and the next message is sent whole.
    """

    base: str = ""  # the digest of the base the frame was sent
    scripts: dict[str, None] = field(default_factory=dict)  # digests, oldest first
    need: str | None = None  # the last `need` token answered

    def message(self, base: Base, layers: Layers, need: str | None = None) -> tuple[dict, dict]:
        """The frame's `base` and `layers` arguments, with what it holds as digests only."""
        if need and need != self.need:
            self.need, self.base, self.scripts = need, "", {}
        if base.digest and base.digest == self.base:
            base_arg = {"map_name": base.map_name, "digest": base.digest, "css": base.css, "core_js": base.core_js,
                        "js": base.js}
        else:
            base_arg = asdict(base)
            self.base = base.digest
        scripts = []
        for digest, script in zip(layers.digests, layers.scripts):
            scripts.append([digest] if digest in self.scripts else [digest, script])
            self.scripts.pop(digest, None)
            self.scripts[digest] = None  # the most recently sent last
        for old in list(self.scripts)[:-SENT_KEEP]:
            del self.scripts[old]
        return base_arg, {"scripts": scripts, "css": layers.css, "js": layers.js}
