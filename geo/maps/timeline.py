"""Mentions per day as a small SVG bar chart, stacked by event type: no script, no chart library."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from geo.maps.html import esc
from geo.maps.style import EVENT_COLOURS, NO_EVENT_BAR


def timeline_key(kinds: Iterable[str]) -> str:
    """The colours of the timeline's stacked bars, as one line of HTML."""
    items = [f'<span style="white-space:nowrap;margin-right:.8em"><i style="display:inline-block;width:.7em;'
             f'height:.7em;background:{EVENT_COLOURS.get(k, NO_EVENT_BAR)};margin-right:.3em"></i>{esc(k)}</span>'
             for k in list(kinds) + ["no event"]]
    return f'<div style="font-size:.8rem;color:#444;line-height:1.6">{"".join(items)}</div>'


def timeline_svg(days: pd.DataFrame, *, highlight: pd.DataFrame | None = None, width: int = 760,
                 height: int = 120, colour: str = "#d7301f", highlight_colour: str = "#111111",
                 label: str = "mentions", by_type: pd.DataFrame | None = None) -> str:
    """Mentions per day (mapdata.timeline rows) as a small SVG bar chart: no script, no chart library.

    Bars stretch with the page (viewBox); hovering a bar shows its day and counts. `highlight` (same
    columns) is drawn over it in another colour, e.g. the selected place's own mentions. `by_type`
    (mapdata.event_timeline rows) stacks each bar by event type in the map's event colours.
    """
    if days is None or days.empty:
        return ""
    pad_l, pad_b, pad_t = 34, 18, 6
    plot_w, plot_h = width - pad_l - 4, height - pad_b - pad_t
    first, last = days["day"].min(), days["day"].max()
    n_days = max(int((last - first).days) + 1, 1)
    bar_w = plot_w / n_days
    top = max(int(days["mentions"].max()), 1)

    def bars(frame: pd.DataFrame, fill: str) -> str:
        out = []
        for d, m, a in zip(frame["day"], frame["mentions"], frame["articles"]):
            if m <= 0:
                continue
            h = plot_h * m / top
            x = pad_l + (d - first).days * bar_w
            out.append(f'<rect x="{x:.2f}" y="{pad_t + plot_h - h:.2f}" width="{max(bar_w * 0.85, 0.8):.2f}" '
                       f'height="{h:.2f}" fill="{fill}"><title>{d.date().isoformat()}: {int(m):,} {label}, '
                       f"{int(a):,} articles</title></rect>")
        return "".join(out)

    ticks = []
    starts = [first] + [d for d in pd.date_range(first, last, freq="MS") if d > first]
    step = max(1, math.ceil(len(starts) / 12))
    for i, d in enumerate(starts[::step]):
        x = pad_l + (d - first).days * bar_w
        text = d.strftime("%d %b %Y") if i == 0 else d.strftime("%b %Y" if d.month == 1 else "%b")
        ticks.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad_t + plot_h}" y2="{pad_t + plot_h + 4}" stroke="#888"/>'
                     f'<text x="{x + 2:.1f}" y="{height - 4}" font-size="10" fill="#555">{esc(text)}</text>')
    axis = (f'<line x1="{pad_l}" x2="{width - 4}" y1="{pad_t + plot_h}" y2="{pad_t + plot_h}" stroke="#888"/>'
            f'<text x="{pad_l - 4}" y="{pad_t + 9}" font-size="10" fill="#555" text-anchor="end">{top:,}</text>'
            f'<text x="{pad_l - 4}" y="{pad_t + plot_h}" font-size="10" fill="#555" text-anchor="end">0</text>')
    def stacks(frame: pd.DataFrame) -> str:
        """One path per event type (a few kB even for a year of days) and one hover target per day."""
        kinds = [k for k in list(EVENT_COLOURS) + ["no event"] if k in frame]
        counts = frame[kinds].to_numpy(int)
        w = max(bar_w * 0.85, 0.8)
        paths: dict[str, list[str]] = {k: [] for k in kinds}
        hover = []
        for d, row in zip(frame["day"], counts):
            x, base = pad_l + (d - first).days * bar_w, pad_t + plot_h
            for kind, n in zip(kinds, row):
                if n > 0:
                    h = plot_h * n / top
                    base -= h
                    paths[kind].append(f"M{x:.1f} {base:.1f}h{w:.1f}v{h:.1f}h{-w:.1f}z")
            if row.sum():
                what = ", ".join(f"{n:,} {esc(k)}" for k, n in zip(kinds, row) if n)
                hover.append(f'<rect x="{x:.1f}" y="{pad_t}" width="{w:.1f}" height="{plot_h}" fill="transparent">'
                             f"<title>{d.date().isoformat()}: {what}</title></rect>")
        drawn = "".join(f'<path d="{"".join(paths[k])}" fill="{EVENT_COLOURS.get(k, NO_EVENT_BAR)}"/>'
                        for k in kinds if paths[k])
        return drawn + "".join(hover)

    base_bars = stacks(by_type) if by_type is not None and len(by_type.columns) > 1 else bars(days, colour)
    body = base_bars + (bars(highlight, highlight_colour) if highlight is not None else "")
    return (f'<svg class="cm-timeline" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-label="{esc(label)} per day" xmlns="http://www.w3.org/2000/svg" '
            f'style="font-family:sans-serif;display:block">{axis}{"".join(ticks)}{body}</svg>')
