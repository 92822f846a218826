"""Static briefing renderer: GeoPandas + matplotlib (Agg), no browser and no network.

The page is laid out in points on an overlay axes that covers the whole figure (origin top left); the
map is a second axes in Web Mercator metres, showing the same area the interactive map would show in
a box of the same size. PNG comes out at the preset's exact pixel size; PDF as pages of the preset: the
map, then (when the numbered sources do not fit beside it) the sources continued.
"""

from __future__ import annotations

import io
import math

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # before pyplot could be imported anywhere: no display, no GUI toolkit

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle

from geo.exports.layout import (
    CSS_PX_PER_IN,
    FIT_STEPS,
    PDF_FIT_STEPS,
    ArticleRef,
    Layout,
    inverse_mercator,
    more_note,
    nice_scale_km,
    plain,
    view_extent,
)
from geo.exports.static_labels import FONT, INK, PT_PER_PX
from geo.exports.static_layers import draw_locator
from geo.exports.static_map import MARKERS, draw_map, projected_countries
from geo.maps.legend import LegendEntry
from geo.maps.style import CHOROPLETH_COLOURS, event_style
from geo.view.state import MapState

MUTED = "#5b6470"
RULE = "#c9ced6"
KEY_PT, TITLE_PT, META_PT = 9.5, 9.5, 8.0  # the side panel's type at scale 1 (the browser's 12.5, 12.5, 10.5 px)


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


def _wrap(p: _Page, text: str, width_pt: float, size_pt: float, max_lines: int | None = None,
          weight: str = "normal") -> list[str]:
    """Words into lines no wider than width_pt (measured); a word wider than a line is broken. With
    `max_lines`, the last line is cut with an ellipsis (nothing the briefing shows is cut: it passes None)."""
    lines: list[str] = []
    words = text.split()
    while words and (max_lines is None or len(lines) < max_lines):
        line = words.pop(0)
        if _width_pt(p, line, size_pt, weight) > width_pt:  # a word wider than the line: break it
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


def _header(p: _Page, top: float, title: str | None = None, subtitle: str | None = None,
            right: tuple[str, str] | None = None) -> float:
    """Title and subtitle on the left, time window and counts on the right; returns the y below it. A long
    title shrinks a little, then goes on a second line: never cut."""
    L, m = p.layout, 16 * p.k
    title = L.title if title is None else title
    subtitle = L.subtitle if subtitle is None else subtitle
    when, summary = right or (L.time_window, L.summary)
    right_w = max(_width_pt(p, when, 12, "bold"), _width_pt(p, summary, 9.5)) + 8 * p.k
    title_w = p.W - 3 * m - right_w
    size = 22.0
    while size > 15 and _width_pt(p, title, size, "bold") > title_w:
        size -= 1
    y = top + m * 0.9
    for line in _wrap(p, title, title_w, size, weight="bold"):
        p.text(m, y, line, size, weight="bold")
        y += size * 1.3 * p.k
    y += 2 * p.k
    if subtitle:
        for line in _wrap(p, subtitle, title_w, 12):
            p.text(m, y, line, 12, color=MUTED)
            y += 15 * p.k
    p.text(p.W - m, top + m * 0.9 + 2 * p.k, when, 12, ha="right", weight="bold")
    p.text(p.W - m, top + m * 0.9 + 20 * p.k, summary, 9.5, ha="right", color=MUTED)
    bottom = max(y, top + m * 0.9 + 36 * p.k) + 2 * p.k
    p.line(m, bottom, p.W - m, bottom, color=RULE, lw=0.8 * p.k)
    return bottom


def _footer(p: _Page, bottom: float) -> float:
    """Attribution (every source, on as many lines as it needs) and generation time above the bottom
    banner; returns the y above it."""
    L, m = p.layout, 16 * p.k
    generated = f"Generated {L.generated} · Conflict Map"
    gen_w = _width_pt(p, generated, 7.5)
    lines = _wrap(p, L.attribution, p.W - 2 * m - gen_w - 16 * p.k, 7.5)
    y = bottom - 8 * p.k
    p.text(p.W - m, y, generated, 7.5, color=MUTED, va="bottom", ha="right")
    for line in reversed(lines):
        p.text(m, y, line, 7.5, color=MUTED, va="bottom")
        y -= 10 * p.k
    return y - 4 * p.k


def _symbol(p: _Page, e: LegendEntry, x: float, cy: float, s: float = 1.0) -> None:
    """The key's symbol of one entry, 14 points wide at scale 1, as the map's legend draws it (geo.maps.legend)."""
    k = p.k * s
    if e.kind in ("line", "dashed"):
        p.line(x + 1 * k, cy, x + 15 * k, cy, color=e.fill, lw=2.5 * p.k, solid_capstyle="butt",
               linestyle=(0, (2, 1.5)) if e.kind == "dashed" else "solid")
    elif e.kind == "ramp":
        for i, colour in enumerate(CHOROPLETH_COLOURS[1:]):
            p.rect(x + i * 3 * k, cy - 5 * k, 3 * k, 10 * k, facecolor=colour, edgecolor="none")
    elif e.kind == "event":
        st = event_style(e.event_type, e.fact)
        size = (10 if e.event_type else 6) * k
        p.ov.scatter([x + 7 * k], [cy], s=size**2, marker=MARKERS.get(st.get("shape"), "o"), color=st["fillColor"],
                     edgecolors="#333333" if e.fact and e.event_type else st["color"], linewidths=0.9 * k,
                     linestyles="--" if st.get("dashArray") else "-", gid="key-event")
    else:
        p.ov.scatter([x + 7 * k], [cy], s=(10 * k) ** 2, color=e.fill, edgecolors=e.stroke, linewidths=0.8 * k)


class _Panel:
    """The side panel at one fitting step: the key, then the sources in `cols` columns; measured first
    (`fits`), drawn after."""

    def __init__(self, p: _Page, x: float, y: float, w: float, bottom: float, scale: float, cols: int):
        self.p, self.x, self.y, self.w, self.bottom, self.s, self.cols = p, x, y, w, bottom, scale, cols
        k = p.k * scale
        L = p.layout
        self.key_size = KEY_PT * scale
        fits_two = all(_width_pt(p, plain(e.label), self.key_size) <= w / 2 - 22 * k for e in L.legend)
        self.key_cols = 2 if len(L.legend) > 5 and fits_two else 1
        key_w = w / self.key_cols - 20 * k
        self.key_lines = [_wrap(p, plain(e.label), key_w, self.key_size, weight="bold" if e.kind == "head" else "normal")
                          for e in L.legend]
        self.row = 16 * k
        self.line = 12 * k
        per_col = math.ceil(len(L.legend) / self.key_cols) if L.legend else 1
        heights = [self.row + (len(lines) - 1) * self.line for lines in self.key_lines]
        cols_h = [sum(heights[c * per_col:(c + 1) * per_col]) for c in range(self.key_cols)] or [self.row]
        self.key_h = 16 * k + max(cols_h) + 10 * k
        self.col_w = (w - (cols - 1) * 12 * k) / cols
        self.items = [source_item(p, a, self.col_w, scale) for a in L.articles]
        self.more = more_note(L)
        self.top = self.y + self.key_h + 16 * k
        self.spots = flow([h for _, _, h in self.items], cols, self.top, bottom - (14 * k if self.more else 0))

    @property
    def fits(self) -> bool:
        return self.spots is not None and len(self.spots) == len(self.items)

    def draw(self, items: int | None = None) -> None:
        p, k, L = self.p, self.p.k * self.s, self.p.layout
        x, y = self.x, self.y
        p.text(x, y, "KEY", 9 * self.s, weight="bold", color=MUTED)
        y += 16 * k
        per_col = math.ceil(len(L.legend) / self.key_cols) if L.legend else 1
        for c in range(self.key_cols):
            ey = y
            for e, lines in list(zip(L.legend, self.key_lines))[c * per_col:(c + 1) * per_col]:
                ex = x + c * self.w / self.key_cols
                cy = ey + 6 * k
                bold = e.kind == "head"
                if not bold:
                    _symbol(p, e, ex, cy, self.s)
                for i, line in enumerate(lines):
                    p.text(ex + (0 if bold else 20 * k), cy + i * self.line, line, self.key_size, va="center",
                           weight="bold" if bold else "normal")
                ey += self.row + (len(lines) - 1) * self.line
        if not L.legend:
            p.text(x, y, "nothing to show", self.key_size, color=MUTED)
        p.text(x, self.top - 16 * k, "SOURCES", 9 * self.s, weight="bold", color=MUTED)
        n = len(self.items) if items is None else items
        last_y = self.top
        for (title, meta, h), (col, iy), a in list(zip(self.items, self.spots or [], L.articles))[:n]:
            draw_source(p, a, title, meta, x + col * (self.col_w + 12 * k), iy, self.s)
            last_y = max(last_y, iy + h)
        note = self.more if items is None or items == len(self.items) else \
            f"continued overleaf ({len(self.items) - n} more){'; ' + self.more if self.more else ''}"
        if note:
            p.text(x + 20 * k, last_y, note, 8.5 * self.s, color=MUTED, style="italic")


def source_item(p: _Page, a: ArticleRef, width: float, scale: float) -> tuple[list[str], list[str], float]:
    """An article's lines in the list (title, then source · date — places), and its height in points."""
    k = p.k * scale
    title = _wrap(p, a.title, width - 20 * k, TITLE_PT * scale, weight="bold")
    meta = " · ".join(s for s in (a.source, a.published) if s)
    places = ", ".join(a.places)
    meta_lines = _wrap(p, f"{meta} — {places}" if meta and places else meta or places, width - 20 * k, META_PT * scale)
    return title, meta_lines, (13 * len(title) + 10.5 * len(meta_lines) + 8) * k


def draw_source(p: _Page, a: ArticleRef, title: list[str], meta: list[str], x: float, y: float, scale: float) -> None:
    k = p.k * scale
    label = str(a.number)
    box_w = max(14 * k, _width_pt(p, label, 7.5 * scale, "bold") + 5 * k)
    p.ov.add_patch(FancyBboxPatch((x, y + 0.5 * k), box_w, 12 * k, boxstyle=f"round,pad=0,rounding_size={3 * k}",
                                  facecolor=INK, edgecolor="none"))
    p.text(x + box_w / 2, y + 6.5 * k, label, 7.5 * scale, color="white", ha="center", va="center", weight="bold")
    for line in title:
        p.text(x + 20 * k, y, line, TITLE_PT * scale, weight="bold")
        y += 13 * k
    for line in meta:
        p.text(x + 20 * k, y, line, META_PT * scale, color=MUTED)
        y += 10.5 * k


def flow(heights: list[float], cols: int, top: float, bottom: float) -> list[tuple[int, float]] | None:
    """Items down `cols` columns between top and bottom, in order: each item's (column, y), or None when
    they do not all fit."""
    out, col, y = [], 0, top
    for h in heights:
        if y + h > bottom and y > top:
            col, y = col + 1, top
        if col >= cols or y + h > bottom:
            return None
        out.append((col, y))
        y += h
    return out


def _scale_bar(p: _Page, extent, map_box) -> tuple[float, float, float, float]:
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
    return x0 - 6 * k, y0 - 22 * k, length + 46 * k, 30 * k


def _north_arrow(p: _Page, map_box) -> tuple[float, float, float, float]:
    """North is up everywhere on Web Mercator, so the arrow points straight up."""
    x, y, w, _ = map_box
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
    return cx - 12 * k, top - 2 * k, 24 * k, 40 * k


# ---------------------------------------------------------------------------------------- entry


def _furniture_px(p: _Page, boxes) -> list[tuple[float, float, float, float]]:
    """Boxes in page points (x, y from the top left, w, h) as display pixels (y up)."""
    ppp = p.fig.dpi / 72
    return [(x * ppp, (p.H - y - h) * ppp, (x + w) * ppp, (p.H - y) * ppp) for x, y, w, h in boxes if w]


def _map_page(p: _Page, state: MapState, fmt: str, layers: dict):
    """Page one: banner, header, footer, the side panel at the first fitting step where every numbered source
    fits (a PDF stops early and continues overleaf), the map in the rest. Returns the panel and how many
    sources it shows."""
    k, m = p.k, 16 * p.k
    top = _banner(p, top=True)
    bottom = p.H - _banner(p, top=False)
    y_body = _header(p, top) + 12 * k
    y_foot = _footer(p, bottom)
    steps = FIT_STEPS[:PDF_FIT_STEPS] if fmt == "pdf" else FIT_STEPS
    for scale, cols, panel_px in steps:
        panel_w = panel_px * PT_PER_PX * k
        panel = _Panel(p, p.W - m - panel_w, y_body, panel_w, y_foot, scale, cols)
        if panel.fits:
            break
    shown = len(panel.items) if panel.fits else _fitting_prefix(panel)
    if not panel.fits and fmt != "pdf":
        shown = len(panel.items)  # a slide has no overleaf: the last step draws them all (tests catch an overflow)
        panel.spots = flow([h for _, _, h in panel.items], panel.cols, panel.top, 10**9)
    map_box = (m, y_body, p.W - 3 * m - panel.w, y_foot - y_body)
    _draw_map(p, state, map_box, layers)
    panel.draw(shown)
    return panel, shown


def _fitting_prefix(panel: _Panel) -> int:
    """How many of the panel's sources fit page one (at least one), the rest going overleaf."""
    heights = [h for _, _, h in panel.items]
    bottom = panel.bottom - 14 * panel.p.k * panel.s
    n = len(heights)
    while n > 1 and flow(heights[:n], panel.cols, panel.top, bottom) is None:
        n -= 1
    panel.spots = flow(heights[:n], panel.cols, panel.top, bottom) or [(0, panel.top)]
    return n


def _draw_map(p: _Page, state: MapState, map_box, layers: dict) -> None:
    layout, k = p.layout, p.k
    mx, my, mw, mh = map_box
    ax = p.fig.add_axes((mx / p.W, 1 - (my + mh) / p.H, mw / p.W, mh / p.H), zorder=1, label="map")
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
    furniture = [_scale_bar(p, extent, map_box), _north_arrow(p, map_box)]
    locator = draw_locator(p.fig, map_box, p.H, extent, zoom, projected_countries(layers.get("countries")), k,
                           PT_PER_PX)
    if locator is not None:
        furniture.append(locator)
    p.labels = draw_map(ax, state, layout, extent, zoom, k, furniture=_furniture_px(p, furniture), **layers)
    ax.set_aspect("auto")  # GeoPandas sets an equal aspect, which would shrink the box
    ax.set_xlabel("")  # and labels the axes with the CRS's units
    ax.set_ylabel("")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _continuation_pages(layout: Layout, articles: tuple[ArticleRef, ...], first_no: int) -> list[Figure]:
    """Further pages of a PDF: the sources page one had no room for, in two columns."""
    pages: list[Figure] = []
    rest = list(articles)
    number = first_no
    while rest:
        p = _Page(layout)
        k, m = p.k, 16 * p.k
        top = _banner(p, top=True)
        bottom = p.H - _banner(p, top=False)
        y = _header(p, top, title=layout.title, subtitle="Sources, continued",
                    right=(layout.time_window, f"page {number}")) + 12 * k
        y_foot = _footer(p, bottom)
        col_w = (p.W - 2 * m - 28 * k) / 2
        items = [source_item(p, a, col_w, 1.0) for a in rest]
        heights = [h for _, _, h in items]
        n = len(items)
        while n > 1 and flow(heights[:n], 2, y, y_foot) is None:
            n -= 1
        spots = flow(heights[:n], 2, y, y_foot) or [(0, y)]
        for (title, meta, _), (col, iy), a in zip(items[:n], spots, rest[:n]):
            draw_source(p, a, title, meta, m + col * (col_w + 28 * k), iy, 1.0)
        if n == len(rest) and layout.more_articles:
            col = spots[-1][0]
            last = max(iy + h for (c, iy), h in zip(spots, heights) if c == col)
            p.text(m + col * (col_w + 28 * k) + 20 * k, min(last, y_foot - 12 * k), more_note(layout), 8.5,
                   color=MUTED, style="italic")
        rest = rest[n:]
        pages.append(p.fig)
        number += 1
    return pages


def render_figures(
    state: MapState,
    layout: Layout,
    fmt: str = "png",
    *,
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
) -> list[Figure]:
    """The briefing's pages as matplotlib Figures: the map page, then (PDF only) the sources continued."""
    p = _Page(layout)
    _, shown = _map_page(p, state, fmt, {"airbases": airbases, "roads": roads, "countries": countries})
    p.fig.cm_labels = p.labels  # what was written on the map, for tests and checks
    rest = layout.articles[shown:]
    return [p.fig, *(_continuation_pages(layout, rest, 2) if rest else [])]


def render_figure(state: MapState, layout: Layout, **layers) -> Figure:
    """The briefing's first page as a matplotlib Figure (for PNG, or a caller's own format)."""
    return render_figures(state, layout, "png", **layers)[0]


def render_static(
    state: MapState,
    layout: Layout,
    fmt: str,
    **layers,
) -> bytes:
    """PNG (the preset's exact pixel size) or PDF (pages of the preset's size: the map, then the sources
    that page one had no room for)."""
    buf = io.BytesIO()
    if fmt == "png":
        fig = render_figure(state, layout, **layers)
        fig.savefig(buf, format="png", dpi=layout.briefing.page.png_ppi, facecolor="white")
    elif fmt == "pdf":
        figures = render_figures(state, layout, "pdf", **layers)
        meta = {"Title": layout.title or "Conflict Map briefing", "Creator": "Conflict Map"}
        # TrueType: text stays selectable and searchable
        with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buf, metadata=meta) as pdf:
            for fig in figures:
                pdf.savefig(fig, facecolor="white")
    else:
        raise ValueError(f"the static renderer writes png or pdf, not {fmt!r}")
    return buf.getvalue()
