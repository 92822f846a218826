"""The key to what a map draws, as data, so that every renderer shows the same one.

`legend_entries` says what the key holds for the layers drawn; the dashboard and the HTML export show it
as a map control (`legend_layer`), the briefing pages beside the map (geo.exports.browser, geo.exports.static).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import folium

from geo.maps import elements
from geo.maps.html import esc
from geo.maps.style import (
    AIRFIELD_STYLE,
    CHOROPLETH_COLOURS,
    CLUSTER_COLOUR,
    EVENT_COLOURS,
    EVENT_SHAPES,
    FEATURE_COLOURS,
    NO_EVENT_COLOUR,
    OTHER_COLOUR,
    ROAD_COLOUR,
    SHAPE_POINTS,
)

DOT_EDGE = "#222"
NOT_A_FACT = "not a fact (denied, planned, possible)"
# The map's key shows its entries in these groups, in this order, each under its title.
GROUPS = {"places": "Places (by mentions)", "events": "Events (around their place)", "layers": "Layers"}
LONG_KEY = 8  # a key of more lines than this (the events alone have 8) opens as a button, until the analyst opens it


@dataclass(frozen=True)
class LegendEntry:
    """One line of the key. `kind`: "point" (a dot, fill and stroke), "line" or "dashed" (a road),
    "event" (an event type's symbol), "ramp" (the
    choropleth's colours) or "head" (a heading over the lines that follow). The label is raw text."""

    label: str
    kind: str
    fill: str = ""
    stroke: str = DOT_EDGE
    event_type: str | None = None
    fact: bool = True
    group: str = "places"  # a key of GROUPS: where the map's key lists it


def legend_entries(features: Iterable[str], layers: Iterable[str], *, roads_schematic: bool = False) -> list[LegendEntry]:
    """The key for `layers` (those drawn) and the place types present (`features`, first the most mentioned's)."""
    layers, features = set(layers), list(features)
    out: list[LegendEntry] = []
    if ("places" in layers or "clusters" in layers) and features:
        if "events" in layers:
            out.append(LegendEntry("Places (by mentions)", "head"))
        out += [LegendEntry(f, "point", FEATURE_COLOURS.get(f, OTHER_COLOUR)) for f in features]
        if "clusters" in layers:
            out.append(LegendEntry("places grouped (mentions; click to zoom)", "point", CLUSTER_COLOUR, "#fff"))
    if "air bases" in layers:
        out += [LegendEntry(f"{k} (layer)", "point", AIRFIELD_STYLE[k]["fillColor"], AIRFIELD_STYLE[k]["color"],
                            group="layers") for k in ("air base", "airport")]
    if "roads" in layers:
        out.append(LegendEntry("road", "line", ROAD_COLOUR, ROAD_COLOUR, group="layers"))
        if roads_schematic:
            out.append(LegendEntry("schematic road", "dashed", ROAD_COLOUR, ROAD_COLOUR, group="layers"))
    if "events" in layers:
        out.append(LegendEntry("Events (around their place)", "head", group="events"))
        out += [LegendEntry(t, "event", EVENT_COLOURS[t], event_type=t, group="events") for t in EVENT_COLOURS]
        out.append(LegendEntry(NOT_A_FACT, "event", EVENT_COLOURS["Battles"], event_type="Battles", fact=False,
                               group="events"))
    if "countries" in layers:
        out.append(LegendEntry("mentions by country", "ramp", group="layers"))
    return out


def event_symbol_svg(event_type: str | None, fact: bool = True, size: int = 12) -> str:
    """The map's symbol for an event type as inline SVG (legend, panel): shape and colour, hollow when
    the event is not a fact, a small grey dot for a mention without an event."""
    half = size / 2
    if event_type not in EVENT_COLOURS:
        return (f'<svg width="{size}" height="{size}" style="vertical-align:-1px;margin-right:4px">'
                f'<circle cx="{half}" cy="{half}" r="{size / 4:.1f}" fill="{NO_EVENT_COLOUR}" stroke="#555"/></svg>')
    colour = EVENT_COLOURS[event_type]
    fill, stroke, dash = (colour, "#333", "") if fact else ("#fff", colour, ' stroke-dasharray="2 1.5"')
    r = half - 1.5
    shape = EVENT_SHAPES.get(event_type, "circle")
    if shape == "circle":
        body = f'<circle cx="{half}" cy="{half}" r="{r:.1f}"'
    else:
        scale = r / 1.25
        pts = " ".join(f"{half + x * scale:.1f},{half + y * scale:.1f}" for x, y in SHAPE_POINTS[shape])
        body = f'<polygon points="{pts}"'
    return (f'<svg width="{size}" height="{size}" style="vertical-align:-1px;margin-right:4px">'
            f'{body} fill="{fill}" stroke="{stroke}" stroke-width="1.3"{dash}/></svg>')


def entry_html(e: LegendEntry) -> str:
    """One entry as the map's legend shows it (styled by geo/maps/css/dashboard.css and map.css); colours are
    geo.maps.style's, never data."""
    label = esc(e.label)
    if e.kind == "head":
        return f'<b class="cm-legend-head">{label}</b>'
    if e.kind in ("line", "dashed"):
        dashed = " cm-dashed" if e.kind == "dashed" else ""
        return f'<b class="cm-line{dashed}" style="border-color:{e.fill}"></b>{label}'
    if e.kind == "event":
        return event_symbol_svg(e.event_type, e.fact) + label
    if e.kind == "ramp":
        return "".join(f'<i class="cm-sq" style="background:{c}"></i>' for c in CHOROPLETH_COLOURS) + " " + label
    return f'<i style="background:{e.fill};border:1px solid {e.stroke}"></i>{label}'


class MapKey(elements.CMElement):
    """The key in the map's lower right corner, a control that leaves with its feature group: a button that
    opens and closes it (the analyst's choice is remembered in the browser), collapsed at first when it is
    long (`long`) or the map small. `html` is trusted markup (key_html: labels escaped there)."""

    plugin, options = "legend", ("html", "lines", "long")  # geo/maps/js/legend.js

    def __init__(self, html: str, *, lines: int, long: bool):
        super().__init__()
        self._name = "LegendControl"
        self.html, self.lines, self.long = html, int(lines), bool(long)


def key_html(entries: list[LegendEntry]) -> str:
    """The map's key: one titled section per group (GROUPS), one line per entry. The briefings' own headings
    ("head" entries) are left to them: here every group has its title."""
    sections = []
    for name, title in GROUPS.items():
        lines = [f"<li>{entry_html(e)}</li>" for e in entries if e.group == name and e.kind != "head"]
        if lines:
            sections.append(f'<section class="cm-legend-group"><b class="cm-legend-head">{esc(title)}</b>'
                            f'<ul>{"".join(lines)}</ul></section>')
    return "".join(sections)


def list_html(entries: list[LegendEntry]) -> str:
    """The key as list items for a page that sets it in columns (the briefing): each heading with the entries
    under it in one item that does not break (break-inside: avoid), so no column ends on a lone heading.
    Entries before any heading stay items of their own, free to flow between the columns."""
    loose: list[str] = []
    groups: list[list[str]] = []
    for e in entries:
        if e.kind == "head":
            groups.append([])
        (groups[-1] if groups else loose).append(entry_html(e))
    return "".join(f"<li>{line}</li>" for line in loose) + "".join(
        '<li style="break-inside:avoid;padding:0;text-indent:0"><ul style="list-style:none;margin:0;padding:0">'
        + "".join(f"<li>{line}</li>" for line in lines) + "</ul></li>"
        for lines in groups)


def legend_layer(features: Iterable[str], layers: Iterable[str], *, roads_schematic: bool = False) -> folium.FeatureGroup:
    """The key to what is drawn, as a map control that leaves with the layers: collapsible, grouped, and no
    taller than the room the tools leave it (geo/maps/js/legend.js)."""
    entries = legend_entries(features, layers, roads_schematic=roads_schematic)
    group = folium.FeatureGroup(name="legend", control=False)
    elements.ClearRing().add_to(group)
    lines = sum(e.kind != "head" for e in entries)
    if entries:
        MapKey(key_html(entries), lines=lines, long=lines > LONG_KEY).add_to(group)
    return group
