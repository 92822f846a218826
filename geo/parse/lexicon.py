"""Word lists that tell place names from people, organisations and adjectives.

The lists live in data/lexicon/ as plain text so analysts can extend them without touching code.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick
from wordfreq import zipf_frequency

from geo.config import EVENTS_DIR, LEXICON_DIR

ACTORS_CSV = EVENTS_DIR / "actors.csv"
# "militants in Gaza": an alias that says where a group is, not what it is called; the place stays a place.
_LOCATED_ALIAS = re.compile(r"\b(?:in|from|near|at|around|inside|outside)\s+[A-Z]")
_FOLD = str.maketrans({"-": " ", "‐": " ", "–": " ", "’": "'", "‘": "'"})


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """How common a word is in English, on the Zipf scale (log10 of uses per billion words; 0 for unknown words):
    a capitalised word this common ("Act", "Response") is more likely the word than a place of that name."""
    return zipf_frequency(word.lower(), "en")


def _fold(text: str) -> str:
    """Lower case, hyphens as spaces, one apostrophe: the same length as the text, so offsets carry over."""
    return text.lower().translate(_FOLD)


def organisation_names(actors_csv: Path = ACTORS_CSV, directory: Path = LEXICON_DIR) -> list[tuple[str, str]]:
    """Names of armed groups, parties and units that may contain a place name ("Boko Haram", "Jenin Brigade",
    "Islamic Emirate of Afghanistan"): the events actor dictionary (names and aliases) and organisations.txt.
    Acronyms and all-lower-case aliases hold no place name and are left out. Each name comes with the
    actor's country (ISO code, "" for none): "Pakistan Army" is Pakistan's, and still says which country."""
    names = [(w, "") for w in _words("organisations.txt", directory)] if (directory / "organisations.txt").exists() else []
    if actors_csv.exists():
        lines = [ln for ln in actors_csv.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
        for row in csv.DictReader(lines):
            for name in [row.get("name") or ""] + (row.get("aliases") or "").split("|"):
                name = re.sub(r"^[A-Z/]{2,12}:\s*", "", name.strip())  # "SDF: Syrian Democratic Forces"
                name = re.sub(r"\s*\([^)]*\)$", "", name)  # "Islamic State (ISIS)"
                if "{" in name or name.isupper() or not any(c.isupper() for c in name):
                    continue
                if _LOCATED_ALIAS.search(name):
                    continue
                names.append((name, (row.get("country") or "").strip()))
    return names


def _words(name: str, directory: Path = LEXICON_DIR) -> list[str]:
    out: list[str] = []
    for line in (directory / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _tokens(name: str, directory: Path) -> frozenset[str]:
    return frozenset(w for line in _words(name, directory) for w in line.split())


@dataclass(frozen=True)
class Lexicon:
    titles: frozenset[str]
    first_names: frozenset[str]
    org_heads: frozenset[str]
    place_heads: frozenset[str]
    demonyms: frozenset[str]
    not_places: ahocorasick.Automaton
    organisations: ahocorasick.Automaton | None = None
    armed_heads: frozenset[str] = frozenset()

    def organisation_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Whole-word occurrences of armed groups, parties and units (case-insensitive, '-' and ' ' alike):
        a place name inside one is part of the group's name, never a place ("Boko Haram", "Taliban")."""
        if self.organisations is None or not len(self.organisations):
            return []
        spans = []
        for end, (length, country) in self.organisations.iter_long(_fold(text)):
            start = end - length + 1
            if not text[start].isupper():
                continue  # "taliban" in running lower case is no name
            before = text[start - 1] if start > 0 else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if not before.isalnum() and not after.isalnum():
                spans.append((start, end + 1, country))
        return spans

    def not_place_spans(self, text: str) -> list[tuple[int, int]]:
        """Whole-word occurrences of outlet, organisation and ship names."""
        spans = []
        for end, length in self.not_places.iter_long(text):
            start = end - length + 1
            before = text[start - 1] if start > 0 else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if not before.isalnum() and not after.isalnum() and before not in "وبلفك":
                spans.append((start, end + 1))
        return spans


def lexicon_from(*, titles: Iterable[str] = (), first_names: Iterable[str] = (), org_heads: Iterable[str] = (),
                 place_heads: Iterable[str] = (), demonyms: Iterable[str] = (), not_places: Iterable[str] = (),
                 organisations: Iterable[tuple[str, str]] = (), armed_heads: Iterable[str] = ()) -> Lexicon:
    """A lexicon from word lists: the analysts' files (load_lexicon), or the few words a test needs. A title may
    be written with its point ("Dr."); a demonym also covers its plurals ("Syrians"); `not_places` are whole
    phrases; `organisations` are (name, the actor's ISO country or "")."""
    automaton = ahocorasick.Automaton()
    for phrase in not_places:
        automaton.add_word(phrase, len(phrase))
    automaton.make_automaton()
    groups = ahocorasick.Automaton()
    for name, country in organisations:
        groups.add_word(_fold(name), (len(name), country))
    if len(groups):
        groups.make_automaton()
    plurals = set()
    for d in demonyms:
        plurals.update({d, d + "s", d + "es"})
    return Lexicon(
        titles=frozenset(t.rstrip(".") for t in titles),
        first_names=frozenset(first_names),
        org_heads=frozenset(org_heads),
        place_heads=frozenset(place_heads),
        demonyms=frozenset(plurals),
        not_places=automaton,
        organisations=groups,
        armed_heads=frozenset(armed_heads),
    )


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """The lexicon of data/lexicon/ (and the events actor dictionary's organisation names)."""
    return lexicon_from(
        titles=_tokens("titles.txt", directory),
        first_names=_tokens("first_names.txt", directory),
        org_heads=_tokens("org_heads.txt", directory),
        place_heads=_tokens("place_heads.txt", directory),
        demonyms=_tokens("demonyms.txt", directory),
        not_places=_words("not_places.txt", directory),
        organisations=organisation_names(directory=directory),
        armed_heads=_tokens("armed_heads.txt", directory) if (directory / "armed_heads.txt").exists() else (),
    )
