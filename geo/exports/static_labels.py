"""The static briefing's names on the map, none over another: places first, then towns, cities, countries.

MapLabels keeps the boxes already taken on the map (in display pixels: symbols, map furniture, labels
written) and writes a name only where its box is free and inside the map. A place's name tries the spots
of geo.exports.labels in order (as the browser's briefing does); other names have one spot each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import patheffects

from geo.exports.labels import GAP_PX, PAD_PX, SPOTS, offset, overlaps
from geo.exports.layout import CSS_PX_PER_IN, citation, mercator, plain
from geo.maps.base import BROAD_FEATURES
from geo.maps.style import COUNTRY_LABEL

FONT = ["DejaVu Sans"]
INK = "#1d2733"
PT_PER_PX = 72 / CSS_PX_PER_IN
MAX_PLACE_LABELS = 30

# One spot per kind of name, as geo/maps/css/dashboard.css places it: size in CSS px, weight, colour, style,
# and how far the label's centre lies above its point, as a share of its height.
TOWN_LABEL = {"kind": "town", "size": 11, "weight": "bold", "color": "#222222", "style": "normal", "lift": 0.9}
CITY_LABEL = {"kind": "city", "size": 11, "weight": "normal", "color": "#3d3d3d", "style": "normal", "lift": 0.9}
ROAD_LABEL = {"kind": "road", "size": 10, "weight": "normal", "color": "#6b3d07", "style": "italic", "lift": 0.0}
COUNTRY_LABEL_STYLE = {"kind": "country", "size": 10, "weight": "normal", "color": COUNTRY_LABEL, "style": "normal", "lift": 0.0}


class MapLabels:
    """The names written on one map axes, and the boxes they keep clear (display pixels, y up)."""

    def __init__(self, ax, k: float, furniture=()):
        self.ax, self.k = ax, k
        self.renderer = ax.figure.canvas.get_renderer()
        self.px_per_pt = ax.figure.dpi / 72
        self.box = ax.get_window_extent(self.renderer)
        self.furniture = [tuple(b) for b in furniture]
        self.symbols: list[tuple[float, float, float, float]] = []  # places' and bubbles' boxes
        self.events: list[tuple[float, float, float, float]] = []  # events' boxes
        self._events_taken = False
        self.taken: list[tuple[float, float, float, float]] = list(self.furniture)
        self.written: list[tuple[str, str, tuple[float, float, float, float]]] = []  # (kind, text, box)

    # ------------------------------------------------------------------ what to keep clear

    def avoid_px(self, x: float, y: float, radius_pt: float, *, event: bool = False) -> None:
        """A symbol centred at (x, y) display pixels; an event's may be covered by a place's name that has no
        other room (events crowd around their place)."""
        r = radius_pt * self.px_per_pt + 1
        box = (x - r, y - r, x + r, y + r)
        (self.events if event else self.symbols).append(box)
        if not event:
            self.taken.append(box)

    def avoid_circle(self, x_m: float, y_m: float, radius_pt: float) -> None:
        """A symbol at (x, y) metres with this radius in points."""
        px, py = self.ax.transData.transform((x_m, y_m))
        self.avoid_px(px, py, radius_pt)

    # ------------------------------------------------------------------ writing

    def _free(self, b, *, events: bool = True) -> bool:
        """Whether a padded box lies inside the map, clear of what is taken (and of events, unless told)."""
        inside = b[0] >= self.box.x0 and b[2] <= self.box.x1 and b[1] >= self.box.y0 and b[3] <= self.box.y1
        clear = not any(overlaps(b, t) for t in self.taken)
        return inside and clear and not (events and any(overlaps(b, e) for e in self.events))

    def _text(self, x_m, y_m, text, *, size_px, weight, color, style="normal", halo=3.0, zorder=6.0):
        t = self.ax.annotate(text, (x_m, y_m), xytext=(0, 0), textcoords="offset points", ha="left", va="top",
                             fontsize=size_px * PT_PER_PX * self.k, family=FONT, color=color, weight=weight,
                             style=style, zorder=zorder, annotation_clip=False,
                             path_effects=[patheffects.withStroke(linewidth=halo * self.k, foreground="white")])
        t.set_parse_math(False)
        return t

    def _box(self, t):
        """The text's box in display pixels, with PAD_PX kept clear around it."""
        b = t.get_window_extent(self.renderer)
        pad = PAD_PX * PT_PER_PX * self.k * self.px_per_pt
        return (b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad)

    def place(self, x_m: float, y_m: float, text: str, gap_pt: float) -> bool:
        """A place's name at the first free spot around its circle; False (nothing written) when none is."""
        t = self._text(x_m, y_m, text, size_px=11.5, weight="bold", color=INK)
        b = t.get_window_extent(self.renderer)
        w_pt, h_pt = b.width / self.px_per_pt, b.height / self.px_per_pt
        for events in (True, False):  # clear of events if it can be, else over events alone
            for spot in SPOTS:
                dx, dy = offset(spot, w_pt, h_pt, gap_pt)
                t.set_position((dx, -dy))  # offset points: y up; the spots' y grows down
                b = self._box(t)
                if self._free(b, events=events):
                    self.taken.append(b)
                    self.written.append(("place", text, b))
                    return True
        t.remove()
        return False

    def places(self, places: pd.DataFrame, radii: np.ndarray, article_numbers: dict) -> int:
        """Names beside the places' circles (with the numbers of the listed articles that name them), most
        mentioned first; returns how many were written."""
        if places.empty:
            return 0
        order = np.argsort(-places["mentions"].to_numpy(), kind="stable")
        written = 0
        for i in order:
            if written >= MAX_PLACE_LABELS:
                break
            row = places.iloc[i]
            if row["feature"] in BROAD_FEATURES:
                continue
            x, y = mercator(row["lat"], row["lon"])
            nums = article_numbers.get((row["name"], row["lat"], row["lon"], row["feature"]), ())
            gap = radii[i] + GAP_PX * PT_PER_PX * self.k
            written += self.place(x, y, plain(row["name"]) + citation(nums), gap)
        return written

    def names(self, frame: pd.DataFrame, style: dict) -> int:
        """Names (columns name, x, y in metres) centred above their point where the box is free."""
        if not self._events_taken:  # from here on, events are kept clear like any symbol
            self.taken += self.events
            self._events_taken = True
        written = 0
        for name, x, y in zip(frame["name"], frame["x"], frame["y"]):
            text = plain(name)
            if not text:
                continue
            t = self._text(x, y, text, size_px=style["size"], weight=style["weight"], color=style["color"],
                           style=style["style"], halo=2.0, zorder=5.5)
            b = t.get_window_extent(self.renderer)
            w_pt, h_pt = b.width / self.px_per_pt, b.height / self.px_per_pt
            t.set_position((-w_pt / 2, h_pt / 2 + style["lift"] * h_pt))
            b = self._box(t)
            if self._free(b):
                self.taken.append(b)
                self.written.append((style["kind"], text, b))
                written += 1
            else:
                t.remove()
        return written
