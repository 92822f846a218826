"""The map of a static briefing, drawn with matplotlib as the browser draws the dashboard's: the same
layers in the same order, colours and sizes (geo.maps.style), in Web Mercator metres.

Sizes on the web map are CSS pixels; here they become points (72 per inch, 96 pixels per inch), times the
page's type scale `k`. Heatmap, towns and the time player are screen layers and are not drawn here.
"""

from __future__ import annotations

import math
from functools import lru_cache

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.colors import to_rgba

from geo.exports.layout import (
    CSS_PX_PER_IN,
    MAX_MERC_LAT,
    Layout,
    inverse_mercator,
    mercator,
    plain,
)
from geo.maps.base import BROAD_FEATURES, countries_frame, countries_geojson
from geo.maps.layers import AIRPORT_MIN_ZOOM, choropleth_breaks, event_slots, schematic, shown_airfields
from geo.maps.style import (
    AIRFIELD_STYLE,
    CHOROPLETH_COLOURS,
    COUNTRY_LABEL,
    COUNTRY_STYLE,
    GRATICULE_STYLE,
    ROAD_STYLE,
    SCHEMATIC_DASH,
    SEA,
    event_style,
    place_radius,
    place_style,
    spread_offset,
)
from geo.view.state import MapState

FONT = ["DejaVu Sans"]
INK = "#1d2733"
PT_PER_PX = 72 / CSS_PX_PER_IN
MAX_PLACE_LABELS = 30
MARKERS = {"circle": "o", "triangle": "^", "square": "s", "diamond": "D", "triangle-down": "v", "hexagon": "h"}

_MERC_BOX = shapely.box(-180, -MAX_MERC_LAT + 0.05, 180, MAX_MERC_LAT - 0.05)


def _project_countries(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Country outlines clipped to Web Mercator's latitude limits, projected, with a label point each."""
    clipped = countries.clip(_MERC_BOX)
    clipped = clipped[~clipped.geometry.is_empty]
    out = clipped.to_crs(3857)
    out["label_point"] = gpd.GeoSeries(clipped.geometry.representative_point(), crs=4326).to_crs(3857).values
    return out


@lru_cache(maxsize=1)
def _default_countries() -> gpd.GeoDataFrame:
    """Natural Earth's countries, with the ISO codes the choropleth fills them by."""
    codes = [f["properties"]["iso2"] for f in countries_geojson()["features"]]
    return _project_countries(countries_frame().assign(iso2=codes))


def projected_countries(countries: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    return _default_countries() if countries is None else _project_countries(countries)


def _px(value: float, k: float) -> float:
    """CSS pixels of the web map as points on the page."""
    return value * PT_PER_PX * k


def draw_basemap(ax, countries: gpd.GeoDataFrame, extent, zoom: float, k: float) -> None:
    xmin, ymin, xmax, ymax = extent
    ax.set_facecolor(SEA)
    view = shapely.box(xmin, ymin, xmax, ymax)
    shown = countries[countries.intersects(view)]
    if not shown.empty:
        shown.plot(ax=ax, facecolor=COUNTRY_STYLE["fillColor"], edgecolor=COUNTRY_STYLE["color"],
                   linewidth=_px(COUNTRY_STYLE["weight"], k), zorder=1)
    # Graticule every 1, 2, 5, 10 or 20 degrees, about four to eight lines across.
    lat0, lon0 = inverse_mercator(xmin, ymin)
    lat1, lon1 = inverse_mercator(xmax, ymax)
    span = max(lon1 - lon0, 1e-6)
    step = next((s for s in (1, 2, 5, 10, 20, 30) if span / s <= 8), 45)
    line = {"color": GRATICULE_STYLE["color"], "lw": _px(GRATICULE_STYLE["weight"], k),
            "alpha": GRATICULE_STYLE["opacity"], "zorder": 0.5}
    for lon in np.arange(math.ceil(lon0 / step) * step, lon1 + 1e-9, step):
        x = mercator(0, float(lon))[0]
        ax.plot([x, x], [ymin, ymax], **line)
    for lat in np.arange(math.ceil(lat0 / step) * step, lat1 + 1e-9, step):
        y = mercator(float(lat), 0)[1]
        ax.plot([xmin, xmax], [y, y], **line)
    if zoom >= 4 and not shown.empty:
        halo = [patheffects.withStroke(linewidth=2.5 * k, foreground=COUNTRY_STYLE["fillColor"])]
        for name, pt in zip(shown["name"], shown["label_point"]):
            if xmin < pt.x < xmax and ymin < pt.y < ymax:
                ax.text(pt.x, pt.y, plain(name).upper(), fontsize=7.5 * k, color=COUNTRY_LABEL, ha="center",
                        va="center", family=FONT, zorder=2, parse_math=False, path_effects=halo, clip_on=True)


def draw_choropleth(ax, countries: gpd.GeoDataFrame, counts: pd.DataFrame, extent, k: float) -> None:
    """Countries filled by mentions, in the choropleth's classes (geo/maps/js/choropleth.js)."""
    if counts.empty or "iso2" not in countries:
        return
    values = {str(c): int(n) for c, n in zip(counts["country"], counts["mentions"])}
    breaks = choropleth_breaks(values.values())
    shown = countries[countries["iso2"].isin(values) & countries.intersects(shapely.box(*extent))]
    if shown.empty:
        return
    fills = [CHOROPLETH_COLOURS[int(np.searchsorted(breaks, values[c], side="left"))] for c in shown["iso2"]]
    shown.plot(ax=ax, color=fills, alpha=0.6, edgecolor="#7f2704", linewidth=_px(0.8, k), zorder=1.2)


def draw_roads(ax, roads: gpd.GeoDataFrame, extent, k: float) -> None:
    """Roads in the map's colour and width; schematic corridors dashed."""
    r = roads.to_crs(3857)
    dashed = schematic(r)
    keep = r.intersects(shapely.box(*extent))
    lw = _px(ROAD_STYLE["weight"], k)
    on, off = (float(x) / ROAD_STYLE["weight"] for x in SCHEMATIC_DASH.split())  # dashes scale with the width
    for mask, style in ((keep & ~dashed, "solid"), (keep & dashed, (0, (on, off)))):
        if mask.any():
            r[mask].plot(ax=ax, color=ROAD_STYLE["color"], linewidth=lw, alpha=ROAD_STYLE["opacity"],
                         linestyle=style, zorder=2.5)


def draw_airfields(ax, airbases: gpd.GeoDataFrame, extent, bounds, zoom: float, k: float) -> None:
    """The airfields the map draws (geo.maps.layers.shown_airfields), air bases over airports; airports only
    from the zoom at which the map shows them."""
    a = shown_airfields(airbases, bounds)
    if zoom < AIRPORT_MIN_ZOOM:
        a = a[a["kind"].eq("air base")]
    a = a.to_crs(3857)
    xmin, ymin, xmax, ymax = extent
    a = a[a.geometry.x.between(xmin, xmax) & a.geometry.y.between(ymin, ymax)]
    for kind in ("airport", "air base"):
        sub = a[a["kind"].eq("air base")] if kind == "air base" else a[~a["kind"].eq("air base")]
        if sub.empty:
            continue
        st = AIRFIELD_STYLE[kind]
        ax.scatter(sub.geometry.x, sub.geometry.y, s=(2 * _px(st["radius"], k)) ** 2,
                   color=to_rgba(st["fillColor"], st["fillOpacity"]), edgecolors=st["color"],
                   linewidths=_px(st["weight"], k), zorder=3)


def _place_xy(places: pd.DataFrame) -> np.ndarray:
    return np.array([mercator(lat, lon) for lat, lon in zip(places["lat"], places["lon"])]).reshape(-1, 2)


def draw_places(ax, places: pd.DataFrame, k: float) -> np.ndarray:
    """One circle per place, sized and coloured as on the map; returns their radii in points."""
    if places.empty:
        return np.zeros(0)
    xy = _place_xy(places)
    radii = _px(place_radius(places["mentions"], places["mentions"].max()), k)
    styles = [place_style(f) for f in places["feature"].fillna("other")]
    order = np.argsort(-radii, kind="stable")  # big circles underneath
    ax.scatter(xy[order, 0], xy[order, 1], s=(2 * radii[order]) ** 2,
               color=[to_rgba(styles[i]["fillColor"], styles[i]["fillOpacity"]) for i in order],
               edgecolors=styles[0]["color"], linewidths=_px(styles[0]["weight"], k), zorder=4)
    return radii


def draw_events(ax, events: pd.DataFrame, k: float) -> None:
    """What happened at each place: a symbol per event type on a spiral around the place, as on the map."""
    if events.empty:
        return
    to_px, from_px = ax.transData.transform, ax.transData.inverted().transform
    px_per_pt = ax.figure.dpi / 72
    slots = event_slots(events)
    for row, slot in zip(events.itertuples(index=False), slots):
        st = event_style(row.event_type if isinstance(row.event_type, str) else None, bool(row.fact))
        dx, dy = spread_offset(int(slot))
        cx, cy = to_px(mercator(row.lat, row.lon))
        x, y = from_px((cx + _px(dx, k) * px_per_pt, cy - _px(dy, k) * px_per_pt))  # screen y grows down
        ax.scatter([x], [y], s=(2 * _px(st["radius"], k)) ** 2, marker=MARKERS.get(st.get("shape"), "o"),
                   color=to_rgba(st["fillColor"], st["fillOpacity"]), edgecolors=st["color"],
                   linewidths=_px(st["weight"], k), linestyles="--" if st.get("dashArray") else "-", zorder=4.5)


def _overlaps(box, boxes) -> bool:
    return any(box.overlaps(b) for b in boxes)


def label_places(ax, places: pd.DataFrame, radii: np.ndarray, article_numbers: dict, extent, k: float) -> None:
    """Names beside the circles, most mentioned first, each where it overlaps no other label or circle."""
    if places.empty:
        return
    xy = _place_xy(places)
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    xmin, ymin, xmax, ymax = extent
    taken = []
    to_px = ax.transData.transform
    px_per_pt = fig.dpi / 72
    for i in range(len(places)):
        if not (xmin < xy[i, 0] < xmax and ymin < xy[i, 1] < ymax):
            continue
        cx, cy = to_px(xy[i])
        r = radii[i] * px_per_pt
        taken.append(matplotlib.transforms.Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
    halo = [patheffects.withStroke(linewidth=3 * k, foreground="white")]
    axbox = ax.get_window_extent(renderer)
    labelled = 0
    for i, row in enumerate(places.itertuples(index=False)):
        if labelled >= MAX_PLACE_LABELS:
            break
        if row.feature in BROAD_FEATURES or not (xmin < xy[i, 0] < xmax and ymin < xy[i, 1] < ymax):
            continue
        nums = article_numbers.get((row.name, row.lat, row.lon, row.feature), [])
        ref = "" if not nums else " [" + ",".join(str(n) for n in nums[:4]) + (",…" if len(nums) > 4 else "") + "]"
        label = plain(row.name, 40)
        gap = radii[i] + 2.5 * k
        for dx, dy, ha, va in ((gap, 0, "left", "center"), (-gap, 0, "right", "center"),
                               (0, gap, "center", "bottom"), (0, -gap, "center", "top")):
            t = ax.annotate(label + ref, xy[i], xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                            fontsize=8.5 * k, family=FONT, color=INK, weight="bold", zorder=6,
                            path_effects=halo, annotation_clip=True)
            t.set_parse_math(False)
            box = t.get_window_extent(renderer)
            inside = axbox.contains(box.x0, box.y0) and axbox.contains(box.x1, box.y1)
            if inside and not _overlaps(box, taken):
                taken.append(box)
                labelled += 1
                break
            t.remove()


def draw_map(ax, state: MapState, layout: Layout, extent, zoom: float, k: float, *,
             airbases: gpd.GeoDataFrame | None = None, roads: gpd.GeoDataFrame | None = None,
             countries: gpd.GeoDataFrame | None = None) -> None:
    """Every layer the static renderer draws, bottom to top as geo.maps.compose orders them."""
    projected = projected_countries(countries)
    draw_basemap(ax, projected, extent, zoom, k)
    draw_choropleth(ax, projected, layout.country_counts, extent, k)
    if roads is not None and not roads.empty and "roads" in state.layers:
        draw_roads(ax, roads, extent, k)
    if airbases is not None and not airbases.empty and "air bases" in state.layers:
        draw_airfields(ax, airbases, extent, layout.bounds, zoom, k)
    radii = draw_places(ax, layout.places, k)
    draw_events(ax, layout.events, k)
    label_places(ax, layout.places, radii, layout.place_articles, extent, k)
