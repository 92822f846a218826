"""Events: who did what where, per sentence, in ACLED's terms (event type, sub-event type, actors).

A lexicon of trigger patterns (data/events/triggers.csv) and an editable actor dictionary
(data/events/actors.csv) — no statistical model. Each event keeps its evidence sentence, the place
mention its trigger attaches to ("near Palmyra"), a location precision, and a modality, so that intent,
plans and possibilities ("would be able to", "plans to") are kept apart from what happened.
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from geo.text import sentence_spans
from geo.types import Event, ResolvedMention

EVENTS_DIR = Path(__file__).resolve().parent.parent / "data" / "events"

# Demonym + military noun ("Russian frigate", "Turkish jets"): the state forces of that country.
_FORCE_NOUNS = (r"forces|troops|army|soldiers|jets|warplanes|aircraft|frigate|warships?|navy|military|artillery|"
                r"drones|missiles|helicopters|bombers|units|police|militias?|gunboats?|submarine")
_DEMONYM_COUNTRY = {
    "Syrian": "SY", "Russian": "RU", "American": "US", "US": "US", "U.S.": "US", "Turkish": "TR", "Iraqi": "IQ",
    "Israeli": "IL", "Iranian": "IR", "Ukrainian": "UA", "Lebanese": "LB", "Jordanian": "JO", "British": "GB",
    "French": "FR", "Saudi": "SA", "Emirati": "AE", "Egyptian": "EG", "Libyan": "LY", "Yemeni": "YE",
    "Belarusian": "BY", "German": "DE", "Chinese": "CN", "Qatari": "QA",
}
_DEMONYM_FORCE = re.compile(r"\b(" + "|".join(re.escape(d) for d in _DEMONYM_COUNTRY) + r")\s+(?:[\w-]+\s+)?(?:"
                            + _FORCE_NOUNS + r")\b")

_LOC_EXACT = r"in|at|inside|into|on|to|of|across|throughout"
_LOC_NEAR = (r"near|outside|around|close to|outskirts of|edge of|north of|south of|east of|west of|"
             r"north-east of|north-west of|south-east of|south-west of|northeast of|northwest of|southeast of|"
             r"southwest of|towards|toward|km from|kilometres from|kilometers from|miles from|from")
_LOCATIVE = re.compile(rf"(?:\b(?P<exact>{_LOC_EXACT})|\b(?P<near>{_LOC_NEAR}))\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}$",
                       re.IGNORECASE)

_NEGATION = re.compile(r"\b(?:did not|didn't|does not|doesn't|do not|don't|never|no|denied|denies|deny|"
                       r"without|not)\b[^.;,]{0,30}$", re.IGNORECASE)
_THREAT = re.compile(r"\bthreat(?:en(?:s|ed|ing)?)? to\b[^.;]{0,40}$", re.IGNORECASE)
_INTENT = re.compile(r"\b(?:plan(?:s|ned|ning)? to|intend(?:s|ed)? to|intends|aim(?:s|ed)? to|want(?:s|ed)? to|"
                     r"seek(?:s|ing)? to|determined to|prepar(?:es|ing|ed) to|will|is going to|are going to|"
                     r"vow(?:s|ed)? to|pledged to|promised to|planning to use|ready to)\b[^.;]{0,60}$", re.IGNORECASE)
_POSSIBLE = re.compile(r"\b(?:would|could|might|may|can|cannot|can't|likely to|able to|if|unless|risk of|"
                       r"fears? of|feared|expected to|allow)\b[^.;]{0,60}$", re.IGNORECASE)
_POSSIBLE_AFTER = re.compile(r"^\w*\s+[^.;,]{0,40}?\b(?:would|could|might|may)\b", re.IGNORECASE)
_PASSIVE_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_TARGET = re.compile(r"\b(?:at|on|against|targeting|targeted|hit|struck)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    country: str | None


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    actor: Actor


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern
    type: str
    subtype: str
    rank: int  # lower = listed earlier = more specific


@dataclass(frozen=True)
class EventLexicon:
    actors: dict[str, Actor]
    aliases: ahocorasick.Automaton
    triggers: tuple[Trigger, ...]

    def actor_mentions(self, text: str) -> list[ActorMention]:
        found: list[ActorMention] = []
        lower = text.lower()
        for end, (alias, actor_id, case_sensitive) in self.aliases.iter_long(lower):
            start = end - len(alias) + 1
            if (start > 0 and lower[start - 1].isalnum()) or (end + 1 < len(lower) and lower[end + 1].isalnum()):
                continue
            if case_sensitive and text[start:end + 1] != case_sensitive:
                continue
            found.append(ActorMention(start, end + 1, self.actors[actor_id]))
        for m in _DEMONYM_FORCE.finditer(text):
            if any(a.start <= m.start() < a.end for a in found):
                continue
            cc = _DEMONYM_COUNTRY[m.group(1)]
            known = next((a for a in self.actors.values() if a.country == cc and a.type == "state force"), None)
            actor = known or Actor(f"forces:{cc}", f"Military Forces of {cc}", "state force", cc)
            found.append(ActorMention(m.start(), m.end(), actor))
        return sorted(found, key=lambda a: a.start)


@lru_cache(maxsize=2)
def load_event_lexicon(directory: Path = EVENTS_DIR) -> EventLexicon:
    actors: dict[str, Actor] = {}
    automaton = ahocorasick.Automaton()
    with open(directory / "actors.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            actor = Actor(row["id"], row["name"], row["type"], row["country"] or None)
            actors[actor.id] = actor
            for alias in row["aliases"].split("|"):
                alias = alias.strip()
                if alias:
                    # Acronyms (SAA, SDF, HTS) must match in capitals: "has" is not HAS.
                    automaton.add_word(alias.lower(), (alias.lower(), actor.id, alias if alias.isupper() else ""))
    automaton.make_automaton()
    triggers = []
    with open(directory / "triggers.csv", encoding="utf-8") as f:
        for rank, row in enumerate(csv.DictReader(f)):
            triggers.append(Trigger(re.compile(rf"\b(?:{row['pattern']})\b", re.IGNORECASE), row["type"],
                                    row["subtype"], rank))
    return EventLexicon(actors, automaton, tuple(triggers))


def _modality(text: str, sent_start: int, trig_start: int, trig_end: int) -> str:
    clause_start = max(sent_start, text.rfind(";", sent_start, trig_start) + 1)
    before = text[clause_start:trig_start]
    if _NEGATION.search(before[-60:]):
        return "negated"
    if _THREAT.search(before):
        return "threat"
    if _INTENT.search(before):
        return "intent"
    if _POSSIBLE.search(before):
        return "possibility"
    if trig_start - sent_start < 3 and _POSSIBLE_AFTER.search(text[trig_end:trig_end + 60]):
        return "possibility"  # "Recapturing Palmyra would ...": a gerund subject of a conditional
    return "fact"


_DIRECT_OBJECT = re.compile(r"^\s+(?:[a-z]+\s+){0,1}$")
_WEAPON_VERB = re.compile(r"\b(?P<weapon>drones?|jets|warplanes|aircraft|bombers|helicopters|missiles|rockets|artillery|"
                          r"mortars)\s+(?:\w+\s+)?(?:struck|hit|attacked|pounded|targeted|bombed|shelled|fired)\b",
                          re.IGNORECASE)
_AIR_WEAPONS = ("drone", "jets", "warplanes", "aircraft", "bombers", "helicopters")


def _location(text: str, sent: tuple[int, int], trig_start: int, places: list[ResolvedMention], trig_end: int = -1):
    """The place the trigger attaches to, and how precisely: after the trigger first, then before it."""
    after = [p for p in places if p.start >= trig_start]
    # A place right before the trigger is its subject ("Russia struck"), not where it happened.
    before = [p for p in places if p.end <= trig_start and text[p.end:trig_start].strip()][::-1]
    for p in after[:1]:
        if trig_end > 0 and _DIRECT_OBJECT.match(text[trig_end:p.start]):
            return p, 3 if p.feature in ("region", "country", "continent") else 1  # "Shelling hit Homs"
    for group in (after, before):
        for p in group:
            lo, hi = sorted((trig_start, p.start))
            if text.count("(", lo, hi) > text.count(")", lo, hi):
                continue  # a place inside a parenthesis ("banned in Russia") is an aside
            window = text[max(sent[0], p.start - 60):p.start]
            m = _LOCATIVE.search(window)
            if m and abs(p.start - trig_start) < 260:
                precision = 1 if m.group("exact") else 2
                if p.feature in ("region", "country", "continent", "sea", "river"):
                    precision = 3
                return p, precision
    return None, None


class EventExtractor:
    def __init__(self, lexicon: EventLexicon | None = None):
        self.lexicon = lexicon or load_event_lexicon()

    def extract(self, text: str, places: list[ResolvedMention]) -> list[Event]:
        actors = self.lexicon.actor_mentions(text)
        places = sorted(places, key=lambda p: p.start)
        place_starts = [p.start for p in places]
        actor_starts = [a.start for a in actors]
        events: list[Event] = []
        for s, e in sentence_spans(text):
            sent_actors = actors[bisect.bisect_left(actor_starts, s):bisect.bisect_left(actor_starts, e)]
            # A place inside an actor's name ("US forces", "Wagner fighters") is not where it happened.
            sent_places = [p for p in places[bisect.bisect_left(place_starts, s):bisect.bisect_left(place_starts, e)]
                           if not any(a.start <= p.start < a.end for a in sent_actors)]
            hits = []
            for m in _WEAPON_VERB.finditer(text, s, e):  # "Russian missiles struck", "Turkish drones hit"
                air = m.group("weapon").lower().startswith(_AIR_WEAPONS)
                hits.append((m, Trigger(m.re, "Explosions/Remote violence",
                                        "Air/drone strike" if air else "Shelling/artillery/missile attack", -1)))
            for trig in self.lexicon.triggers:
                for m in trig.pattern.finditer(text, s, e):
                    inside = [a for a in sent_actors if a.start <= m.start() < a.end]
                    if inside and not (inside[0].actor.type == "protesters" and trig.type == "Protests"):
                        continue  # "Syrian Democratic Forces", "Hezbollah fighters": names, not triggers
                    if any(h.start() <= m.start() < h.end() for h, _ in hits):
                        continue
                    if any(p.start <= m.start() < p.end for p in sent_places):
                        continue
                    hits.append((m, trig))
            chosen: dict[tuple, Event] = {}
            for m, trig in sorted(hits, key=lambda h: (h[1].rank, h[0].start())):
                place, precision = _location(text, (s, e), m.start(), sent_places, m.end())
                a1, a2 = self._actors(text, sent_actors, m.start(), m.end())
                subtype, etype = trig.subtype, trig.type
                if etype == "Battles" and subtype != "Armed clash":
                    subtype = "Government regains territory" if a1 and a1.type == "state force" else \
                        "Non-state actor overtakes territory" if a1 else subtype
                key = (etype, place.start if place else None)
                if key in chosen:
                    continue
                chosen[key] = Event(
                    type=etype, subtype=subtype, actor1=a1.name if a1 else None, actor2=a2.name if a2 else None,
                    place_mention_start=place.start if place else None, place=place.name if place else None,
                    precision=precision, evidence_start=s, evidence_end=e,
                    modality=_modality(text, s, m.start(), m.end()), trigger=m.group(0), trigger_start=m.start())
            found = list(chosen.values())
            # "protesters gathered in X" is a protest; "police detained protesters" is what the police did.
            weak = [ev for ev in found if ev.type == "Protests" and any(
                a.start <= ev.trigger_start < a.end for a in sent_actors)]
            if weak and len(found) > len(weak):
                found = [ev for ev in found if ev not in weak]
            events.extend(self._one_per_place(found))
        return events

    @staticmethod
    def _one_per_place(candidates) -> list[Event]:
        """Within a sentence, a place gets one event: the most specific trigger (lowest rank) wins,
        except that a violent event outranks a strategic development at the same place."""
        by_place: dict[object, Event] = {}
        for ev in candidates:
            cur = by_place.get(ev.place_mention_start)
            if cur is None or (cur.type == "Strategic developments" and ev.type != "Strategic developments"):
                by_place[ev.place_mention_start] = ev
        return sorted(by_place.values(), key=lambda ev: ev.trigger_start)

    @staticmethod
    def _actors(text: str, actors: list[ActorMention], t0: int, t1: int):
        before = [a for a in actors if a.start < t0]  # "Russian missiles struck": the owner of the weapon
        after = [a for a in actors if a.start >= t1]
        actor1 = before[-1].actor if before else None
        actor2 = None
        for a in after:
            gap = text[t1:a.start]
            if _PASSIVE_BY.search(gap):
                actor1, actor2 = a.actor, actor2 or (before[-1].actor if before else None)
                break
            if actor2 is None and a.actor != actor1 and len(gap) < 80:
                actor2 = a.actor
        if actor2 is not None and actor1 is not None and actor2.id == actor1.id:
            actor2 = None
        return actor1, actor2


@lru_cache(maxsize=1)
def default_extractor() -> EventExtractor:
    """The extractor over the lexicon in data/events (loaded once per process)."""
    return EventExtractor()


def extract_events(text: str, places: list[ResolvedMention]) -> list[Event]:
    """The events of one article over its resolved places: what ingest stores with the article."""
    return default_extractor().extract(text, list(places))
