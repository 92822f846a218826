"""The map of a static briefing, drawn with matplotlib as the browser draws the dashboard's: the same
layers in the same order, colours and sizes (geo.maps.style), in Web Mercator metres.

Sizes on the web map are CSS pixels; here they become points (72 per inch, 96 pixels per inch), times the
page's type scale `k`. Every layer of the dashboard is drawn but the time player (a control, not a picture).
"""

from __future__ import annotations

import html
import math
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.colors import to_rgba

from geo.exports.layout import (
    CSS_PX_PER_IN,
    MAX_MERC_LAT,
    Layout,
    inverse_mercator,
    mercator,
    plain,
)
from geo.exports.static_labels import (
    CITY_LABEL,
    COUNTRY_LABEL_STYLE,
    ROAD_LABEL,
    TOWN_LABEL,
    MapLabels,
)
from geo.exports.static_layers import (
    cluster_groups,
    draw_bubbles,
    draw_heat,
    draw_towns,
    shown_towns,
    town_min_zoom,
)
from geo.maps.base import (
    LABEL_MIN_ZOOM,
    city_labels,
    countries_frame,
    countries_geojson,
)
from geo.maps.basemap_detail import STYLE as DETAIL_STYLE
from geo.maps.events import spiral_slots
from geo.maps.layers import (
    AIRPORT_MIN_ZOOM,
    choropleth_breaks,
    schematic,
    shown_airfields,
)
from geo.maps.style import (
    AIRFIELD_STYLE,
    CHOROPLETH_COLOURS,
    COUNTRY_STYLE,
    EVENT_SPREAD_PX,
    GRATICULE_STYLE,
    ROAD_STYLE,
    SCHEMATIC_DASH,
    SEA,
    event_style,
    place_radius,
    place_style,
)
from geo.view.state import MapState

PT_PER_PX = 72 / CSS_PX_PER_IN
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


def draw_basemap(ax, countries: gpd.GeoDataFrame, extent, zoom: float, k: float) -> list[tuple]:
    """Sea, land, borders and graticule; returns the country names to write (x, y, name), written with the
    other labels so that none overlaps another."""
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
    if zoom < LABEL_MIN_ZOOM or shown.empty:
        return []
    return [(pt.x, pt.y, plain(name).upper()) for name, pt in zip(shown["name"], shown["label_point"])
            if xmin < pt.x < xmax and ymin < pt.y < ymax]


def draw_detail(ax, detail, extent, zoom: float, k: float) -> bool:
    """The detailed basemap's land, lakes, shorelines, rivers, first-level lines and borders, as
    geo/maps/js/basemap_detail.js draws its tiles; False where it has nothing at this zoom."""
    if detail is None or detail.level(zoom) is None:
        return False
    shapes = detail.shapes(zoom)
    if not any(shapes.values()):
        return False
    view = shapely.box(*extent)
    style = DETAIL_STYLE
    ax.set_facecolor(style["sea"])
    for kind, colour, z in (("land", style["land"], 1.01), ("lake", style["lake"], 1.02), ("isle", style["land"], 1.03)):
        polys = [shapely.Polygon(rings[0], rings[1:]) for rings in shapes[kind] if len(rings[0]) >= 3]
        polys = _projected(polys, view)
        if not polys.empty:
            polys.plot(ax=ax, facecolor=colour, edgecolor="none", linewidth=0, zorder=z)
    widths = {"coast": 0.8, "river": 1.4 if zoom >= 9 else 1.0, "admin1": 1.0, "border": 1.4 if zoom >= 7 else 1.1}
    for kind in ("coast", "river", "admin1", "border"):
        lines = _projected([shapely.LineString(line) for line in shapes[kind] if len(line) >= 2], view)
        if not lines.empty:
            lines.plot(ax=ax, color=style[kind], linewidth=_px(widths[kind], k), zorder=1.1,
                       linestyle=(0, (4, 3)) if kind == "admin1" else "solid", capstyle="round")
    return True


def _projected(geoms: list, view) -> gpd.GeoSeries:
    """Lon/lat shapes in Web Mercator metres, those that meet the view."""
    if not geoms:
        return gpd.GeoSeries([], crs=3857)
    clamped = shapely.transform(np.asarray(geoms, dtype=object), _clamp_lat)  # no clip: shapes may be invalid
    out = gpd.GeoSeries(clamped, crs=4326).to_crs(3857)
    return out[~out.is_empty & out.intersects(view)]


def _clamp_lat(coords: np.ndarray) -> np.ndarray:
    return np.column_stack([coords[:, 0], np.clip(coords[:, 1], -MAX_MERC_LAT + 0.05, MAX_MERC_LAT - 0.05)])


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


ROAD_LABEL_MIN_ZOOM = 7  # as geo.maps.layers.roads_layer names them
ROAD_LABEL_LIMIT = 60


def road_names(roads: gpd.GeoDataFrame, extent, zoom: float) -> pd.DataFrame:
    """The roads' names the map writes at this zoom (ref or name, "· schematic" for a corridor), each at the
    middle of its line, as geo.maps.layers.roads_layer places them; columns name, x, y (metres)."""
    if zoom < ROAD_LABEL_MIN_ZOOM or roads.empty:
        return pd.DataFrame(columns=["name", "x", "y"])
    dashed = schematic(roads)
    names = roads["name"] if "name" in roads else pd.Series("", index=roads.index)
    refs = roads.get("road", names)
    short = [f"{r if isinstance(r, str) and r else n}{' · schematic' if d else ''}" for r, n, d in zip(refs, names, dashed)]
    mid = shapely.line_interpolate_point(shapely.simplify(roads.geometry.to_numpy(), 0.002), 0.5, normalized=True)
    frame = pd.DataFrame({"name": short, "lat": shapely.get_y(mid), "lon": shapely.get_x(mid), "schematic": dashed.to_numpy()})
    if dashed.any() and len(frame) > 200:
        frame = frame[frame["schematic"]]
    xy = np.array([mercator(a, o) for a, o in zip(frame["lat"], frame["lon"])]).reshape(-1, 2)
    frame = frame.assign(x=xy[:, 0], y=xy[:, 1])
    xmin, ymin, xmax, ymax = extent
    inside = frame["x"].between(xmin, xmax) & frame["y"].between(ymin, ymax)
    return frame[inside].head(ROAD_LABEL_LIMIT)


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


def event_offset(slot: int, r0: float, spread: float = EVENT_SPREAD_PX) -> tuple[float, float]:
    """Where an event's symbol sits from its place, in CSS pixels (x right, y down): on a Fermat spiral that
    starts just outside the place's circle (radius r0; 0 where no circle is drawn), as
    geo/maps/js/event_layer.js places it."""
    if not slot and not r0:
        return 0.0, 0.0
    a = (slot + 1) * 2.39996
    r = (r0 + 6 if r0 else 0) + spread * math.sqrt(slot)
    return r * math.cos(a), r * math.sin(a)


def draw_events(ax, points: pd.DataFrame, k: float, around: dict | None = None) -> list[tuple[float, float, float]]:
    """One symbol per event (geo.view.event_points rows) on a spiral around its place, shaped and coloured by
    type, hollow where it did not simply happen, as on the map. `around`: each place's circle radius in CSS
    pixels (place id -> radius) where the places are drawn. Returns each symbol's centre in display pixels and
    radius in points (for the labels to avoid)."""
    if points.empty:
        return []
    to_px, from_px = ax.transData.transform, ax.transData.inverted().transform
    px_per_pt = ax.figure.dpi / 72
    out = []
    for row, slot in zip(points.itertuples(index=False), spiral_slots(points)):
        st = event_style(row.event_type if isinstance(row.event_type, str) else None, bool(row.fact))
        dx, dy = event_offset(int(slot), float(around.get(row.place_id, 0.0)) if around else 0.0)
        cx, cy = to_px(mercator(row.lat, row.lon))
        px, py = cx + _px(dx, k) * px_per_pt, cy - _px(dy, k) * px_per_pt  # screen y grows down
        x, y = from_px((px, py))
        ax.scatter([x], [y], s=(2 * _px(st["radius"], k)) ** 2, marker=MARKERS.get(st.get("shape"), "o"),
                   color=to_rgba(st["fillColor"], st["fillOpacity"]), edgecolors=st["color"],
                   linewidths=_px(st["weight"], k), linestyles="--" if st.get("dashArray") else "-", zorder=4.5,
                   gid="event")
        out.append((px, py, _px(st["radius"], k)))
    return out


def draw_map(ax, state: MapState, layout: Layout, extent, zoom: float, k: float, *,
             airbases: gpd.GeoDataFrame | None = None, roads: gpd.GeoDataFrame | None = None,
             countries: gpd.GeoDataFrame | None = None, furniture: tuple = ()) -> MapLabels:
    """Every layer the static renderer draws, bottom to top as geo.maps.compose orders them, then the names:
    places' first (most mentioned first), then towns', cities' and countries' where room is left.
    `furniture`: boxes in display pixels over the map (north arrow, scale, locator) that no name may cover."""
    drawn = layout.drawn
    projected = projected_countries(countries)
    country_names = draw_basemap(ax, projected, extent, zoom, k)
    draw_detail(ax, layout.detail, extent, zoom, k)
    if "countries" in drawn:
        draw_choropleth(ax, projected, layout.country_counts, extent, k)
    if "heatmap" in drawn:
        draw_heat(ax, layout.places, extent, k)
    if roads is not None and not roads.empty and "roads" in drawn:
        draw_roads(ax, roads, extent, k)
    towns = pd.DataFrame(columns=["name", "lat", "lon", "population"]) if layout.towns is None else layout.towns
    shown_town = pd.DataFrame(columns=["name", "x", "y", "population"])
    if "cities" in drawn and not towns.empty:
        shown_town = draw_towns(ax, shown_towns(towns, layout.bounds), extent, k, PT_PER_PX)
    if airbases is not None and not airbases.empty and "air bases" in drawn:
        draw_airfields(ax, airbases, extent, layout.bounds, zoom, k)
    labels = MapLabels(ax, k, furniture)
    places = layout.places if drawn & {"places", "clusters"} else layout.places.iloc[0:0]
    if "clusters" in drawn and not places.empty:
        xy = _place_xy(places)
        px = ax.transData.transform(xy) / (ax.figure.dpi / 72) / PT_PER_PX / k  # CSS pixels of the web map
        mentions = places["mentions"].to_numpy()
        groups = cluster_groups(px, mentions)
        for x, y, r in draw_bubbles(ax, groups, xy, mentions, k, PT_PER_PX):
            labels.avoid_circle(x, y, r)
        places = places.iloc[[g[0] for g in groups if len(g) == 1]]
    radii = draw_places(ax, places, k)
    for (x, y), r in zip(_place_xy(places), radii):
        labels.avoid_circle(x, y, r)
    if "events" in drawn:
        ring = bool(drawn & {"places", "clusters"}) and not layout.places.empty
        around = dict(zip(layout.places["place_id"], place_radius(layout.places["mentions"],
                                                                  layout.places["mentions"].max()))) if ring else None
        for px_, py_, r in draw_events(ax, layout.events, k, around):
            labels.avoid_px(px_, py_, r, event=True)
    labels.places(places, radii, layout.place_articles)
    if not shown_town.empty:
        minzoom = town_min_zoom(shown_town["population"].to_numpy(float))
        labels.names(shown_town[minzoom <= zoom], TOWN_LABEL)
    if layout.detail is not None:  # the detailed basemap's towns, else the coarse basemap's big cities
        labels.names(_in_view(layout.detail.towns(zoom), extent), CITY_LABEL)
    else:
        labels.names(basemap_cities(towns, extent, zoom), CITY_LABEL)
    if roads is not None and not roads.empty and "roads" in drawn:
        labels.names(road_names(roads, extent, zoom), ROAD_LABEL)
    labels.names(pd.DataFrame(country_names, columns=["x", "y", "name"]), COUNTRY_LABEL_STYLE)
    return labels


def _in_view(frame: pd.DataFrame, extent) -> pd.DataFrame:
    """Rows with lat, lon given x, y in metres, those inside the extent."""
    if frame.empty:
        return frame.assign(x=[], y=[])
    xy = np.array([mercator(a, o) for a, o in zip(frame["lat"], frame["lon"])])
    xmin, ymin, xmax, ymax = extent
    frame = frame.assign(x=xy[:, 0], y=xy[:, 1])
    return frame[frame["x"].between(xmin, xmax) & frame["y"].between(ymin, ymax)]


def basemap_cities(towns: pd.DataFrame, extent, zoom: float) -> pd.DataFrame:
    """The basemap's names of big cities (geo.maps.base.city_labels) shown at this zoom, with x, y in metres."""
    frame = pd.DataFrame(city_labels(towns if towns is not None and not towns.empty else None))
    frame = frame[frame["minzoom"] <= zoom] if not frame.empty else frame
    if frame.empty:
        return pd.DataFrame(columns=["name", "x", "y"])
    xy = np.array([mercator(a, o) for a, o in zip(frame["lat"], frame["lon"])])
    xmin, ymin, xmax, ymax = extent
    frame = frame.assign(x=xy[:, 0], y=xy[:, 1], name=[html.unescape(n) for n in frame["name"]])
    return frame[frame["x"].between(xmin, xmax) & frame["y"].between(ymin, ymax)]
