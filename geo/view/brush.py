"""A range brushed on the timeline, as the map's frame reports it, turned into the next map state."""

from __future__ import annotations

from collections.abc import MutableMapping

from geo.io.validate import iso_date
from geo.view.state import MapState


def state_after_brush(value: object, state: MapState, memory: MutableMapping) -> MapState:
    """The state with the brushed time range (time_from/time_to), as geo/maps/js/timeline.js reports it:
    {"cm_brush": {"from": ISO date or None, "to": ..., "t": when}}; from and to None clear it.

    Handled once (`memory` keeps the last brush's time: the frame keeps returning its last value on later
    reruns); anything that is not a real date leaves the state as it is.
    """
    if not isinstance(value, dict):
        return state
    brush = value.get("cm_brush")
    if not isinstance(brush, dict) or brush.get("t") == memory.get("cm_last_brush"):
        return state
    memory["cm_last_brush"] = brush.get("t")
    lo, hi = brush.get("from"), brush.get("to")
    if lo is None and hi is None:
        return state.with_(time_from=None, time_to=None)
    try:
        lo = iso_date(str(lo), field="time_from", strict=True) if lo is not None else None
        hi = iso_date(str(hi), field="time_to", strict=True) if hi is not None else None
    except (ValueError, TypeError):
        return state
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    return state.with_(time_from=lo, time_to=hi)
