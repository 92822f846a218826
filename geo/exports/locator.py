"""The locator inset of a briefing: a small map of the surroundings with the view outlined on it.

Both renderers draw it from these numbers, so it shows the same area in a PNG from Chromium
(templates/briefing.js) and from matplotlib (static_map.draw_locator): the view's centre, a few zoom
levels out, in a box of SIZE_PX CSS pixels in the map's lower-right corner.
"""

from __future__ import annotations

from geo.exports.layout import metres_per_px
from geo.maps.style import COUNTRY_STYLE as _COUNTRY

SIZE_PX = (176, 124)  # width, height in CSS pixels
ZOOM_OFFSET = 4  # the inset shows the view's zoom minus this...
ZOOMS = (2, 4)  # ...within these zooms: a region, never more than a continent
MIN_VIEW_ZOOM = 5  # a view of a continent locates itself: no inset
COLOUR = "#c8102e"
COUNTRY_STYLE = {"color": _COUNTRY["color"], "weight": 0.5, "fillColor": _COUNTRY["fillColor"], "fillOpacity": 1}
MIN_BOX_PX = 8  # a view smaller than this on the inset is shown as a ring


def inset_zoom(view_zoom: float) -> int | None:
    """The inset's zoom for a view at `view_zoom`, or None when the view needs no locator."""
    zoom = round(view_zoom)
    if zoom < MIN_VIEW_ZOOM:
        return None
    return max(ZOOMS[0], min(ZOOMS[1], zoom - ZOOM_OFFSET))


def inset_extent(centre_x: float, centre_y: float, zoom: int) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in EPSG:3857 metres of an inset centred on the view at `zoom`."""
    res = metres_per_px(zoom)
    w, h = SIZE_PX
    return centre_x - w / 2 * res, centre_y - h / 2 * res, centre_x + w / 2 * res, centre_y + h / 2 * res
