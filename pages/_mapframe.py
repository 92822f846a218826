"""The dashboard's map as a Streamlit component of our own (frontend: pages/mapframe/index.html).

streamlit-folium's frame loads a 225 kB React bundle before it even asks for Leaflet, then loads
the map's scripts one after another; this frame is one small HTML page that fetches Leaflet and the
plugin bundle while it waits for Streamlit's first message, and draws the map before the plugins
(the tools) run (scripts/bench_map.py measures first paint). The map itself is still made with folium; geo.mapframe cuts it into the part built
once and the layers swapped on each rerun, so panning and zooming never run Python and a filter
change never reloads the map.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import folium
import streamlit.components.v1 as components

from geo import mapframe

_component = components.declare_component("map", path=str(Path(__file__).with_name("mapframe")))


def map_frame(
    base: mapframe.Base,
    layers: list[folium.FeatureGroup],
    *,
    center: tuple[float, float],
    zoom: int,
    height: int,
    key: str,
    report: bool = True,
    below: str = "",
) -> dict | None:
    """Draw the map; returns what its scripts last reported (geo.mapjs.ViewSync: `cm_view`, `cm_clicked`).

    The frame keeps its map while `base` stays the same (its digest is part of the key) and moves it
    only when `center`/`zoom` differ from the last ones given. `report=False`: clicks send nothing back
    (a preview), so they cause no rerun. `below`: markup drawn under the map inside the frame (the
    timeline: an SVG from geo.mapview, whose text is escaped there), set as HTML after the first paint;
    in the frame it costs the page none of the work Streamlit's Markdown would.
    """
    return _component(
        base=asdict(base),
        layers=asdict(mapframe.layers(layers, base.map_name)),
        center=[float(center[0]), float(center[1])],
        zoom=int(zoom),
        height=int(height),
        report=report,
        below=below,
        key=frame_key(key, base),
        default=None,
    )


def frame_key(key: str, base: mapframe.Base) -> str:
    """The frame's widget key; st.session_state holds its last value there before the frame is drawn."""
    return f"{key}-{base.digest}"
