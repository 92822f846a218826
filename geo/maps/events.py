"""The event layer: one symbol per event, with its date, actors, fatalities and evidence sentence.

The symbol's shape and colour say the ACLED event type, its fill whether it happened (hollow: denied,
threatened, planned or only possible); events at one place are spread on a spiral around it so each stays
clickable (geo/maps/js/event_layer.js). Data goes out as column arrays of numbers, with every string once
in one table, escaped here: an actor's name or an article's sentence is text, never markup.

At most MAX_EVENTS events go out with one layer (`capped`): the script is about 130 bytes an event, sent
on every rerun, so 139,170 events were 17.8 MB and a 2.6 s build (capped: 0.9 MB, 0.16 s). Beyond the cap
the layer draws the most relevant ones and says so on the map ("5,000 of 139,170 events shown ...", a note
in the lower left corner).
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
# Events drawn at most (scripts/bench_event_layer.py at 100k: 5,000 events are a 0.8-0.9 MB script built in
# 0.1-0.16 s, 10,000 uncapped already 1.5 MB and 0.22 s; the canvas draws and spreads 5,000 without a stall).
MAX_EVENTS = 5_000


class EventLayer(elements.CMElement):
    """One symbol per event from column arrays (`event_columns`), spread around its place."""

    plugin, options = "eventLayer", ("data", "styles", "spread_px", "note", "total")  # geo/maps/js/event_layer.js

    def __init__(self, data: dict, styles: list[dict], *, spread_px: float = EVENT_SPREAD_PX, note: str = "",
                 total: int | None = None):
        super().__init__()
        self._name = "EventLayer"
        self.data, self.styles, self.spread_px = data, styles, spread_px
        self.note = note  # escaped markup: what the cap left out (`cap_note`), "" when every event is drawn
        self.total = len(data["lat"]) if total is None else total  # events in the view, drawn or not


def capped(points: pd.DataFrame, cap: int = MAX_EVENTS) -> pd.DataFrame:
    """The `cap` most relevant of geo.view.event_points rows, in their order (by place, then time).

    Relevance: events that happened before denied, threatened, planned or possible ones (a hollow symbol is
    a claim, not a record); among them the deadliest first (known fatalities, most first: what a conflict
    map must not drop), then the newest (what the analyst reads the news for; most events report no
    fatalities, so this decides most of the choice); ties in the rows' order, so the same view draws the
    same events on every rerun.
    """
    if cap is None or len(points) <= cap:
        return points
    fatalities = pd.to_numeric(pd.Series(points["fatalities"].to_numpy(object)), errors="coerce").fillna(-1)
    when = points["when"].to_numpy("datetime64[D]")
    day = np.where(np.isnat(when), np.iinfo(np.int32).min, when.astype(np.int64))  # undated: last
    # np.lexsort sorts by the last key first: fact, then fatalities, then day (all descending); it is
    # stable, so ties keep the rows' own order (by place, then time) and a rerun draws the same events.
    order = np.lexsort((-day, -fatalities.to_numpy(float), ~points["fact"].to_numpy(bool)))
    keep = np.sort(order[:cap])  # back in place-then-time order, so each place's spiral stays in time order
    return points.iloc[keep].reset_index(drop=True)


def cap_note(shown: int, total: int) -> str:
    """What the map says when the cap left events out (escaped markup), "" when none were."""
    if shown >= total:
        return ""
    return esc(f"{shown:,} of {total:,} events shown (those that happened, deadliest and newest first) "
               "— narrow the time range or filter to see the others")


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


def events_layer(points: pd.DataFrame, *, around: dict | None = None, cap: int | None = MAX_EVENTS) -> folium.FeatureGroup:
    """One symbol per event (geo.view.event_points rows), at most `cap` of them (`capped`, None: all; the
    map then says how many it left out); `around`: the places' circle radii, where the places layer draws
    them (see event_columns)."""
    group = folium.FeatureGroup(name="events", control=False)
    if points is None or points.empty:
        return group
    styles, _, _ = event_style_index()
    shown = capped(points, cap)
    EventLayer(event_columns(shown, around=around), styles, note=cap_note(len(shown), len(points)),
               total=len(points)).add_to(group)
    return group
