"""Actors as ACLED names them: the country of the event's place fills generic names, and the pair of actor
types gives ACLED's interaction code.

A generic actor ("government forces", "police", "protesters", "gunmen") has no country of its own: its name in
data/events/actors.csv carries "{country}" ("Military Forces of {country}", "Protesters ({country})"), filled
with the country of the place the event happened in — never a default country, which is what made Nigerian
"government forces" the military forces of Syria. Country names and demonyms are in data/events/countries.csv.
"""

from __future__ import annotations
from geo.config import EVENTS_DIR

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


# ACLED's actor-type codes (the "inter" columns): a type in actors.csv -> its code.
INTER_CODES = {"state force": 1, "rebel group": 2, "political militia": 3, "non-state armed group": 3,
               "identity militia": 4, "rioters": 5, "protesters": 6, "civilians": 7, "external force": 8}


@dataclass(frozen=True)
class Countries:
    names: dict[str, str]  # ISO code -> ACLED's country name
    demonyms: dict[str, str]  # "Nigerian" -> "NG"

    def __hash__(self) -> int:  # loaded once per directory: the identity is enough
        return id(self)

    def name(self, cc: str | None) -> str | None:
        return self.names.get(cc.upper()) if cc else None


@lru_cache(maxsize=2)
def load_countries(directory: Path = EVENTS_DIR) -> Countries:
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    path = directory / "countries.csv"
    if path.exists():
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                names[row["code"]] = row["name"]
                for d in (row.get("demonyms") or "").split("|"):
                    if d.strip():
                        demonyms[d.strip()] = row["code"]
    return Countries(names, demonyms)


_NO_COUNTRY = re.compile(r"\s*(?:\(\{country\}\)|of \{country\}|\{country\})")


def fill_name(name: str, cc: str | None, countries: Countries | None = None) -> str:
    """"Military Forces of {country}" with the country of `cc`; without one, "Military Forces"."""
    if "{country}" not in name:
        return name
    country = (countries or load_countries()).name(cc) if cc else None
    return name.replace("{country}", country) if country else _NO_COUNTRY.sub("", name).strip()


def inter_code(actor_type: str | None, actor_country: str | None = None, event_country: str | None = None) -> int:
    """ACLED's code of one actor: a state force acting outside its own country is an external force (8)."""
    if not actor_type:
        return 0
    code = INTER_CODES.get(actor_type, 3)
    if code == 1 and actor_country and event_country and actor_country != event_country:
        return 8
    return code


def interaction(code1: int, code2: int) -> int | None:
    """ACLED's interaction: the two codes, lower first ("12" state vs rebels); one actor alone is "10", "20"..."""
    if not code1 and not code2:
        return None
    a, b = sorted(c for c in (code1, code2) if c) if code1 and code2 else ((code1 or code2), 0)
    return a * 10 + b


_AREA = ("country", "continent", "sea", "river")


def event_country(text: str, place, sentence_places: list, doc_places: list, sentence: tuple[int, int],
                  actor_spans: list[tuple[int, int]] = (), countries: Countries | None = None,
                  actor_countries: list[str] = ()) -> str | None:
    """The country of an event: its place's; else that of a place in its sentence, then in the article; else a
    demonym of the sentence ("in Afghan south"); else the country of a national armed group of the sentence
    ("Karen rebels, government troops clash"). None rather than a guess."""
    if place is not None and place.country:
        return place.country
    for group in (sentence_places, doc_places):
        found = [p.country for p in group if p.country]
        if found:
            return found[0]
    found = _demonym_country(text, sentence, actor_spans, countries or load_countries())
    return found or next((cc for cc in actor_countries if cc), None)


def _demonym_country(text: str, sentence: tuple[int, int], actor_spans, countries: Countries) -> str | None:
    for lo, hi in (sentence, (0, len(text))):  # the sentence, then the article ("... in northwest C. Africa")
        for m in _demonym_regex(countries).finditer(text, lo, hi):
            cc = countries.demonyms.get(m.group())
            if cc and not any(a <= m.start() < b for a, b in actor_spans):  # "Turkish artillery": whose, not where
                return cc
    return None


@lru_cache(maxsize=4)
def _demonym_regex(countries: Countries) -> re.Pattern:
    """Demonyms and short names of countries as whole words, longest first ("DR Congo", "C. Africa", "Afghan")."""
    names = sorted(countries.demonyms, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


@lru_cache(maxsize=2)
def load_national(directory: Path = EVENTS_DIR) -> dict[tuple[str, str], str]:
    """(generic actor id, country) -> the id of the actor it is there (data/events/national.csv)."""
    path = directory / "national.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as f:
        return {(r["generic"], r["country"]): r["actor"] for r in csv.DictReader(l for l in f if not l.startswith("#"))}
