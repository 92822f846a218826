"""Core types shared by every stage of the pipeline.

Frozen dataclasses with character offsets into the article text and explicit lat/lon,
so that every stage can be tested on its own and results can be traced back to the text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

_WS = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Identity of an article: the same text ingested twice is one article.

    Whitespace is folded so that re-scraped copies that differ only in layout collide.
    """
    folded = _WS.sub(" ", text).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """An article as ingested: main text plus whatever metadata the source gave."""

    text: str
    title: str | None = None
    source: str | None = None  # site or outlet name, e.g. "Sputnik International"
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    language: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", content_hash(self.text))


@dataclass(frozen=True)
class Mention:
    """A span of text the recogniser believes names a place; text == article.text[start:end]."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a mention could refer to."""

    name: str
    lat: float
    lon: float
    feature: str  # "city" | "country" | "region" | "air base" | "airport" | ...
    country: str | None = None  # ISO 3166 alpha-2
    geonameid: int | None = None
    population: int = 0
    admin1: str | None = None
    source: str = "geonames"  # where the entry comes from: geonames, ourairports, curated, ...
    key: int = -1  # row in the gazetteer index, stable within one index build
    names: int = 0  # distinct names in the gazetteer (many languages know a famous place)
    display_name: str = ""  # as people write it in English (Palmyra for Tadmur: geo/gazetteer/display.py); "": the name

    def __post_init__(self) -> None:
        if not self.display_name:
            object.__setattr__(self, "display_name", self.name)


# How a name relates to its place (NameHit.kind); lower is more authoritative. A close spelling (geo/parse/spelling.py)
# is weaker still: VARIANT + 1.
NAME, ALTERNATE, VARIANT = 0, 1, 2


@dataclass(frozen=True)
class NameHit:
    """A candidate found under a name, and how authoritative that name is for it (NAME, ALTERNATE, VARIANT...)."""

    candidate: Candidate
    kind: int


@dataclass(frozen=True)
class Match:
    """The recognizer's promise to the resolver: this span names a place, and the place is one of `hits`.

    - `mention.text == text[mention.start:mention.end]` for the text the recognizer read (offsets never shift);
    - `hits` is not empty: every gazetteer entry the name can refer to, as the recognizer filtered them
      (a name inside "Boko Haram" keeps no town; "Pakistan Army" keeps only the country). Choosing among
      them is the resolver's job, and it always picks one;
    - the matches of one text, as the resolver receives them, are in text order and do not overlap
      (the hierarchy reads "X, Y province" from neighbouring matches).
    """

    mention: Mention
    hits: tuple[NameHit, ...]

    def __post_init__(self) -> None:
        if not self.hits:
            raise ValueError(f"a match needs at least one gazetteer hit: {self.mention.text!r}")


@dataclass(frozen=True)
class ResolvedMention:
    """A mention resolved to one place, with a confidence score in [0, 1]."""

    start: int
    end: int
    text: str
    name: str
    lat: float
    lon: float
    feature: str
    country: str | None = None
    geonameid: int | None = None
    score: float = 0.0
    source: str = "geonames"
    # How the name was matched when not by the gazetteer's own spelling (geo/parse/spelling.py): "spelling" (a
    # transliteration variant), "fuzzy" (a close spelling within the report's country) or "unresolved" (a place
    # the gazetteer lacks, shown at the area enclosing it); None for an exact name.
    match: str | None = None
    geo_precision: int | None = None  # ACLED's: 2 near the point (a district's), 3 only the region or country
    # As people write it in English (Palmyra for the gazetteer's Tadmur: Candidate.display_name); "": the name.
    # Maps, tables and exports show it; `name` stays the gazetteer's, the place's identity in the store.
    display_name: str = ""

    def __post_init__(self) -> None:
        if not self.display_name:
            object.__setattr__(self, "display_name", self.name)

    def to_json(self) -> dict:
        """The CLI's mention record (the evaluation contract: keep the keys stable; display_name was added)."""
        d = asdict(self)
        d["lat"] = round(self.lat, 5)
        d["lon"] = round(self.lon, 5)
        d["score"] = round(self.score, 3)
        return d


@dataclass(frozen=True)
class Event:
    """What happened at a place, per ACLED: the sentence it was read from is the evidence."""

    type: str
    subtype: str
    actor1: str | None
    actor2: str | None
    place_mention_start: int | None
    place: str | None
    precision: int | None  # 1 exact place, 2 near it, 3 region or country
    evidence_start: int
    evidence_end: int
    modality: str  # fact | negated | intent | threat | possibility
    trigger: str
    trigger_start: int
    # ACLED's record beyond type, actors and place (geo/events/dates.py, geo/events/fatalities.py, geo/events/actors.py)
    date: str | None = None  # YYYY-MM-DD: a date in the text, else one relative to the publication date, else it
    date_precision: int | None = None  # 1 day, 2 week, 3 month (ACLED's time_precision)
    fatalities: int | None = None  # the number the text reports; 0 when none were hurt; None when it is silent
    assoc_actor1: str | None = None
    assoc_actor2: str | None = None
    interaction: int | None = None  # ACLED's actor-type pair ("12" state forces vs rebels)
    country: str | None = None  # ISO code of the event's place
    admin1: str | None = None
    geo_precision: int | None = None  # 1 exact, 2 near, 3 region (ACLED's geo_precision)

    def to_json(self) -> dict:
        return asdict(self)
