"""Where a briefing puts a place's name: the spots tried around its circle, in order, for both renderers.

A spot is (x, y, gx, gy, extra): the label's offset as a share of its own width and height, the direction in
which the gap (the circle's radius plus a little) pushes it, and extra pixels of gap. The first free spot
wins (one that overlaps no label, symbol or map furniture and stays inside the map); with none, the label
is left out. Places are labelled most mentioned first.
"""

from __future__ import annotations

FAR_PX = 14  # the second ring of spots lies this much farther from the circle
GAP_PX = 3  # between a circle and its label
PAD_PX = 2  # kept clear around a label, so that two never touch

_AROUND = (  # right, left, above, below, then the four corners
    (0.0, -0.5, 1.0, 0.0), (-1.0, -0.5, -1.0, 0.0), (-0.5, -1.0, 0.0, -1.0), (-0.5, 0.0, 0.0, 1.0),
    (0.0, -1.0, 0.7, -0.7), (0.0, 0.0, 0.7, 0.7), (-1.0, -1.0, -0.7, -0.7), (-1.0, 0.0, -0.7, 0.7),
)
SPOTS: tuple[tuple[float, float, float, float, float], ...] = tuple(
    (*s, 0.0) for s in _AROUND) + tuple((*s, float(FAR_PX)) for s in _AROUND)


def offset(spot, width: float, height: float, gap: float) -> tuple[float, float]:
    """The label box's top-left corner relative to the place (x right, y down), in the label's units."""
    sx, sy, gx, gy, extra = spot
    return sx * width + gx * (gap + extra), sy * height + gy * (gap + extra)


def overlaps(a, b) -> bool:
    """Whether two boxes (left, top, right, bottom) overlap (touching edges do not)."""
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]
