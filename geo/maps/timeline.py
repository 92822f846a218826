"""Mentions over time as a small SVG bar chart, stacked by event type: no chart library.

One bar per day, week or month (geo.view.timebins chooses from the span). The chart is markup the
dashboard draws under the map inside the map's frame; geo/maps/js/timeline.js gives it a cursor (the time
player's step) and a brush (drag a range: it becomes the map state's time_from/time_to). What the script
needs to turn a pointer position into a date is on the <svg> as data-* attributes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from geo.maps.html import esc
from geo.maps.style import EVENT_COLOURS, NO_EVENT_BAR
from geo.view import timebins

WIDTH, HEIGHT = 760, 120
PAD_L, PAD_B, PAD_T, PAD_R = 34, 18, 6, 4
PER = {"day": "day", "week": "week", "month": "month"}


def timeline_key(kinds: Iterable[str]) -> str:
    """The colours of the timeline's stacked bars, as one line of HTML."""
    items = [f'<span style="white-space:nowrap;margin-right:.8em"><i style="display:inline-block;width:.7em;'
             f'height:.7em;background:{EVENT_COLOURS.get(k, NO_EVENT_BAR)};margin-right:.3em"></i>{esc(k)}</span>'
             for k in list(kinds) + ["no event"]]
    return f'<div style="font-size:.8rem;color:#444;line-height:1.6">{"".join(items)}</div>'


def _ticks(first: pd.Timestamp, last: pd.Timestamp, step: str, x_of) -> str:
    """Date labels under the bars: month starts (year starts for monthly bars), at most about twelve."""
    freq = "YS" if step == "month" else "MS"
    marks = [first] + [d for d in pd.date_range(first, last, freq=freq) if d > first]
    every = max(1, math.ceil(len(marks) / 12))
    out, free = [], 0.0  # where the last label ends: a label that would overlap it is left out
    for i, d in enumerate(marks[::every]):
        x = x_of(d)
        if i == 0:
            text = timebins.label(d, step) if step != "week" else f"{d.day} {d:%b %Y}"
        else:
            text = d.strftime("%Y" if step == "month" else "%b %Y" if d.month == 1 else "%b")
        if x + 2 < free:
            continue
        free = x + 2 + 5.6 * len(text) + 6  # ~5.6 units a character at font size 10
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{HEIGHT - PAD_B}" y2="{HEIGHT - PAD_B + 4}" stroke="#888"/>'
                   f'<text x="{x + 2:.1f}" y="{HEIGHT - 4}" font-size="10" fill="#555">{esc(text)}</text>')
    return "".join(out)


def timeline_svg(counts: pd.DataFrame, *, step: str = "day", highlight: pd.DataFrame | None = None,
                 by_type: pd.DataFrame | None = None, window: tuple[str | None, str | None] = (None, None),
                 colour: str = "#d7301f", highlight_colour: str = "#111111", label: str = "mentions") -> str:
    """Mentions per bin (geo.view.timebins.counts rows: "day" is each bin's first day) as an SVG bar chart.

    Bars stretch with the page (viewBox); hovering a bar shows its bin and counts. `by_type`
    (timebins.counts_by_type, same bins) stacks each bar by event type in the map's event colours;
    `highlight` (same columns and bins) is drawn over it in black, e.g. the selected place's mentions;
    `window` (ISO dates, inclusive) is the brushed range: the bars outside it are dimmed.
    """
    if counts is None or counts.empty:
        return ""
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_B - PAD_T
    bins = pd.DatetimeIndex(counts["day"])
    first, last = bins[0], bins[-1]
    bar_w = plot_w / len(bins)
    w = max(bar_w * 0.85, 0.8)
    top = max(int(counts["mentions"].max()), 1)
    base = PAD_T + plot_h

    def x_at(i: int) -> float:
        return PAD_L + i * bar_w

    def x_of(day) -> float:
        return x_at(int(timebins.index([pd.Timestamp(day).date()], first, step)[0]))

    def name(d) -> str:
        return esc(timebins.label(d, step))

    def bars(frame: pd.DataFrame, fill: str) -> str:
        out = []
        for i, (d, m, a) in enumerate(zip(frame["day"], frame["mentions"], frame["articles"])):
            if m > 0:
                h = plot_h * m / top
                out.append(f'<rect x="{x_at(i):.2f}" y="{base - h:.2f}" width="{w:.2f}" height="{h:.2f}" '
                           f'fill="{fill}"><title>{name(d)}: {int(m):,} {esc(label)}, {int(a):,} articles</title></rect>')
        return "".join(out)

    def stacks(frame: pd.DataFrame) -> str:
        """One path per event type (a few kB even for a year of days) and one hover target per bin."""
        kinds = [k for k in list(EVENT_COLOURS) + ["no event"] if k in frame]
        table = frame[kinds].to_numpy(int)
        paths: dict[str, list[str]] = {k: [] for k in kinds}
        hover = []
        for i, (d, row) in enumerate(zip(frame["day"], table)):
            x, y = x_at(i), base
            for kind, n in zip(kinds, row):
                if n > 0:
                    h = plot_h * n / top
                    y -= h
                    paths[kind].append(f"M{x:.1f} {y:.1f}h{w:.1f}v{h:.1f}h{-w:.1f}z")
            if row.sum():
                what = ", ".join(f"{n:,} {esc(k)}" for k, n in zip(kinds, row) if n)
                hover.append(f'<rect x="{x:.1f}" y="{PAD_T}" width="{w:.1f}" height="{plot_h}" fill="transparent">'
                             f"<title>{name(d)}: {what}</title></rect>")
        drawn = "".join(f'<path d="{"".join(paths[k])}" fill="{EVENT_COLOURS.get(k, NO_EVENT_BAR)}"/>'
                        for k in kinds if paths[k])
        return drawn + "".join(hover)

    axis = (f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{base}" y2="{base}" stroke="#888"/>'
            f'<text x="{PAD_L - 4}" y="{PAD_T + 9}" font-size="10" fill="#555" text-anchor="end">{top:,}</text>'
            f'<text x="{PAD_L - 4}" y="{base}" font-size="10" fill="#555" text-anchor="end">0</text>')
    body = stacks(by_type) if by_type is not None and len(by_type.columns) > 1 else bars(counts, colour)
    if highlight is not None and not highlight.empty:
        body += bars(highlight, highlight_colour)
    data = (f'data-step="{step}" data-first="{first.date().isoformat()}" data-n="{len(bins)}" '
            f'data-x0="{PAD_L}" data-bw="{bar_w:.4f}" data-top="{PAD_T}" data-bottom="{base}"')
    what = f"{esc(label)} per {PER.get(step, 'day')}"
    return (f'<svg class="cm-timeline" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" {data} '
            f'role="img" aria-label="{what}" xmlns="http://www.w3.org/2000/svg" '
            f'style="font-family:sans-serif;display:block;cursor:crosshair;touch-action:none;user-select:none">'
            f'{axis}{_ticks(first, last, step, x_of)}{body}{_window(window, bins, step, x_at, x_of)}</svg>')


def _window(window: tuple[str | None, str | None], bins: pd.DatetimeIndex, step: str, x_at, x_of) -> str:
    """The brushed range: the bars outside it dimmed, its edges drawn (none without a range)."""
    lo, hi = window
    if not lo and not hi:
        return ""
    first, last = bins[0], bins[-1]
    start = x_of(max(pd.Timestamp(lo), first)) if lo else x_at(0)
    end = x_of(min(pd.Timestamp(hi), timebins.bin_end(last, step))) + (x_at(1) - x_at(0)) if hi else x_at(len(bins))
    shade = 'fill="#ffffff" fill-opacity="0.7" pointer-events="none"'
    y, h = PAD_T, HEIGHT - PAD_B - PAD_T
    lo_txt, hi_txt = esc(lo or "start"), esc(hi or "end")
    return (f'<g class="cm-window" data-from="{esc(lo or "")}" data-to="{esc(hi or "")}">'
            f'<rect x="{PAD_L}" y="{y}" width="{max(start - PAD_L, 0):.1f}" height="{h}" {shade}/>'
            f'<rect x="{end:.1f}" y="{y}" width="{max(WIDTH - PAD_R - end, 0):.1f}" height="{h}" {shade}/>'
            f'<rect x="{start:.1f}" y="{y}" width="{max(end - start, 0.8):.1f}" height="{h}" fill="none" '
            f'stroke="#111" stroke-width="1" stroke-dasharray="3 2" pointer-events="none">'
            f"<title>Shown: {lo_txt} to {hi_txt}</title></rect></g>")
