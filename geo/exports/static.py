"""Static briefing renderer: GeoPandas + matplotlib (Agg), no browser and no network.

The page is laid out in points on an overlay axes that covers the whole figure (origin top left); the
map is a second axes in Web Mercator metres, showing the same area the interactive map would show in
a box of the same size. PNG comes out at the preset's exact pixel size; PDF as one page of the preset.
"""

from __future__ import annotations

import io
import math

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # before pyplot could be imported anywhere: no display, no GUI toolkit

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle

from geo.exports.layout import (
    CSS_PX_PER_IN,
    Layout,
    inverse_mercator,
    nice_scale_km,
    plain,
    view_extent,
)
from geo.exports.static_map import FONT, INK, MARKERS, draw_map
from geo.maps.legend import LegendEntry
from geo.maps.style import CHOROPLETH_COLOURS, event_style
from geo.view.state import MapState

MUTED = "#5b6470"
RULE = "#c9ced6"


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


def _symbol(p: _Page, e: LegendEntry, x: float, cy: float) -> None:
    """The key's symbol of one entry, 14 points wide, as the map's legend draws it (geo.maps.legend)."""
    k = p.k
    if e.kind in ("line", "dashed"):
        p.line(x + 1 * k, cy, x + 13 * k, cy, color=e.fill, lw=2.5 * k, solid_capstyle="butt",
               linestyle=(0, (2, 1.5)) if e.kind == "dashed" else "solid")
    elif e.kind == "ramp":
        for i, colour in enumerate(CHOROPLETH_COLOURS[1:]):
            p.rect(x + i * 3 * k, cy - 5 * k, 3 * k, 10 * k, facecolor=colour, edgecolor="none")
    elif e.kind == "event":
        st = event_style(e.event_type, e.fact)
        size = (10 if e.event_type else 6) * k
        p.ov.scatter([x + 7 * k], [cy], s=size**2, marker=MARKERS.get(st.get("shape"), "o"), color=st["fillColor"],
                     edgecolors="#333333" if e.fact and e.event_type else st["color"], linewidths=0.9 * k,
                     linestyles="--" if st.get("dashArray") else "-")
    else:
        p.ov.scatter([x + 7 * k], [cy], s=(10 * k) ** 2, color=e.fill, edgecolors=e.stroke, linewidths=0.8 * k)


def _panel(p: _Page, x: float, y: float, w: float, bottom: float) -> None:
    """The key, then the numbered source articles, as many as fit above `bottom`."""
    L, k = p.layout, p.k
    p.text(x, y, "KEY", 9, weight="bold", color=MUTED)
    y += 16 * k
    fits_two = all(_width_pt(p, plain(e.label), 9.5) <= w / 2 - 22 * k for e in L.legend)
    cols = 2 if len(L.legend) > 5 and fits_two else 1
    col_w = w / cols
    rows = math.ceil(len(L.legend) / cols)
    for i, e in enumerate(L.legend):
        ex, ey = x + (i // rows) * col_w, y + (i % rows) * 16 * k
        cy = ey + 6 * k
        if e.kind == "head":
            p.text(ex, cy, _wrap(p, plain(e.label), col_w - 2 * k, 9.5, 1, "bold")[0], 9.5, va="center", weight="bold")
            continue
        _symbol(p, e, ex, cy)
        p.text(ex + 20 * k, cy, _wrap(p, plain(e.label), col_w - 22 * k, 9.5, 1)[0], 9.5, va="center")
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
    draw_map(ax, state, layout, extent, zoom, k, airbases=airbases, roads=roads, countries=countries)
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
