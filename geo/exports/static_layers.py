"""The static briefing's screen layers beyond places and events: heatmap, grouped places, towns, the locator.

Each follows its browser counterpart closely enough that the two pictures read the same: the heatmap as
leaflet.heat composes it (a blurred disc per place, alpha by weight, coloured by the summed alpha), places
grouped on the same pixel grid as geo/maps/js/cluster_layer.js, towns as geo.maps.layers.cities_layer
picks them, and the locator as templates/briefing.js draws it (geo.exports.locator).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.patches import Circle, Rectangle

from geo.exports import locator
from geo.exports.layout import mercator
from geo.maps.cluster import CELL_PX
from geo.maps.layers import TOWN_NEAR_DEG
from geo.maps.style import CITY_STYLE, CLUSTER_COLOUR, SEA

# leaflet.heat as geo.maps.layers.heat_layer sets it up: disc radius and blur (CSS pixels), least opacity.
HEAT_RADIUS, HEAT_BLUR, HEAT_MIN_OPACITY = 22, 18, 0.35
HEAT_COLOURS = LinearSegmentedColormap.from_list(
    "heat", [(0.0, "blue"), (0.4, "blue"), (0.6, "cyan"), (0.7, "lime"), (0.8, "yellow"), (1.0, "red")])
# The cities layer's towns (geo.maps.layers.cities_layer): everywhere from WORLD_MIN people, near the places
# from LOCAL_MIN; their names from a zoom that falls with population.
TOWN_WORLD_MIN, TOWN_LOCAL_MIN = 500_000, 50_000


def heat_alpha(px_xy: np.ndarray, weights: np.ndarray, width: int, height: int, step: int = 2) -> np.ndarray:
    """The heat's summed alpha on a grid of `step` pixels over a box of width × height pixels (row 0 on top).

    Each place adds a disc blurred at its edge, at opacity max(weight, HEAT_MIN_OPACITY), composed as a
    canvas composes them (source over): 1 - Π(1 - a·k).
    """
    ys, xs = np.mgrid[0:height:step, 0:width:step].astype(float)
    rest = np.ones_like(xs)
    sigma = HEAT_BLUR / 2
    reach = HEAT_RADIUS + 3 * sigma
    for (x, y), w in zip(px_xy, weights):
        if x < -reach or y < -reach or x > width + reach or y > height + reach:
            continue
        d = np.hypot(xs - x, ys - y)
        k = 1 / (1 + np.exp(np.clip(1.702 * (d - HEAT_RADIUS) / sigma, -50, 50)))  # a disc blurred (normal CDF)
        rest *= 1 - max(float(w), HEAT_MIN_OPACITY) * k
    return 1 - rest


def draw_heat(ax, places: pd.DataFrame, extent, k: float) -> None:
    """Mention density as the dashboard's heatmap draws it: each place weighted by its share of the most
    mentioned one (at least 5 %)."""
    if places.empty:
        return
    xmin, ymin, xmax, ymax = extent
    box = ax.get_window_extent()
    css_per_px = 96 / ax.figure.dpi / k  # display pixels → CSS pixels of the web map
    width, height = int(box.width * css_per_px), int(box.height * css_per_px)
    xy = np.array([mercator(a, o) for a, o in zip(places["lat"], places["lon"])])
    px = np.column_stack([(xy[:, 0] - xmin) / (xmax - xmin) * width, (ymax - xy[:, 1]) / (ymax - ymin) * height])
    most = max(int(places["mentions"].max()), 1)
    weights = np.maximum(places["mentions"].to_numpy(float) / most, 0.05)
    alpha = heat_alpha(px, weights, width, height)
    rgba = HEAT_COLOURS(alpha)
    rgba[..., 3] = alpha
    ax.imshow(rgba, extent=(xmin, xmax, ymin, ymax), origin="upper", interpolation="bilinear", zorder=1.5,
              aspect="auto")


def cluster_groups(px_xy: np.ndarray, mentions: np.ndarray, cell: float = CELL_PX) -> list[list[int]]:
    """Places grouped as the cluster layer groups them: biggest first, each free place gathers the free
    places within `cell` pixels. Each group lists its members, biggest first."""
    order = np.argsort(-mentions, kind="stable")
    taken = np.zeros(len(px_xy), bool)
    groups = []
    for i in order:
        if taken[i]:
            continue
        near = ~taken & (np.hypot(*(px_xy - px_xy[i]).T) <= cell)
        near[i] = True
        taken |= near
        members = [int(j) for j in order if near[j]]
        groups.append(members)
    return groups


def bubble_px(total: int) -> float:
    """A group's bubble diameter in CSS pixels (geo/maps/js/cluster_layer.js)."""
    return round(min(46, 22 + 5 * math.log10(1 + total)))


def compact(n: int) -> str:
    return str(n) if n < 1000 else f"{round(n / 1000)}k" if n < 1e6 else f"{n / 1e6:.1f}M"


def draw_bubbles(ax, groups: list[list[int]], xy: np.ndarray, mentions: np.ndarray, k: float, pt_per_px: float) -> list:
    """One bubble per group of two or more places, with the mentions it holds; returns their centres and
    radii in points (for the labels to avoid)."""
    out = []
    for members in groups:
        if len(members) < 2:
            continue
        total = int(mentions[members].sum())
        radius_pt = bubble_px(total) / 2 * pt_per_px * k
        x, y = xy[members[0]]
        ax.scatter([x], [y], s=(2 * radius_pt) ** 2, color=to_rgba(CLUSTER_COLOUR, 0.82), edgecolors="white",
                   linewidths=2 * pt_per_px * k, zorder=4.6)
        ax.text(x, y, compact(total), ha="center", va="center", color="white", fontsize=9 * k, weight="bold",
                zorder=4.7, parse_math=False, clip_on=True)
        out.append((x, y, radius_pt))
    return out


def shown_towns(towns: pd.DataFrame, bounds) -> pd.DataFrame:
    """The towns the cities layer draws: the biggest everywhere, smaller ones near the places."""
    near = pd.Series(False, index=towns.index)
    if bounds is not None:
        (s, w), (n, e) = bounds
        near = towns["lon"].between(w - TOWN_NEAR_DEG, e + TOWN_NEAR_DEG) & towns["lat"].between(
            s - TOWN_NEAR_DEG, n + TOWN_NEAR_DEG)
    keep = (towns["population"] >= TOWN_WORLD_MIN) | ((towns["population"] >= TOWN_LOCAL_MIN) & near)
    return towns[keep].sort_values("population", ascending=False)


def town_min_zoom(population: np.ndarray) -> np.ndarray:
    """The zoom from which the cities layer names a town."""
    return np.select([population >= 1e6, population >= 3e5, population >= 1e5], [5, 7, 8], 9)


def draw_towns(ax, towns: pd.DataFrame, extent, k: float, pt_per_px: float) -> pd.DataFrame:
    """Town dots (the cities layer); returns the towns in view with their x, y in metres."""
    if towns.empty:
        return towns.assign(x=[], y=[])
    xy = np.array([mercator(a, o) for a, o in zip(towns["lat"], towns["lon"])])
    xmin, ymin, xmax, ymax = extent
    inside = (xy[:, 0] > xmin) & (xy[:, 0] < xmax) & (xy[:, 1] > ymin) & (xy[:, 1] < ymax)
    shown = towns[inside].assign(x=xy[inside, 0], y=xy[inside, 1])
    if shown.empty:
        return shown
    radius = np.where(shown["population"] >= 1e6, 3.5, 2.5) * pt_per_px * k
    ax.scatter(shown["x"], shown["y"], s=(2 * radius) ** 2, color=CITY_STYLE["fillColor"],
               edgecolors=CITY_STYLE["color"], linewidths=CITY_STYLE["weight"] * pt_per_px * k, zorder=3.2)
    return shown


def draw_locator(fig, ax_box_pt, page_h_pt: float, extent, zoom: float, countries, k: float, pt_per_px: float):
    """The locator inset in the map's lower-right corner; returns its box in points on the page (x, y, w, h)
    or None where the view needs none (geo.exports.locator)."""
    z = locator.inset_zoom(zoom)
    if z is None:
        return None
    mx, my, mw, mh = ax_box_pt
    w, h = (v * pt_per_px * k for v in locator.SIZE_PX)
    margin = 10 * pt_per_px * k
    x, y = mx + mw - margin - w, my + mh - margin - h
    W, H = fig.get_size_inches() * 72
    inset = fig.add_axes((x / W, 1 - (y + h) / H, w / W, h / H), zorder=3, label="locator")
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    x0, y0, x1, y1 = locator.inset_extent(cx, cy, z)
    inset.set_facecolor(SEA)
    shown = countries[countries.intersects(shapely.box(x0, y0, x1, y1))]
    if not shown.empty:
        style = locator.COUNTRY_STYLE
        shown.plot(ax=inset, facecolor=style["fillColor"], edgecolor=style["color"], linewidth=style["weight"] * pt_per_px)
    inset.set_xlim(x0, x1)
    inset.set_ylim(y0, y1)
    inset.set_aspect("auto")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    for spine in inset.spines.values():
        spine.set_edgecolor("#6b7480")
        spine.set_linewidth(0.8 * k)
    vx0, vy0, vx1, vy1 = extent
    res = (x1 - x0) / locator.SIZE_PX[0]  # metres per inset pixel
    if (vx1 - vx0) / res < locator.MIN_BOX_PX or (vy1 - vy0) / res < locator.MIN_BOX_PX:
        inset.add_patch(Circle((cx, cy), 6 * res, fill=False, edgecolor=locator.COLOUR, linewidth=1.5 * k, gid="view"))
    else:
        inset.add_patch(Rectangle((vx0, vy0), vx1 - vx0, vy1 - vy0, facecolor=to_rgba(locator.COLOUR, 0.12),
                                  edgecolor=locator.COLOUR, linewidth=1.5 * k, gid="view"))
    return x, y, w, h


def halo(k: float, width: float = 3.0) -> list:
    return [patheffects.withStroke(linewidth=width * k, foreground="white")]
