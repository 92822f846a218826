"""The event's place, narrowed to the most specific one the report gives.

ACLED and UCDP code an event at the village or town where it happened and fall back to a district,
province or country only when nothing finer is named. News puts the country in the headline and the town
in the lead ("Suicide bomber kills 13 at Pakistan police station. ... in Dera Ismail Khan ..."), and a
coder's note names the town before or after the area. So an event placed at a country or region, or
at no place at all, takes a finer place that its own sentence or the next one names inside that area.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.types import Event, ResolvedMention

AREAS = frozenset({"country", "continent", "region", "sea", "river"})
# A word that says the next name is where something happened (English and French).
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|outside|around|inside)|\bà|\bau|\baux|\bdans|\bprès\s+de|\bvers|\ben)"
    r"(?:\s+(?:the|la|le|les|l')?\s*(?:[a-zé-]+\s+){0,3}(?:of|de|d'|du)?)?\s*$",
    re.IGNORECASE,
)
_NEAR = re.compile(r"\b(?:near|outside|around|près\s+de|vers)\b", re.IGNORECASE)
# A place that only speaks ("Kyiv said", "Moscow's defence ministry") is not where the event happened.
_SPEAKER = re.compile(r"^\s*(?:'s\b|’s\b|said\b|says\b|claimed\b|denied\b|announced\b)", re.IGNORECASE)


def _sentence_index(sentences: list[tuple[int, int]], start: int) -> int:
    return next((i for i, (a, b) in enumerate(sentences) if a <= start < b), -1)


def _finer(text: str, places: list[ResolvedMention], span: tuple[int, int], area: ResolvedMention | None
           ) -> tuple[ResolvedMention, int] | None:
    """The first place in `span` that follows a locative word and lies in `area` (any place when None)."""
    for p in places:
        if not span[0] <= p.start < span[1] or p.feature in AREAS or p.lat is None:
            continue
        if area is not None and (not area.country or p.country != area.country):
            continue
        if _SPEAKER.match(text[p.end:p.end + 12]):
            continue
        before = text[max(span[0], p.start - 40):p.start]
        if area is not None and re.fullmatch(r"\s*['’]s\s+", text[area.end:p.start]):
            return p, 1  # "near Mali's Niono": the country's own town
        if _LOCATIVE.search(before):
            return p, 2 if _NEAR.search(before) else 1
    return None


def narrowed(events: list[Event], text: str, places: list[ResolvedMention],
             sentences: list[tuple[int, int]]) -> list[Event]:
    """Each event placed at the finest place its sentence, or the one after, names inside its area."""
    by_start = {p.start: p for p in places}
    # A next sentence that holds another kind of event at a town tells that event, not this one; the same
    # kind of event there is the lead restating the headline.
    placed_sentences = {(e.evidence_start, e.evidence_end): e.type for e in events
                        if e.place_mention_start is not None and by_start.get(e.place_mention_start) is not None
                        and by_start[e.place_mention_start].feature not in AREAS}
    out = []
    for ev in events:
        place = by_start.get(ev.place_mention_start) if ev.place_mention_start is not None else None
        if place is not None and place.feature not in AREAS:
            out.append(ev)
            continue
        spans = [(ev.evidence_start, ev.evidence_end)]
        i = _sentence_index(sentences, ev.evidence_start)
        if 0 <= i < len(sentences) - 1 and placed_sentences.get(sentences[i + 1], ev.type) == ev.type:
            spans.append(sentences[i + 1])  # the lead after a headline, a note's second sentence
        found = next((f for f in (_finer(text, places, s, place) for s in spans) if f), None)
        if found is None:
            out.append(ev)
            continue
        finer, precision = found
        out.append(replace(ev, place_mention_start=finer.start, place=finer.name, precision=precision,
                           country=ev.country or finer.country))
    return out
