"""Places the gazetteer does not know by the spelling the report uses, where the sentence clearly names a place.

Conflict reporting transliterates ("Tal Abiad" for Tell Abyad, "Ein Issa", "Deir Hafer"), and ACLED and UCDP
place events in villages that no gazetteer lists. A capitalised name after "in", "near", "village of", "town
of" ... (or before "district", "village") that recognition left unmatched is looked up:
  1. by its transliteration-folded key (geo.gazetteer.normalize.skeleton), as a VARIANT hit;
  2. failing that, by a fuzzy match (rapidfuzz) among the towns and districts of the countries the report
     names, as a weaker hit still;
  3. failing that, when the words around it say it is a village or town, or it sits in the report's own
     hierarchy ("X, Y district"), it is kept as an unresolved place at the best enclosing area
     (geo_precision 2 for a district or town, 3 for a region or country): never dropped, never guessed abroad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from geo.gazetteer import Gazetteer, NameHit, norm
from geo.gazetteer.index import VARIANT
from geo.parse.hierarchy import division_after
from geo.parse.lexicon import Lexicon, zipf
from geo.parse.spans import inside, overlaps
from geo.types import Match, Mention

FUZZY = VARIANT + 1  # a close spelling: weaker than any name the gazetteer gives
FUZZY_CUTOFF = 88.0  # rapidfuzz ratio (0-100); below this, two names are different names
_NAME = r"(?:[A-Z][\w'’]*(?:-[\w'’]+)*)"
_LINK = r"(?:\s+(?:al|el|ad|as|ash|ar|an|at|az|ez|es|ed|en|de|du|la|le|bin|ibn)[\s-]|\s+|-)"
_CUES_PLACE = r"village|villages|town|city|hamlet|settlement|locality|camp|neighbourhood|neighborhood|outskirts|" \
              r"area|suburb|district|region|province|county|commune|municipality"
# A name clearly said to be a village or town: the strong cue that keeps it even when nothing matches.
_STRONG_BEFORE = re.compile(rf"\b(?:{_CUES_PLACE})\s+of\s+$", re.IGNORECASE)
_STRONG_AFTER = re.compile(r"^\s+(?:village|town|hamlet|settlement|locality|camp|area)\b", re.IGNORECASE)
_CANDIDATE = re.compile(
    rf"\b(?:[Ii]n|near|at|outside|around|into|towards?|(?:{_CUES_PLACE})\s+of|attacked|shelled|struck|stormed|"
    rf"raided|captured|recaptured|seized|entered|bombed|besieged)\s+(?:the\s+)?({_NAME}(?:{_LINK}{_NAME}){{0,3}})")
_STOP = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
                  "July August September October November December The A An This That".split())


_FACILITIES = frozenset("Theatre Theater Racecourse Stadium Arena Hall Centres Centers Hotel Market Mall Station Airport "
                        "Base Prison Jail Camp Laboratory Laboratories Observatory Zoo Park Farm Factory Plant".split())


@dataclass(frozen=True)
class Unresolved:
    """A place named clearly enough to keep although no gazetteer entry matches it."""

    mention: Mention
    precise: bool  # said to be a village/town ("the village of X") or placed in a hierarchy


class SpellingMatcher:
    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon):
        self.gazetteer = gazetteer
        self.lexicon = lexicon

    def candidates(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[Mention, bool]]:
        """Unmatched capitalised names in a place slot, and whether the slot is a strong one."""
        blocked = sorted(self.lexicon.not_place_spans(text))
        orgs = sorted(self.lexicon.organisation_spans(text))
        out = []
        for m in _CANDIDATE.finditer(text):
            s = m.start(1)
            words = [(w.group(), s + w.end()) for w in re.finditer(r"[^\s-]+", m.group(1))]
            while words and words[-1][0] in _STOP:  # "in Dimbi Monday"
                words.pop()
            if not words or words[0][0] in _STOP:
                continue
            e = words[-1][1]
            name = text[s:e]
            if overlaps(taken, s, e) or overlaps(blocked, s, e) or inside(orgs, s, e):
                continue
            if name.isupper() and len(name) <= 5:
                continue  # an acronym
            strong = bool(_STRONG_BEFORE.search(text[max(0, s - 40):s]) or _STRONG_AFTER.match(text[e:e + 20])
                          or division_after(text[e:e + 30]) is not None)
            out.append((Mention(s, e, name), strong))
        return out

    def _a_person(self, name: str) -> bool:
        first = name.split()[0]
        return first in self.lexicon.titles or first in self.lexicon.first_names

    def _not_a_place(self, name: str) -> bool:
        lex = self.lexicon
        first = name.split()[0]
        if first in lex.demonyms or first in lex.org_heads:
            return True
        if any(w in lex.org_heads or w in _FACILITIES for w in re.split(r"[\s-]+", name)):
            return True  # "Duke University Medical Center", "Dolby Theatre": an institution, not a place
        if " " not in name and name.lower().endswith(("ite", "ean", "ian", "ese", "ists", "ism")):
            return True  # "Shi'ite", "Andean": adjectives and groups
        if name.isupper() and len(name) <= 5:
            return True  # an acronym
        return " " not in name and "-" not in name and zipf(name) >= 3.5  # a common word ("in Response")

    def match(self, mention: Mention, countries: set[str]) -> tuple[NameHit, ...]:
        """Gazetteer hits for a name by its transliteration key, else by a close spelling in the report's
        countries (none when the report says nothing of its country: never guessed abroad)."""
        hits = [h for h in self.gazetteer.lookup_spelling(mention.text) if h.candidate.country in countries]
        if hits:
            return tuple(hits)
        key = norm(mention.text)
        if len(key) < 5:
            return ()
        found = []
        for cc in sorted(countries):
            # ratio >= c needs 2*min/(len1+len2) >= c: the lengths a match can have
            shortest = int(len(key) * FUZZY_CUTOFF / (200 - FUZZY_CUTOFF))
            longest = int(len(key) * (200 - FUZZY_CUTOFF) / FUZZY_CUTOFF) + 1
            names, keys = self.gazetteer.names_in_country(cc, shortest, longest)
            if not names:
                continue
            best = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best is not None:
                cand = self.gazetteer.entry(keys[best[2]])
                if cand is not None:
                    found.append(NameHit(cand, FUZZY))
        return tuple(found)

    def find(self, text: str, matches: list[Match]) -> tuple[list[Match], dict[tuple[int, int], str], list[Unresolved]]:
        """Extra matches (with how each was matched) and the unresolved places of a text."""
        taken = sorted((m.mention.start, m.mention.end) for m in matches)
        # The report's countries: those it names, and those of names that can lie in one country only.
        countries = {h.candidate.country for m in matches for h in m.hits
                     if h.candidate.feature == "country" and h.kind <= 1 and h.candidate.country}
        for m in matches:
            own = {h.candidate.country for h in m.hits if h.kind <= 1}
            if len(own) == 1 and None not in own:
                countries |= own
        extra: list[Match] = []
        how: dict[tuple[int, int], str] = {}
        unresolved: list[Unresolved] = []
        for mention, strong in self.candidates(text, taken):
            # A transliteration of a town of the report's country is taken even after a given name ("Khan
            # Shaykhoun"); a close spelling or an unknown name only when it does not look like a person.
            if self._not_a_place(mention.text):
                continue
            hits = tuple(h for h in self.gazetteer.lookup_spelling(mention.text) if h.candidate.country in countries)
            if not hits and self._a_person(mention.text):
                continue
            hits = hits or self.match(mention, countries)
            if hits:
                extra.append(Match(mention, hits))
                how[(mention.start, mention.end)] = "fuzzy" if hits[0].kind == FUZZY else "spelling"
            else:
                unresolved.append(Unresolved(mention, strong))
        return extra, how, unresolved
