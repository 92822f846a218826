"""Places grouped by zoom level in the browser: one bubble per crowded screen cell, the places themselves
once they have room.

The map's places are already one row per place (many events share a town), so there are hundreds or a few
thousand of them, not 100,000: grouping them on a pixel grid at each zoom costs a few milliseconds in the
browser, needs no Python on pan or zoom, and avoids Leaflet.markercluster (slow on Streamlit reruns, and
its spiderfy is unreliable inside streamlit-folium). A bubble shows the mentions it holds; a click on it
zooms to its places; a click on a single place selects it, as on the plain places layer.
"""

from __future__ import annotations

from geo.maps.elements import CMElement

CELL_PX = 56  # places closer than this on screen (pixels) are grouped


class ClusterLayer(CMElement):
    """`data`: {"lat", "lon", "radius", "mentions", "style", "label" (escaped HTML), "name", "key"}."""

    plugin, options = "clusterLayer", ("data", "styles", "cell")  # geo/maps/js/cluster_layer.js

    def __init__(self, data: dict, styles: list[dict], *, cell: int = CELL_PX):
        super().__init__()
        self._name = "ClusterLayer"
        self.data, self.styles, self.cell = data, styles, cell
