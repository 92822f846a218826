"""The dashboard's map as a Streamlit component of our own (frontend: pages/mapframe/index.html).

streamlit-folium's frame loads a 225 kB React bundle before it even asks for Leaflet, then loads
the map's scripts one after another; this frame is one small HTML page that fetches Leaflet and the
plugin bundle while it waits for Streamlit's first message, and draws the map before the plugins
(the tools) run (scripts/bench_map.py measures first paint). The map itself is still made with folium; geo.maps.frame cuts it into the part built
once and the layers swapped on each rerun, so panning and zooming never run Python and a filter
change never reloads the map.

Layers are rendered once per server process for every session alike (`rendered`): ten analysts on the
same filters cost the server one rendering, not ten (scripts/bench_sessions.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import folium
import streamlit as st
import streamlit.components.v1 as components

from geo.maps import frame as mapframe
from geo.view.cache import SharedCache

_FRONTEND = Path(__file__).with_name("mapframe")
_component = None

# A layer's script is ~50 bytes a point: 100k places make one of ~5 MB. Keep ~100 of them, at most 300 MB.
_RENDERED = SharedCache(entries=96, max_bytes=300_000_000,
                        sizeof=lambda r: sum(map(len, r.scripts)) if r is not None else 0)


def rendered(key: tuple, build: Callable[[], folium.FeatureGroup | None]) -> mapframe.Layers | None:
    """One feature group (from `build`, None for nothing to draw) rendered as the frame's layer script,
    made once and shared by every session under `key`.

    `key` must name everything the group depends on: its kind and, for a layer of the store's data, the
    view's key (the store's version and the filters: pages._shared.View.key), so an ingest makes it anew.
    Every group is rendered alone (its elements are named g0_...): the frame evaluates each script in
    its own function, so equal names in two groups never meet.
    """

    def make() -> mapframe.Layers | None:
        group = build()
        return None if group is None else mapframe.layers([group])

    return _RENDERED.get(key, make)


def joined(parts: list[mapframe.Layers | None]) -> mapframe.Layers:
    """Rendered groups (`rendered`) as one Layers, bottom to top; None parts are left out."""
    parts = [p for p in parts if p is not None]
    scripts = [s for p in parts for s in p.scripts]
    digests = [d for p in parts for d in p.digests]
    css = list(dict.fromkeys(u for p in parts for u in p.css))
    js = list(dict.fromkeys(u for p in parts for u in p.js))
    return mapframe.Layers(scripts, css, js, digests)


def _frame_component():
    """The component, declared on first use in a script run: declared at import outside one (the server's
    warm-up thread imports this module, pages/_warmup.py), Streamlit would not register it and the frame's
    page would answer 404."""
    global _component
    if _component is None:
        _component = components.declare_component("map", path=str(_FRONTEND))
    return _component


def map_frame(
    base: mapframe.Base,
    layers: list[folium.FeatureGroup] | mapframe.Layers,
    *,
    center: tuple[float, float],
    zoom: int,
    height: int,
    key: str,
    report: bool = True,
    below: str = "",
    fill: float | None = None,
    fit: list[list[float]] | None = None,
    fit_max_zoom: int | None = None,
) -> dict | None:
    """Draw the map; returns what its scripts last reported (geo.maps.elements.ViewSync: `cm_view`, `cm_clicked`).

    The frame keeps its map while `base` stays the same (its digest is part of the key) and moves it
    only when `center`/`zoom` differ from the last ones given. `report=False`: clicks send nothing back
    (a preview), so they cause no rerun. `below`: markup drawn under the map inside the frame (the
    timeline: an SVG from geo.maps.timeline, whose text is escaped there), set as HTML after the first paint;
    in the frame it costs the page none of the work Streamlit's Markdown would. `layers`: feature groups,
    or layers already rendered (`rendered`, `joined`) for the map named `map_cm` (geo.maps.frame.MAP_ID).

    `fill`: the map is this share of the browser window's height, `height` pixels at least (and follows the
    window as it is resized). `fit` ([[south, west], [north, east]]): where the map first opens, fitted
    in the browser, which alone knows the map's size (padded, zoomed in no further than `fit_max_zoom`);
    `center`/`zoom` then only say where it would be, and the map moves again only when they change.
    """
    if not isinstance(layers, mapframe.Layers):
        layers = mapframe.layers(layers, base.map_name)
    widget = frame_key(key, base)
    last = st.session_state.get(widget)
    need = last.get("cm_need") if isinstance(last, dict) else None
    base_arg, layers_arg = _sent(widget).message(base, layers, need if isinstance(need, str) else None)
    return _frame_component()(
        base=base_arg,
        layers=layers_arg,
        center=[float(center[0]), float(center[1])],
        zoom=int(zoom),
        height=int(height),
        report=report,
        below=below,
        fill=fill,
        fit=[[float(v) for v in corner] for corner in fit] if fit else None,
        fit_max_zoom=fit_max_zoom,
        key=widget,
        default=None,
    )


def _sent(widget: str) -> mapframe.Sent:
    """What this session's frame under `widget` holds (geo.maps.frame.Sent); a new session starts empty."""
    memory = st.session_state.setdefault("_cm_frames_sent", {})
    if widget not in memory:
        memory[widget] = mapframe.Sent()
    return memory[widget]


def frame_key(key: str, base: mapframe.Base) -> str:
    """The frame's widget key; st.session_state holds its last value there before the frame is drawn."""
    return f"{key}-{base.digest}"
