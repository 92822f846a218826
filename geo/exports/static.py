"""Static briefing renderer: GeoPandas + matplotlib (Agg), no browser and no network.

The page is laid out in points on an overlay axes that covers the whole figure (origin top left); the
map is a second axes in Web Mercator metres, showing the same area the interactive map would show in
a box of the same size. PNG comes out at the preset's exact pixel size; PDF as one page of the preset.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # before pyplot could be imported anywhere: no display, no GUI toolkit

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle  # noqa: E402

from geo.exports.layout import (  # noqa: E402
    CSS_PX_PER_IN,
    MAX_MERC_LAT,
    ROAD_COLOUR,
    Layout,
    inverse_mercator,
    mercator,
    nice_scale_km,
    plain,
    view_extent,
)
from geo.view.state import MapState  # noqa: E402
from geo.maps.view import (  # noqa: E402
    AIRFIELD_STYLE,
    AIRPORT_MARGIN_DEG,
    BROAD_FEATURES,
    FEATURE_COLOURS,
    OTHER_COLOUR,
    countries_frame,
    marker_radius,
)

SEA = "#d4e4f1"
LAND = "#f4f1e8"
BORDER = "#8a8a8a"
GRATICULE = "#9fb6c9"
COUNTRY_LABEL = "#7a7366"
INK = "#1d2733"
MUTED = "#5b6470"
RULE = "#c9ced6"
FONT = ["DejaVu Sans"]
PT_PER_PX = 72 / CSS_PX_PER_IN
MAX_PLACE_LABELS = 30

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
    return _project_countries(countries_frame())


def _projected_countries(countries: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    return _default_countries() if countries is None else _project_countries(countries)


# ---------------------------------------------------------------------------------------- page


class _Page:
    """The figure, with an overlay axes in points measured from the top-left corner."""

    def __init__(self, layout: Layout):
        self.layout = layout
        page = layout.briefing.page
        self.w_in, self.h_in = page.width_in, page.height_in
        self.W, self.H = self.w_in * 72, self.h_in * 72
        self.k = 1.0  # type and symbol scale; 1: a point is a point on every preset, as CSS pixels are in the browser
        self.fig = Figure(figsize=(self.w_in, self.h_in), dpi=page.png_ppi, facecolor="white")
        self.renderer = FigureCanvasAgg(self.fig).get_renderer()
        self.ov = self.fig.add_axes((0, 0, 1, 1), zorder=5)
        self.ov.set_xlim(0, self.W)
        self.ov.set_ylim(self.H, 0)
        self.ov.set_axis_off()
        self.ov.patch.set_alpha(0)

    def text(self, x, y, s, size, **kw):
        kw.setdefault("color", INK)
        kw.setdefault("va", "top")
        return self.ov.text(x, y, s, fontsize=size * self.k, family=FONT, parse_math=False, **kw)

    def rect(self, x, y, w, h, **kw):
        self.ov.add_patch(Rectangle((x, y), w, h, **kw))

    def line(self, x0, y0, x1, y1, **kw):
        self.ov.plot([x0, x1], [y0, y1], **kw)


def _banner(p: _Page, top: bool) -> float:
    """Draws the banner band at the top or bottom of the page; returns its height (0 without a banner)."""
    text = p.layout.banner
    if not text:
        return 0.0
    h = 18 * p.k
    y = 0 if top else p.H - h
    b = p.layout.briefing
    p.rect(0, y, p.W, h, facecolor=b.banner_bg, edgecolor="none")
    p.text(p.W / 2, y + h / 2, text.upper(), 10, color=b.banner_fg, ha="center", va="center", weight="bold")
    return h


def _width_pt(p: _Page, text: str, size_pt: float, weight: str = "normal") -> float:
    prop = FontProperties(family=FONT, size=size_pt * p.k, weight=weight)
    w, _, _ = p.renderer.get_text_width_height_descent(text, prop, ismath=False)
    return w * 72 / p.fig.dpi


def _wrap(p: _Page, text: str, width_pt: float, size_pt: float, max_lines: int, weight: str = "normal") -> list[str]:
    """Words into at most max_lines lines no wider than width_pt (measured), the last cut with an ellipsis."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        if _width_pt(p, line, size_pt, weight) > width_pt:  # a word wider than the line: cut it
            cut = len(line) - 1
            while cut > 1 and _width_pt(p, line[:cut], size_pt, weight) > width_pt:
                cut -= 1
            words.insert(0, line[cut:])
            line = line[:cut]
        while words and _width_pt(p, line + " " + words[0], size_pt, weight) <= width_pt:
            line += " " + words.pop(0)
        lines.append(line)
    if words and lines:
        last = lines[-1]
        while last and _width_pt(p, last + "…", size_pt, weight) > width_pt:
            last = last[:-1]
        lines[-1] = last.rstrip(" ,;:–—-") + "…"
    return lines or [""]


def _header(p: _Page, top: float) -> float:
    """Title and subtitle on the left, time window and counts on the right; returns the y below it."""
    L, m = p.layout, 16 * p.k
    right_w = p.W * 0.30
    title_w = p.W - 3 * m - right_w
    size = 22.0
    while size > 15 and _width_pt(p, L.title, size, "bold") > title_w:  # long titles shrink a little first
        size -= 1
    p.text(m, top + m * 0.9, _wrap(p, L.title, title_w, size, 1, "bold")[0], size, weight="bold")
    y = top + m * 0.9 + 30 * p.k
    if L.subtitle:
        p.text(m, y, _wrap(p, L.subtitle, p.W - 3 * m - right_w, 12, 1)[0], 12, color=MUTED)
    p.text(p.W - m, top + m * 0.9 + 2 * p.k, L.time_window, 12, ha="right", weight="bold")
    p.text(p.W - m, top + m * 0.9 + 20 * p.k, L.summary, 9.5, ha="right", color=MUTED)
    bottom = top + m * 0.9 + (52 if L.subtitle else 36) * p.k
    p.line(m, bottom, p.W - m, bottom, color=RULE, lw=0.8 * p.k)
    return bottom


def _footer(p: _Page, bottom: float) -> float:
    """Attribution and generation time above the bottom banner; returns the y above it."""
    L, m = p.layout, 16 * p.k
    y = bottom - 8 * p.k
    p.text(m, y, L.attribution, 7.5, color=MUTED, va="bottom")
    p.text(p.W - m, y, f"Generated {L.generated} · Conflict Map", 7.5, color=MUTED, va="bottom", ha="right")
    return y - 14 * p.k


def _panel(p: _Page, x: float, y: float, w: float, bottom: float) -> None:
    """The key, then the numbered source articles, as many as fit above `bottom`."""
    L, k = p.layout, p.k
    p.text(x, y, "KEY", 9, weight="bold", color=MUTED)
    y += 16 * k
    fits_two = all(_width_pt(p, e.label, 9.5) <= w / 2 - 22 * k for e in L.legend)
    cols = 2 if len(L.legend) > 5 and fits_two else 1
    col_w = w / cols
    rows = math.ceil(len(L.legend) / cols)
    for i, e in enumerate(L.legend):
        ex, ey = x + (i // rows) * col_w, y + (i % rows) * 16 * k
        cy = ey + 6 * k
        if e.kind == "line":
            p.line(ex + 1 * k, cy, ex + 13 * k, cy, color=e.fill, lw=2 * k, solid_capstyle="round")
        else:
            p.ov.scatter([ex + 7 * k], [cy], s=(10 * k) ** 2, color=e.fill, edgecolors=e.stroke, linewidths=0.8 * k)
        p.text(ex + 20 * k, cy, _wrap(p, e.label, col_w - 22 * k, 9.5, 1)[0], 9.5, va="center")
    y += rows * 16 * k
    if not L.legend:
        p.text(x, y, "nothing to show", 9.5, color=MUTED)
        y += 16 * k
    y += 10 * k
    p.text(x, y, "SOURCES", 9, weight="bold", color=MUTED)
    y += 16 * k
    more = L.more_articles
    for i, a in enumerate(L.articles):
        title = _wrap(p, a.title, w - 20 * k, 9.5, 2, "bold")
        meta = " · ".join(s for s in (a.source, a.published) if s)
        places = ", ".join(a.places)
        meta_line = _wrap(p, f"{meta} — {places}" if meta else places, w - 20 * k, 8, 1)[0]
        need = (13 * len(title) + 12 + 8) * k
        if y + need > bottom - (14 * k if i < len(L.articles) - 1 or more else 0):
            more += len(L.articles) - i
            break
        p.ov.add_patch(FancyBboxPatch((x, y + 0.5 * k), 14 * k, 12 * k, boxstyle=f"round,pad=0,rounding_size={3 * k}",
                                      facecolor=INK, edgecolor="none"))
        p.text(x + 7 * k, y + 6.5 * k, str(a.number), 7.5, color="white", ha="center", va="center", weight="bold")
        for line in title:
            p.text(x + 20 * k, y, line, 9.5, weight="bold")
            y += 13 * k
        p.text(x + 20 * k, y, meta_line, 8, color=MUTED)
        y += 20 * k
    if more:
        p.text(x + 20 * k, y, f"and {more} more article{'s' if more != 1 else ''}", 8.5, color=MUTED, style="italic")


# ---------------------------------------------------------------------------------------- map


def _draw_basemap(ax, countries: gpd.GeoDataFrame, extent, zoom: float, k: float) -> None:
    xmin, ymin, xmax, ymax = extent
    ax.set_facecolor(SEA)
    view = shapely.box(xmin, ymin, xmax, ymax)
    shown = countries[countries.intersects(view)]
    if not shown.empty:
        shown.plot(ax=ax, facecolor=LAND, edgecolor=BORDER, linewidth=0.6 * k, zorder=1)
    # Graticule every 1, 2, 5, 10 or 20 degrees, about four to eight lines across.
    lat0, lon0 = inverse_mercator(xmin, ymin)
    lat1, lon1 = inverse_mercator(xmax, ymax)
    span = max(lon1 - lon0, 1e-6)
    step = next((s for s in (1, 2, 5, 10, 20, 30) if span / s <= 8), 45)
    for lon in np.arange(math.ceil(lon0 / step) * step, lon1 + 1e-9, step):
        x = mercator(0, float(lon))[0]
        ax.plot([x, x], [ymin, ymax], color=GRATICULE, lw=0.5 * k, alpha=0.8, zorder=0.5)
    for lat in np.arange(math.ceil(lat0 / step) * step, lat1 + 1e-9, step):
        y = mercator(float(lat), 0)[1]
        ax.plot([xmin, xmax], [y, y], color=GRATICULE, lw=0.5 * k, alpha=0.8, zorder=0.5)
    if zoom >= 4 and not shown.empty:
        halo = [patheffects.withStroke(linewidth=2.5 * k, foreground=LAND)]
        for name, pt in zip(shown["name"], shown["label_point"]):
            if xmin < pt.x < xmax and ymin < pt.y < ymax:
                ax.text(pt.x, pt.y, plain(name).upper(), fontsize=7.5 * k, color=COUNTRY_LABEL, ha="center",
                        va="center", family=FONT, zorder=2, parse_math=False, path_effects=halo, clip_on=True)


def _draw_roads(ax, roads: gpd.GeoDataFrame, extent, k: float) -> None:
    view = shapely.box(*extent)
    r = roads.to_crs(3857)
    r = r[r.intersects(view)]
    if not r.empty:
        r.plot(ax=ax, color="white", linewidth=3.2 * k, zorder=2.5, alpha=0.9)
        r.plot(ax=ax, color=ROAD_COLOUR, linewidth=1.6 * k, zorder=2.6)


def _draw_airfields(ax, airbases: gpd.GeoDataFrame, extent, bounds, k: float) -> None:
    keep = airbases["kind"].eq("air base")
    if bounds is not None:
        (s, w), (n, e) = bounds
        mg = AIRPORT_MARGIN_DEG
        keep |= airbases.geometry.x.between(w - mg, e + mg) & airbases.geometry.y.between(s - mg, n + mg)
    a = airbases[keep].to_crs(3857)
    xmin, ymin, xmax, ymax = extent
    a = a[a.geometry.x.between(xmin, xmax) & a.geometry.y.between(ymin, ymax)]
    for kind in ("airport", "air base"):
        sub = a[a["kind"].eq(kind)]
        if sub.empty:
            continue
        st = AIRFIELD_STYLE[kind]
        d = 2 * st["radius"] * PT_PER_PX * k
        ax.scatter(sub.geometry.x, sub.geometry.y, s=d**2, color=st["fillColor"], edgecolors=st["color"],
                   linewidths=st["weight"] * PT_PER_PX * k, alpha=st["fillOpacity"], zorder=3)


def _overlaps(box, boxes) -> bool:
    return any(box.overlaps(b) for b in boxes)


def _draw_places(ax, places: pd.DataFrame, article_numbers: dict, extent, k: float) -> None:
    if places.empty:
        return
    xy = np.array([mercator(lat, lon) for lat, lon in zip(places["lat"], places["lon"])])
    radii = np.array([marker_radius(int(n)) for n in places["mentions"]]) * PT_PER_PX * k
    colours = [FEATURE_COLOURS.get(f, OTHER_COLOUR) for f in places["feature"]]
    order = np.argsort(-radii, kind="stable")  # big circles underneath
    ax.scatter(xy[order, 0], xy[order, 1], s=(2 * radii[order]) ** 2, c=[colours[i] for i in order], alpha=0.85,
               edgecolors="#222222", linewidths=1.2 * PT_PER_PX * k, zorder=4)
    # Labels, most mentioned first, each where it overlaps no other label or circle.
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


def _scale_bar(p: _Page, extent, map_box) -> None:
    """A bar of a round number of kilometres, true at the map's centre latitude, bottom left.

    Web Mercator stretches distances by 1/cos(latitude), so the bar says at which latitude it holds.
    """
    xmin, ymin, xmax, ymax = extent
    x, y, w, h = map_box  # points on the page
    k = p.k
    lat_c, _ = inverse_mercator((xmin + xmax) / 2, (ymin + ymax) / 2)
    km_per_pt = (xmax - xmin) / w * math.cos(math.radians(lat_c)) / 1000
    km = nice_scale_km(km_per_pt * w * 0.22)
    length = km / km_per_pt
    x0, y0 = x + 12 * k, y + h - 14 * k
    p.ov.add_patch(FancyBboxPatch((x0 - 6 * k, y0 - 22 * k), length + 46 * k, 30 * k,
                                  boxstyle=f"round,pad=0,rounding_size={3 * k}", facecolor="white", alpha=0.85,
                                  edgecolor="none", zorder=6))
    seg = length / 4
    for i in range(4):
        p.rect(x0 + i * seg, y0 - 4 * k, seg, 4 * k, facecolor=INK if i % 2 == 0 else "white", edgecolor=INK,
               lw=0.6 * k, zorder=7)
    for frac, label in ((0, "0"), (0.5, f"{km / 2:g}"), (1, f"{km:g} km")):
        ha = "left" if frac == 1 else "center"
        dx = -3 * k if frac == 1 else 0
        p.text(x0 + frac * length + dx, y0 - 7 * k, label, 7.5, ha=ha, va="bottom", zorder=8)
    hemi = "N" if lat_c >= 0 else "S"
    p.text(x0 + length + 8 * k, y0 - 2 * k, f"at {abs(lat_c):.0f}°{hemi}", 6.5, color=MUTED, va="center", zorder=8)


def _north_arrow(p: _Page, map_box) -> None:
    """North is up everywhere on Web Mercator, so the arrow points straight up."""
    x, y, w, h = map_box
    k = p.k
    cx, top = x + w - 22 * k, y + 12 * k
    p.ov.add_patch(FancyBboxPatch((cx - 12 * k, top - 2 * k), 24 * k, 40 * k, boxstyle=f"round,pad=0,rounding_size={3 * k}",
                                  facecolor="white", alpha=0.85, edgecolor="none", zorder=6))
    tip, base = top + 12 * k, top + 34 * k
    p.ov.add_patch(Polygon([(cx, tip), (cx - 7 * k, base), (cx, base - 6 * k)], closed=True, facecolor=INK,
                           edgecolor=INK, lw=0.6 * k, zorder=7))
    p.ov.add_patch(Polygon([(cx, tip), (cx + 7 * k, base), (cx, base - 6 * k)], closed=True, facecolor="white",
                           edgecolor=INK, lw=0.6 * k, zorder=7))
    p.text(cx, top, "N", 9, ha="center", weight="bold", zorder=8)


# ---------------------------------------------------------------------------------------- entry


def render_figure(
    state: MapState,
    layout: Layout,
    *,
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
) -> Figure:
    """The briefing page as a matplotlib Figure (for PNG, PDF, or a caller's own format)."""
    p = _Page(layout)
    k = p.k
    m = 16 * k
    top = _banner(p, top=True)
    bottom = p.H - _banner(p, top=False)
    y_body = _header(p, top) + 12 * k
    y_foot = _footer(p, bottom)
    panel_w = max(p.W * 0.27, 230 * k)
    map_box = (m, y_body, p.W - 3 * m - panel_w, y_foot - y_body)  # x, y, w, h in points; the panel ends m from the edge
    mx, my, mw, mh = map_box
    ax = p.fig.add_axes((mx / p.W, 1 - (my + mh) / p.H, mw / p.W, mh / p.H), zorder=1)
    # The area the browser would show in a map box of this size (points → CSS pixels: 96 per inch).
    x0, y0, x1, y1, zoom = view_extent(state, layout.bounds, mw / 72 * CSS_PX_PER_IN, mh / 72 * CSS_PX_PER_IN)
    extent = (x0, y0, x1, y1)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_autoscale_on(False)  # GeoPandas would fit the axes to what it plots
    ax.set_aspect("auto")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#6b7480")
        spine.set_linewidth(0.8 * k)
    _draw_basemap(ax, _projected_countries(countries), extent, zoom, k)
    if roads is not None and not roads.empty and "roads" in state.layers:
        _draw_roads(ax, roads, extent, k)
    if airbases is not None and not airbases.empty and "air bases" in state.layers:
        _draw_airfields(ax, airbases, extent, layout.bounds, k)
    if "places" in state.layers:
        _draw_places(ax, layout.places, layout.place_articles, extent, k)
    ax.set_aspect("auto")  # GeoPandas sets an equal aspect, which would shrink the box
    ax.set_xlabel("")  # and labels the axes with the CRS's units
    ax.set_ylabel("")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    _scale_bar(p, extent, map_box)
    _north_arrow(p, map_box)
    _panel(p, mx + mw + m, y_body, panel_w, y_foot)
    return p.fig


def render_static(
    state: MapState,
    layout: Layout,
    fmt: str,
    **layers,
) -> bytes:
    """PNG (the preset's exact pixel size) or PDF (one page of the preset's size)."""
    fig = render_figure(state, layout, **layers)
    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=layout.briefing.page.png_ppi, facecolor="white")
    elif fmt == "pdf":
        with matplotlib.rc_context({"pdf.fonttype": 42}):  # TrueType: text stays selectable and searchable
            fig.savefig(buf, format="pdf", facecolor="white",
                        metadata={"Title": layout.title or "Conflict Map briefing", "Creator": "Conflict Map"})
    else:
        raise ValueError(f"the static renderer writes png or pdf, not {fmt!r}")
    return buf.getvalue()
