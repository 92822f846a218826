"""A click on the map, as the map's frame reports it, turned into the next map state."""

from __future__ import annotations

from collections.abc import MutableMapping

import pandas as pd

from geo.store.frames import nearest_place
from geo.view.state import MapState


def state_after_click(value: object, state: MapState, places: pd.DataFrame | None, airbases,
                      memory: MutableMapping) -> MapState:
    """The state after a click on the map, as its frame reported it (see geo.maps.elements.ViewSync).

    A click is handled once (`memory` keeps the last click's time: the frame keeps returning the last
    value on later reruns); it selects a place of the store or an airfield of the layer, and brings the
    map's current view along so the URL has it.
    """
    if not isinstance(value, dict):
        return state
    clicked = value.get("cm_clicked")
    if not isinstance(clicked, dict) or clicked.get("t") == memory.get("cm_last_click"):
        return state
    memory["cm_last_click"] = clicked.get("t")
    view = value.get("cm_view") or {}
    try:
        state = state.with_(center=(float(view["lat"]), float(view["lng"])), zoom=int(view["zoom"]))
    except (KeyError, TypeError, ValueError):
        pass
    try:
        lat, lon = float(clicked["lat"]), float(clicked["lon"])
    except (KeyError, TypeError, ValueError):
        return state
    kind = clicked.get("kind")
    if kind == "place" and places is not None and not places.empty:
        try:
            key = int(clicked.get("key"))
        except (TypeError, ValueError):
            key = None
        rows = places[places["place_id"] == key]
        row = rows.iloc[0] if not rows.empty else nearest_place(places, lat, lon)
        if row is not None:
            return state.with_(selected=str(row["name"]), selected_at=(float(row["lat"]), float(row["lon"])),
                               selected_kind=None)
    elif kind == "airfield" and airbases is not None and not airbases.empty:
        table = pd.DataFrame({"name": airbases["name"].to_numpy(), "lat": airbases.geometry.y.to_numpy(),
                              "lon": airbases.geometry.x.to_numpy()})
        row = nearest_place(table, lat, lon, tolerance_km=0.5)
        if row is not None:
            return state.with_(selected=str(row["name"]), selected_at=(float(row["lat"]), float(row["lon"])),
                               selected_kind="air base")
    return state
