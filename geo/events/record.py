"""The rest of an event's ACLED record, once its type, actors and place are known: the date, the fatalities and
the first-level region.

Kept apart from geo/events/extract.py (which finds events) so that the fields it fills can grow without the extractor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from geo.events.dates import event_date
from geo.events.fatalities import fatalities
from geo.types import Event, ResolvedMention

_REGION = ("region", "admin1", "state", "province")


def _admin1(ev: Event, places: list[ResolvedMention]) -> str | None:
    """The event's first-level region: its place when that is one, else a region named in its sentence in the
    same country ("in Dimbi, Borno State")."""
    place = next((p for p in places if p.start == ev.place_mention_start), None)
    if place is not None and place.feature in _REGION:
        return place.name
    for p in places:
        if ev.evidence_start <= p.start < ev.evidence_end and p.feature in _REGION and p is not place \
                and (ev.country is None or p.country in (None, ev.country)):
            return p.name
    return None


def complete(events: list[Event], text: str, places: list[ResolvedMention], published: dt.date | None,
             sentences: list[tuple[int, int]]) -> list[Event]:
    """Each event with its date, fatalities and admin1 (the sentences of the text, in order)."""
    out = []
    for ev in events:
        # a following sentence about another place tells another event's deaths
        event_sentences = {(o.evidence_start, o.evidence_end) for o in events
                           if o.place_mention_start is not None and o.place_mention_start != ev.place_mention_start}
        span = (ev.evidence_start, ev.evidence_end)
        date, precision = event_date(text[span[0]:span[1]], text, published)
        # "On 4 May, militants attacked X. Three soldiers were killed.": the deaths may be told just after.
        i = sentences.index(span) if span in sentences else -1
        follow = [s for s in sentences[i + 1:i + 3] if s not in event_sentences] if i >= 0 else []
        deaths = fatalities([text[a:b] for a, b in [span] + follow], ev.type, ev.subtype)
        # ACLED's geo_precision: how near the trigger puts the event (exact / near / region), no better than
        # what the place's own resolution allows (a village shown at its district's point is 2 at best)
        place = next((p for p in places if p.start == ev.place_mention_start), None)
        resolved = getattr(place, "geo_precision", None) if place is not None else None
        geo = max(p for p in (ev.precision, resolved) if p) if (ev.precision or resolved) else None
        out.append(replace(ev, date=date, date_precision=precision, fatalities=deaths,
                           admin1=_admin1(ev, places), geo_precision=geo))
    return out
