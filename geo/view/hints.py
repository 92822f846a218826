"""What to say when the filters leave nothing to show, and the state with the filters cleared.

An empty map gives no clue why it is empty; the Map page names the filters that narrow it (in the sidebar's
words) and offers to clear them all (pages/map.py).
"""

from __future__ import annotations

from dataclasses import fields

from geo.view.state import MapState

# The filters, in the sidebar's order and words; the dates (and the timeline's brush) are said apart.
FILTER_LABELS = {
    "sources": "Sources", "languages": "Languages", "countries": "Countries", "features": "Place types",
    "event_types": "Event types", "actors": "Actors", "facts_only": "Only events that happened",
    "min_score": "Minimum confidence", "query": "Search", "article": "the one article",
}
DATE_FIELDS = ("date_from", "date_to", "time_from", "time_to")


def _defaults() -> dict:
    return {f.name: f.default for f in fields(MapState)}


def narrowing(state: MapState) -> list[str]:
    """The sidebar's names of the filters that are set, in its order."""
    default = _defaults()
    return [label for name, label in FILTER_LABELS.items()
            if name in default and getattr(state, name) != default[name]]


def dates_narrowed(state: MapState) -> bool:
    default = _defaults()
    return any(getattr(state, name, None) != default.get(name) for name in DATE_FIELDS if name in default)


def empty_hint(state: MapState) -> str:
    """E.g. "No places under these filters: widen the dates or clear “Event types” and “Search”."."""
    names = [f"“{n}”" for n in narrowing(state)]
    steps = ["widen the dates"] if dates_narrowed(state) else []
    if names:
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        steps.append(f"clear {listed}")
    if not steps:
        return "No places to show: the articles stored name none."
    return "No places under these filters: " + " or ".join(steps) + "."


def cleared(state: MapState) -> MapState:
    """`state` with every filter at its default and nothing selected; view, layers and basemap kept."""
    default = _defaults()
    reset = [*FILTER_LABELS, *DATE_FIELDS, "selected", "selected_at", "selected_kind"]
    return state.with_(**{name: default[name] for name in reset if name in default})
