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
from dataclasses import dataclass, field

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
