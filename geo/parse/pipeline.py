"""The geoparser: recognition then resolution, over one shared gazetteer index."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from geo.config import INDEX_DIR
from geo.gazetteer import Gazetteer, NameHit
from geo.gazetteer.geocoders import OnlineFallback
from geo.parse.confidence import Calibrator, load_calibrator
from geo.parse.hierarchy import DIVISION_WORDS, contains, enclosed_by_next, enclosures
from geo.parse.lexicon import Lexicon, load_lexicon
from geo.parse.multilingual import MultilingualRecognizer
from geo.parse.recognize import Recognizer
from geo.parse.resolve import Resolver
from geo.parse.spans import overlaps
from geo.parse.spelling import SpellingMatcher, Unresolved
from geo.text import scripts_in, sentence_around
from geo.types import Match, Mention, ResolvedMention

UNRESOLVED_SCORE = 0.3  # the area is right, the point is not the place
ABROAD_DOUBT = 0.5
_NEAR_ANCHOR = re.compile(r"^[\s,]*(?:(?:some|about|around)\s+)?(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?"
                          r"(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of|"
                          r"near|outside|close to|just outside|on the outskirts of)\s+(?:the\s+)?(?:(?:town|city)\s+of\s+)?$",
                          re.IGNORECASE)
ENCLOSING_SURE = 0.7  # an enclosing area resolved this surely may overrule the name it encloses
_SPELLING_TRUST = {"spelling": 0.85, "fuzzy": 0.6}
_DIVISION_OR_VILLAGE = re.compile(r"^\s+(?:village|town|hamlet|%s)\b" % "|".join(
    w for ws in DIVISION_WORDS.values() for w in ws), re.IGNORECASE)
_VILLAGE_BEFORE = re.compile(r"\b(?:village|town|hamlet|locality|district|province)\s+of\s+(?:the\s+)?$", re.IGNORECASE)

# Where an unknown capitalised name is most likely a place: right after a locative preposition.
_LOCATIVE = re.compile(r"\b(?:in|near|at|outside|around|from|towards?|into|village of|town of|city of)\s+"
                       r"((?:[A-Z][\w'’\-]+)(?:\s+[A-Z][\w'’\-]+){0,3})")


class Geoparser:
    """text → resolved place mentions, with offsets into the text as given."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None,
                 calibrator: Calibrator | None = None, online: OnlineFallback | None = None):
        self.gazetteer = gazetteer
        self.online = online
        self.calibrator = calibrator if calibrator is not None else load_calibrator()
        self.recognizer = Recognizer(gazetteer, lexicon or load_lexicon())
        self.multilingual = MultilingualRecognizer(gazetteer, self.recognizer.lexicon)
        self.resolver = Resolver(gazetteer)
        self.spelling = SpellingMatcher(gazetteer, self.recognizer.lexicon)

    def parse(self, text: str) -> list[ResolvedMention]:
        if not text or not text.strip():
            return []
        matches = self.recognizer.find(text)
        if scripts_in(text):
            taken = sorted((m.mention.start, m.mention.end) for m in matches)
            extra = [m for m in self.multilingual.find(text) if not overlaps(taken, m.mention.start, m.mention.end)]
            matches = sorted(matches + extra, key=lambda m: m.mention.start)
        if self.online is not None:
            matches = sorted(matches + self._online_matches(text, matches), key=lambda m: m.mention.start)
        extra, how, unresolved = self.spelling.find(text, matches)
        if extra:
            matches = sorted(matches + extra, key=lambda m: m.mention.start)
        decisions = self.resolver.decide(text, matches)
        if self.calibrator is None:
            out = [d.mention for d in decisions]
        else:
            out = [replace(d.mention, score=self.calibrator.score(d.features)) for d in decisions]
        # A spelling match is less certain than the name itself, a close spelling less still.
        out = [replace(m, match=how[(m.start, m.end)], score=m.score * _SPELLING_TRUST[how[(m.start, m.end)]])
               if (m.start, m.end) in how else m for m in out]
        out, outside = self._outside_enclosing(text, matches, out)
        out, abroad = self._not_abroad(text, out)
        abroad += outside
        kept = [self._unresolved(text, u, out, self._country_points()) for u in unresolved + abroad]
        return sorted(out + [k for k in kept if k is not None], key=lambda m: m.start)

    @staticmethod
    def _outside_enclosing(text: str, matches: list[Match], out: list[ResolvedMention]
                           ) -> tuple[list[ResolvedMention], list[Unresolved]]:
        """"Boni (Hombori, Mopti)": when no sense of a name lies in the area the report puts it in, and it resolved
        to another country with doubt, the report's place is one the gazetteer lacks: unresolved, at that area."""
        by_span = {(m.start, m.end): m for m in out}
        moved: set[tuple[int, int]] = set()
        for i, outer in enclosures(text, matches).items():
            inner, area = matches[i], by_span.get((matches[outer[0]].mention.start, matches[outer[0]].mention.end))
            mine = by_span.get((inner.mention.start, inner.mention.end))
            if area is None or mine is None or area.feature == "continent" or mine.country == area.country \
                    or mine.feature in ("country", "continent", "region") or mine.score >= ABROAD_DOUBT \
                    or area.score < ENCLOSING_SURE:
                continue  # a list ("Russia, Romania"), or a confident place
            held = [q.candidate for q in matches[outer[0]].hits if q.candidate.name == area.name
                    and q.candidate.country == area.country]
            if not any(contains(q, h.candidate, 100.0) or (q.feature == "city" and h.candidate.country == q.country)
                       for q in held for h in inner.hits):
                moved.add((mine.start, mine.end))
        return ([m for m in out if (m.start, m.end) not in moved],
                [Unresolved(Mention(s, e, text[s:e]), True) for s, e in sorted(moved)])

    @staticmethod
    def _not_abroad(text: str, out: list[ResolvedMention]) -> tuple[list[ResolvedMention], list[Unresolved]]:
        """A division the report names ("Mansi township", "the village of X") that resolved outside every country
        the report names, and is doubtful there, is a place the gazetteer lacks, not a town abroad: it becomes
        unresolved. (A confident sense abroad stays: reports name neighbours, "Congo" for the DRC...)"""
        named = {m.country for m in out if m.feature == "country" and m.country}
        if not named:
            return out, []
        keep, moved = [], []
        for m in out:
            division = _DIVISION_OR_VILLAGE.match(text[m.end:m.end + 30]) or _VILLAGE_BEFORE.search(
                text[max(0, m.start - 30):m.start])
            if division and m.feature not in ("country", "continent") and m.country not in named \
                    and m.score < ABROAD_DOUBT:
                moved.append(Unresolved(Mention(m.start, m.end, m.text), True))
            else:
                keep.append(m)
        return keep, moved

    def _country_points(self) -> dict[str, ResolvedMention]:
        """Each country as a mention-like area (for a village in a report that names only its towns)."""
        if not hasattr(self, "_countries"):
            self._countries = {c.country: ResolvedMention(0, 0, c.name, c.name, c.lat, c.lon, "country", c.country,
                                                          display_name=c.display_name)
                               for c in self.gazetteer.by_feature("country") if c.country}
        return self._countries

    @staticmethod
    def _unresolved(text: str, u: Unresolved, resolved: list[ResolvedMention],
                    countries: dict[str, ResolvedMention]) -> ResolvedMention | None:
        """A place the gazetteer lacks, at the area the report puts it in: the district, province or country
        written right after it ("X, Y district", "village of X in Y"), else, for a name said to be a village
        or town, the country the report names. None when the report gives no such area."""
        s_start, s_end = sentence_around(text, u.mention.start, u.mention.end)
        after = [m for m in resolved if u.mention.end <= m.start < s_end]
        area = None
        gap = text[u.mention.end:after[0].start] if after else ""
        if after and _NEAR_ANCHOR.match(gap) and after[0].feature in ("city", "district", "county"):
            area = after[0]  # "the village of X south of Bakhmut": near the town
        elif after and enclosed_by_next(gap) and after[0].feature != "continent":
            area = after[0]
        elif u.precise:
            inside = [m for m in after if m.feature in ("district", "county", "region", "country")]
            # else the country the sentence names, else the one most of the report's places lie in
            named = [m for m in resolved if m.feature == "country" and s_start <= m.start < s_end]
            counts = Counter(m.country for m in resolved if m.country)
            top = [m for m in resolved if m.feature == "country" and counts and m.country == counts.most_common(1)[0][0]]
            country = named[0] if named else top[0] if top else countries.get(counts.most_common(1)[0][0]) \
                if counts else None
            # a province or district of that country named in the same sentence is closer than the country
            region = [m for m in resolved if s_start <= m.start < s_end and country is not None
                      and m.country == country.country and m.feature in ("district", "county", "region")]
            area = inside[0] if inside else region[0] if region else country
        if area is None:
            return None
        precision = 2 if area.feature in ("district", "county", "city") else 3
        return ResolvedMention(start=u.mention.start, end=u.mention.end, text=u.mention.text,
                               name=u.mention.text, lat=area.lat, lon=area.lon, feature="unresolved",
                               country=area.country, score=UNRESOLVED_SCORE, source=f"within {area.name}",
                               match="unresolved", geo_precision=precision)


    def _online_matches(self, text: str, matches: list[Match]) -> list[Match]:
        """Names after locative prepositions that the local gazetteer did not know, asked online."""
        taken = [(m.mention.start, m.mention.end) for m in matches] + self.recognizer.lexicon.not_place_spans(text)
        out = []
        for rx in _LOCATIVE.finditer(text):
            s, e = rx.span(1)
            if any(min(e, te) > max(s, ts) for ts, te in taken):
                continue
            cand = self.online.candidate(rx.group(1))
            if cand is not None:
                out.append(Match(Mention(s, e, rx.group(1)), (NameHit(cand, 0),)))
                taken.append((s, e))
        return out


@lru_cache(maxsize=2)
def default_geoparser(index_dir: Path = INDEX_DIR) -> Geoparser:
    """The geoparser over the embedded index; raises GazetteerMissing if it was never built."""
    return Geoparser(Gazetteer(index_dir))
