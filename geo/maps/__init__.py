"""The map: one renderer for the dashboard and the exports (the pipeline's last stage).

Modules by what they hold: `base` (the offline basemap, tools, the view), `layers` (the data layers),
`compose` (which layers a map state draws, in order), `legend`, `style` (colours and sizes, shared with
the matplotlib briefing), `html` (escaping, popups), `timeline`, `elements` (the small folium elements
that call the plugins of js/), `frame` (the dashboard frame's cut of a map), `assets` and `tiles`.
A handful of names are here for the pages.
"""

from geo.maps.base import base_map, fit_view, mention_bounds
from geo.maps.compose import Rows, Sources, map_layers
from geo.maps.layers import airfields_layer, places_layer
from geo.maps.legend import legend_layer

__all__ = ["Rows", "Sources", "airfields_layer", "base_map", "fit_view", "legend_layer", "map_layers",
           "mention_bounds", "places_layer"]
