"""The report's own hierarchy of places: "X, Y province, Country", "X (Y, Z)", "in X district of Y",
"South-West Cameroon". Each place is constrained to lie inside the places that enclose it in the text.

Conflict reports name a village, then its district, province and country; a name alone is ambiguous
("Nineveh" is also a town in Ohio), its enclosing places are not. This module finds which mention encloses
which from the words between them, and scores each candidate by whether it lies inside some sense of every
enclosing mention (and each enclosing sense by whether it contains some sense of the mention it encloses).
"""

from __future__ import annotations

import re
from collections import defaultdict

from geo.geodesy import distance_km
from geo.types import Candidate, Match

# Words naming a division, written after its name ("Sangin district", "Nineveh province").
DIVISION_WORDS = {
    "region": ("province", "provinces", "governorate", "region", "state", "oblast", "wilaya", "wilayah",
               "prefecture", "division", "canton"),
    "district": ("district", "districts", "sub-district", "subdistrict", "county", "lga", "local government area",
                 "municipality", "township", "department", "commune", "tehsil", "locality", "raion", "rayon",
                 "circle", "cercle", "sector", "zone", "qada", "nahiya", "sub-county", "subcounty", "territory",
                 "upazila"),
}
_ANY_DIVISION = "|".join(sorted({w for ws in DIVISION_WORDS.values() for w in ws}, key=len, reverse=True))
_DIVISION_AFTER = re.compile(rf"^\s+(?:{_ANY_DIVISION})\b", re.IGNORECASE)
# What lies between a place and the place that encloses it: an optional division word, then ", ", " (",
# " in ", " of ", "in the ... of".
_ENCLOSED_BY = re.compile(rf"^(?:\s+(?:{_ANY_DIVISION}))?(?:\s*,\s*(?:in\s+)?|\s*\(\s*|\s*[-–]\s*|"
                          rf"\s+(?:in|of)\s+)(?:the\s+)?(?:(?:{_ANY_DIVISION})\s+of\s+)?$", re.IGNORECASE)
# "Boni (Hombori, Mopti)": a name the gazetteer lacks between a place and its enclosing area is skipped over.
_SKIPPING = re.compile(rf"^(?:\s*,\s*|\s*\(\s*|\s+(?:in|of)\s+)(?:the\s+)?[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?"
                       rf"(?:\s+(?:{_ANY_DIVISION}))?\s*,\s*$", re.IGNORECASE)
_AREAS = ("country", "region", "district", "county")
DISTRICT_SLACK_KM = 30.0


def division_after(following: str) -> str | None:
    """"region" or "district" when the text right after a name opens with a division word (" province of...")."""
    after = _DIVISION_AFTER.match(following[:30])
    if not after:
        return None
    word = after.group(0).strip().lower()
    return next(kind for kind, words in DIVISION_WORDS.items() if word in words)


def division_word(text: str, m: Match) -> str | None:
    """"region" or "district" when a division word follows the name ("Nineveh province")."""
    return division_after(text[m.mention.end:m.mention.end + 30])


def enclosed_by_next(gap: str) -> bool:
    """Whether the words between a place and the next name say the next encloses it (", ", " district of ",
    " (", or a skipped unknown name: "Boni (Hombori, Mopti)")."""
    return bool(_ENCLOSED_BY.match(gap) or _SKIPPING.match(gap))


def _km(a: Candidate, b: Candidate) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def contains(outer: Candidate, inner: Candidate, radius_km: float = 0.0) -> bool:
    """Whether the area `outer` holds the place `inner` (by country and first-level code; a district by distance)."""
    if outer.key == inner.key or outer.feature not in _AREAS or inner.feature in ("country", "continent"):
        return False
    if outer.feature == "country":
        return bool(outer.country) and outer.country == inner.country
    if outer.country != inner.country:
        return False
    if outer.feature == "region":
        return bool(outer.admin1) and outer.admin1 == inner.admin1 and inner.feature != "region"
    if inner.feature == "region":
        return False
    return _km(outer, inner) <= 2 * radius_km + DISTRICT_SLACK_KM


def enclosures(text: str, matches: list[Match]) -> dict[int, list[int]]:
    """For each mention (by index), the mentions that enclose it per the words between them, nearest first,
    following chains ("X, Y province, Z": X in Y and Z, Y in Z). "South-West Cameroon": a name right before a
    country is in it."""
    direct: dict[int, int] = {}
    for i in range(len(matches) - 1):
        a, b = matches[i].mention, matches[i + 1].mention
        gap = text[a.end:b.start]
        if b.start < a.end or len(gap) > 40:
            continue
        if enclosed_by_next(gap) or (gap in (" ", "-") and any(
                h.candidate.feature == "country" and h.kind <= 1 for h in matches[i + 1].hits)):
            # "Mexico, China, Japan": a list of countries encloses nothing.
            if gap.strip() == "," and _only_countries(matches[i]) and _only_countries(matches[i + 1]):
                continue
            direct[i] = i + 1
    out: dict[int, list[int]] = defaultdict(list)
    for i in direct:
        j = direct.get(i)
        while j is not None and len(out[i]) < 4:
            out[i].append(j)
            j = direct.get(j)
    return out


def _siblings(inner: Match, outer: Match) -> bool:
    """Two names of the same level ("California, Illinois and New York"): a list, not a hierarchy."""
    levels = {_LEVEL.get(h.candidate.feature) for h in inner.hits if h.kind <= 1} - {None}
    return any(_LEVEL.get(h.candidate.feature) in levels for h in outer.hits if h.kind <= 1)


_LEVEL = {"country": 0, "region": 1, "district": 2, "county": 2}


def _only_countries(m: Match) -> bool:
    return all(h.candidate.feature in ("country", "continent") for h in m.hits)


def hierarchy_bonus(text: str, matches: list[Match], extent, bonus: float, penalty: float) -> list[dict[int, float]]:
    """Per mention, a score change per candidate key: + `bonus` for each enclosing mention some sense of which
    holds the candidate, `penalty` for each that none does (only when one does hold another candidate);
    enclosing senses that hold some sense of the inner mention get + `bonus` too. `extent(key)` gives
    (radius_km, spread_km) of an area."""
    out: list[dict[int, float]] = [defaultdict(float) for _ in matches]
    for i, outer_ids in enclosures(text, matches).items():
        inner = [h.candidate for h in matches[i].hits]
        for j in outer_ids:
            areas = [h.candidate for h in matches[j].hits if h.candidate.feature in _AREAS]
            if not areas or _siblings(matches[i], matches[j]):
                continue
            radius = {q.key: extent(q.key)[0] if q.feature == "district" else 0.0 for q in areas}
            held = {c.key for c in inner if any(contains(q, c, radius[q.key]) for q in areas)}
            if not held:
                continue
            for c in inner:
                out[i][c.key] += bonus if c.key in held else penalty
            for q in areas:
                if any(contains(q, c, radius[q.key]) for c in inner):
                    out[j][q.key] += bonus
    return out
