"""The event layer: one symbol per event, with its date, actors, fatalities and evidence sentence.

The symbol's shape and colour say the ACLED event type, its fill whether it happened (hollow: denied,
threatened, planned or only possible); events at one place are spread on a spiral around it so each stays
clickable (geo/maps/js/event_layer.js). Data goes out as column arrays of numbers, with every string once
in one table, escaped here: an actor's name or an article's sentence is text, never markup.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from geo.maps import elements
from geo.maps.html import esc, safe_href
from geo.maps.style import EVENT_COLOURS, EVENT_SPREAD_PX, event_style_index

# How the popup names an event's modality; a fact goes without saying.
MODALITY_WORDS = {"fact": "", "negated": "denied", "intent": "planned", "threat": "threatened",
                  "possibility": "possible, not confirmed"}
EVIDENCE_WIDTH = 320  # characters of an evidence sentence shown (cut at a word, with an ellipsis)
MAX_EVIDENCE_CHARS = 1_500_000  # sentences sent with one layer, newest events first; beyond, a note
TOO_MANY = -2  # an event whose sentence was not sent (the popup says why)


class EventLayer(elements.CMElement):
    """One symbol per event from column arrays (`event_columns`), spread around its place."""

    plugin, options = "eventLayer", ("data", "styles", "spread_px")  # geo/maps/js/event_layer.js

    def __init__(self, data: dict, styles: list[dict], *, spread_px: float = EVENT_SPREAD_PX):
        super().__init__()
        self._name = "EventLayer"
        self.data, self.styles, self.spread_px = data, styles, spread_px


class _Strings:
    """A table of escaped strings, each once; columns hold their positions (-1: none). A value met before is
    looked up, not escaped again (most are: types, actors and titles repeat)."""

    def __init__(self):
        self.items: list[str] = []
        self._at: dict[str, int] = {}  # escaped text -> position
        self._raw: dict[object, int] = {}  # value as given -> position

    def add(self, value: object, *, escaped: bool = False) -> int:
        hit = self._raw.get((escaped, value)) if isinstance(value, str) else None
        if hit is not None:
            return hit
        if value is None or value is pd.NA or value == "" or (isinstance(value, float) and np.isnan(value)):
            return -1
        text = str(value) if escaped else esc(value)
        at = self._at.get(text)
        if at is None:
            at = self._at[text] = len(self.items)
            self.items.append(text)
        if isinstance(value, str):
            self._raw[(escaped, value)] = at
        return at


def trimmed(sentence: str, width: int = EVIDENCE_WIDTH) -> str:
    """The sentence cut to about `width` characters at a word, with an ellipsis (not escaped)."""
    sentence = " ".join(str(sentence).split())
    if len(sentence) <= width:
        return sentence
    cut = sentence[:width].rsplit(" ", 1)[0]
    return cut + " …"


def spiral_slots(points: pd.DataFrame) -> np.ndarray:
    """Each event's place on the spiral around its place, in time order (geo.view.event_points order)."""
    return points.groupby("place_id", sort=False).cumcount().to_numpy()


def _evidence(points: pd.DataFrame, strings: _Strings, budget: int) -> list[int]:
    """Each event's sentence in the string table, newest events first until `budget` characters are used."""
    order = np.argsort(-points["when"].to_numpy("datetime64[D]").astype(np.int64), kind="stable")
    out = [-1] * len(points)
    sentences = points["evidence"].to_numpy(object)
    used = 0
    for i in order:
        s = sentences[i]
        if not isinstance(s, str) or not s.strip():
            continue
        text = esc(trimmed(s))
        if used + len(text) > budget and text not in strings._at:
            out[i] = TOO_MANY
            continue
        used += len(text) if text not in strings._at else 0
        out[i] = strings.add(text, escaped=True)
    return out


def event_columns(points: pd.DataFrame, *, around: dict | None = None, budget: int = MAX_EVIDENCE_CHARS) -> dict:
    """The event layer's data from geo.view.event_points rows: numbers per event, strings in "text".

    `around`: each place's circle radius in pixels (place id -> radius) where the places layer draws them:
    the spiral then starts just outside the circle, so no event hides under its place.
    """
    strings = _Strings()
    _, style_of, plain = event_style_index()
    when = points["when"].to_numpy("datetime64[D]")
    day = [None if np.isnat(w) else int(w.astype(np.int64)) for w in when]

    def col(name: str, f=strings.add) -> list[int]:
        return [f(v) for v in points[name].to_numpy(object)]

    data = {
        "lat": [round(float(v), 5) for v in points["lat"]],
        "lon": [round(float(v), 5) for v in points["lon"]],
        "slot": spiral_slots(points).tolist(),
        "style": [style_of.get((t, bool(f)), plain) if t in EVENT_COLOURS else plain
                  for t, f in zip(points["event_type"], points["fact"])],
        "day": day,
        "dated": [1 if bool(x) else 0 for x in points["dated"]],
        "key": [int(k) for k in points["place_id"]],
        "name": col("name"),
        "type": col("event_type"),
        "sub": col("event_subtype"),
        "mod": [strings.add(MODALITY_WORDS.get(m, m) if isinstance(m, str) else None) for m in points["modality"]],
        "a1": col("actor1"),
        "a2": col("actor2"),
        "fat": [-1 if f is None or pd.isna(f) else int(f) for f in points["fatalities"].to_numpy(object)],
        "title": col("title"),
        "source": col("source"),
        "href": [strings.add(safe_href(u), escaped=True) for u in points["url"].to_numpy(object)],
        "r0": [round(float(around.get(k, 0.0)), 1) if around else 0.0 for k in points["place_id"]],
    }
    data["ev"] = _evidence(points, strings, budget)
    data["text"] = strings.items
    return data


def events_layer(points: pd.DataFrame, *, around: dict | None = None) -> folium.FeatureGroup:
    """One symbol per event (geo.view.event_points rows); `around`: the places' circle radii, where the
    places layer draws them (see event_columns)."""
    group = folium.FeatureGroup(name="events", control=False)
    if points is None or points.empty:
        return group
    styles, _, _ = event_style_index()
    EventLayer(event_columns(points, around=around), styles).add_to(group)
    return group
