"""Resolution: choose one gazetteer entry per mention, using priors and the article's context.

Two passes. The first scores candidates on their own (population, feature, how the name fits);
the second adds what the article says as a whole: the countries its confident places lie in,
their spatial centre, explicit qualifiers ("Palmyra, Syria") and airfield words ("Tiyas air base").
The same name resolves the same way throughout one article (one sense per discourse).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from geo.gazetteer import Gazetteer, NameHit, norm
from geo.gazetteer.index import ALTERNATE, NAME
from geo.geodesy import distance_km
from geo.parse.hierarchy import division_word, hierarchy_bonus
from geo.parse.lexicon import zipf
from geo.text import is_dateline
from geo.types import Candidate, Match, ResolvedMention

_AIRFIELD_AFTER = re.compile(r"^[\s'’s]*(?:\w+\s+){0,2}?(?:air\s?base|airbase|air\s?field|airfield|airport|aerodrome|air\s?strip|base)\b", re.IGNORECASE)
_AIRFIELD_BEFORE = re.compile(r"\b(?:air\s?base|airbase|airfield|airport|aerodrome)\s+(?:of|at|in|near)?\s*$", re.IGNORECASE)
DATELINE_CITY_POPULATION = 100_000  # a city this big beats the same-named region in a dateline
_QUALIFIER = re.compile(r"^,\s*((?:[A-Z][\w'’\-.]*)(?:\s+[A-Z][\w'’\-.]*){0,3})")
_RELATIVE = re.compile(r"^,?\s+(?:\d+\s*(?:km|kilometres|kilometers|miles|mi)\s+)?(?:(?:north|south|east|west|"
                       r"north-east|north-west|south-east|south-west|northeast|northwest|southeast|southwest)\s+of|"
                       r"near|outside|just outside)\s+((?:[A-Z][\w'’\-]*)(?:\s+[A-Z][\w'’\-]*){0,2})")
_AIRFIELDS = frozenset({"air base", "airport"})
SAME_PLACE_KM = 161.0  # candidates this close give the same point on a map (and in the usual accuracy measure)


@dataclass(frozen=True)
class Weights:
    """Tunable constants of the scoring; kept together so experiments change one place."""

    kind = {NAME: 0.0, ALTERNATE: -0.4, 2: -1.6}
    feature = {"country": 4.0, "region": 2.0, "sea": 3.5, "river": 3.0, "facility": 3.0, "city": 0.0,
               "air base": 0.5, "airport": 0.0, "district": 0.0}
    airfield_context = 6.0
    airfield_without_context = -4.0
    qualifier_match = 8.0
    qualifier_mismatch = -3.0
    anchor_near = 5.0
    country_context = 3.5
    region_context = 1.5  # same first-level region (state, province) as the article's other places
    distance_scale_km = 1000.0
    distance_cap = 3.0
    context_full = 3.0  # total vote weight at which the article's context counts in full
    demonym_vote = 0.25  # "Syrian state media": weak evidence of the article's country, per mention (up to 3)
    unknown_town_population = 1000  # about the tenth percentile of the towns whose population is known
    fame = 0.3  # per tenfold more names the place is known by (Geneva in Switzerland: 53; in New York: 17)
    region_is_the_city = -3.0  # a region lying on a same-named city (Kyiv City, Berlin) means the city
    dateline_region = -4.0  # "WASHINGTON (Reuters) —": the city, not the state (geo.text.is_dateline)
    inside_enclosing = 5.0  # "X, Y province, Country": X lies in some sense of Y and of the country (geo.parse.hierarchy)
    outside_enclosing = -2.0
    division_named = 3.0  # "Nineveh province", "Sangin district": a division of that level
    division_other = -1.5  # ... not a town


def _sense_key(text: str, m: Match) -> str:
    """The name as one sense per discourse counts it: with the division word that follows it, if any."""
    division = division_word(text, m)
    return f"{norm(m.mention.text)}|{division}" if division else norm(m.mention.text)


@dataclass(frozen=True)
class Vote:
    """What one clearly resolved place says about the article: its country, region and position."""

    country: str | None
    region: tuple[str, str] | None
    weight: float
    lat: float
    lon: float
    p: float


@dataclass(frozen=True)
class Context:
    countries: dict[str, float]  # weight of each country, the strongest 1
    regions: dict[tuple[str, str], float]  # the same for (country, admin1)
    centre: tuple[float, float] | None
    weight: float = 0.0  # total weight of the votes: how much the article says


def _normalised(weights: dict) -> dict:
    top = max(weights.values(), default=0.0)
    return {k: v / top for k, v in weights.items()} if top else {}


def _context(votes: list[Vote]) -> Context:
    """Country and region weights (max 1) and the weighted centre of a set of votes."""
    countries: dict[str, float] = defaultdict(float)
    regions: dict[tuple[str, str], float] = defaultdict(float)
    for v in votes:
        if v.country:
            countries[v.country] += v.weight
        if v.region:
            regions[v.region] += v.weight
    if not votes:
        return Context(_normalised(countries), _normalised(regions), None)
    tw = sum(v.p for v in votes)
    if not tw:  # only demonyms: a country, no position
        return Context(_normalised(countries), _normalised(regions), None, sum(v.weight for v in votes))
    centre = (sum(v.lat * v.p for v in votes) / tw, sum(v.lon * v.p for v in votes) / tw)
    return Context(_normalised(countries), _normalised(regions), centre, sum(v.weight for v in votes))


def _region_of(c: Candidate) -> tuple[str, str] | None:
    return (c.country, c.admin1) if c.country and c.admin1 and c.feature not in ("country", "continent") else None


def _population(c: Candidate) -> int:
    """GeoNames gives no population for most towns of Syria, Yemen or Afghanistan (181 of 308 Syrian towns
    here): unknown is not zero, so such a town counts as a small one."""
    return c.population or (Weights.unknown_town_population if c.feature == "city" else 0)


def _prominence(c: Candidate) -> float:
    """How much a place, once resolved, says about the article's country: a city of a million
    says more than a village that happened to be the only candidate for its name."""
    if c.feature in ("city",):
        return min(1.0, math.log10(_population(c) + 10) / 6.0) ** 2
    return 1.0


def _prior(hit: NameHit, w: Weights) -> float:
    c = hit.candidate
    s = math.log10(_population(c) + 10) + w.feature.get(c.feature, 1.0) + w.kind.get(hit.kind, -2.0) \
        + (w.fame * math.log10(c.names + 1) if c.feature == "city" else 0.0)
    if c.feature == "region" and hit.kind >= 2:
        s -= 2.0  # "Homs" alone means the city, not the governorate
    return s


@dataclass(frozen=True)
class Decision:
    mention: ResolvedMention
    features: dict[str, float]


_FEATURE_GROUPS = {"country": "country", "continent": "country", "region": "region", "county": "region",
                   "district": "region", "city": "city",
                   "air base": "airfield", "airport": "airfield"}


def decision_features(text: str, m: Match, best: Candidate, p: float, kind: int, n_candidates: int,
                      country_agreement: float, repeats: int,
                      extent: tuple[float, float] = (0.0, 0.0)) -> dict[str, float]:
    """Generic evidence about one resolution, the inputs of the confidence model (geo/parse/confidence.py).

    `extent` is the area's (radius, spread) in km: a point for Queensland or Canada is right only if the
    reference used the same label convention, so large areas with disputed label points are less certain.
    """
    surface = m.mention.text
    before = text[max(0, m.mention.start - 200):m.mention.start].rstrip()
    group = _FEATURE_GROUPS.get(best.feature, "other")
    return {
        "p_resolve": p,
        "log_population": math.log10(_population(best) + 10) / 7.0,
        "is_country": float(group == "country"),
        "is_region": float(group == "region"),
        "is_city": float(group == "city"),
        "is_airfield": float(group == "airfield"),
        "alternate_name": float(kind == ALTERNATE),
        "variant_name": float(kind >= 2),
        "single_word": float(" " not in surface and "-" not in surface),
        "common_word": min(zipf(surface.split()[0]) / 7.0, 1.0),
        "sentence_start": float(not before or before[-1] in ".!?\n\"“"),
        "log_candidates": math.log10(n_candidates + 1),
        "country_agreement": country_agreement,
        "log_repeats": math.log10(repeats + 1),
        "p_resolve_sharp": p ** 8,
        # Known to be small, and not known at all: GeoNames has no population for most towns of Syria, Yemen or
        # Afghanistan, which the dev corpora (mostly US and UK news) would otherwise teach to distrust.
        "small_place": float(group == "city" and 0 < best.population < 20_000),
        "unknown_population": float(group == "city" and not best.population),
        "agreement_city": country_agreement * float(group == "city"),
        "mixed_case": float(not surface.isupper() and not surface.islower()),
        "log_radius": math.log10(extent[0] + 1) / 4,
        "log_spread": math.log10(extent[1] + 1) / 4,
        # Near 1 once label points disagree by more than the 161 km a reference point is allowed to be off.
        "spread_ratio": extent[1] / (extent[1] + 161.0),
        "is_continent": float(best.feature == "continent"),
    }


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_DEMONYMS = "\x00demonyms"  # the votes of demonyms, filed under a name no mention has


class Resolver:
    def __init__(self, gazetteer: Gazetteer, weights: Weights | None = None):
        self.gazetteer = gazetteer
        self.w = weights or Weights()
        self._demonyms = gazetteer.demonyms()

    def _demonym_votes(self, text: str) -> list[Vote]:
        """What "Syrian", "Russians" say of the article's country: a little, whoever the actor is."""
        if not self._demonyms:
            return []
        counts: dict[str, int] = defaultdict(int)
        for word in _CAPITALISED.findall(text):
            country = self._demonyms.get(word) or (word.endswith("s") and self._demonyms.get(word[:-1]))
            if country:
                counts[country] += 1
        return [Vote(c, None, self.w.demonym_vote * min(n, 3), 0.0, 0.0, 0.0) for c, n in counts.items()]

    def resolve(self, text: str, matches: list[Match]) -> list[ResolvedMention]:
        return [d.mention for d in self.decide(text, matches)]

    def decide(self, text: str, matches: list[Match]) -> list[Decision]:
        """Resolved mentions with the evidence behind each choice (for the confidence model)."""
        if not matches:
            return []
        w = self.w
        local = [self._local_scores(text, m) for m in matches]
        for scores, change in zip(local, hierarchy_bonus(text, matches, self.gazetteer.extent,
                                                         w.inside_enclosing, w.outside_enclosing)):
            for key, delta in change.items():
                if key in scores:
                    scores[key] = (scores[key][0], scores[key][1] + delta)

        # "Kidal town (Kidal region)", "Bryansk region ... in Bryansk": a name with a division word after it
        # is another sense of the name than the bare one, so one sense per discourse keeps them apart.
        names = [_sense_key(text, m) for m in matches]

        # Pass 1: what each clear place says about the article (its country, its position).
        votes: dict[str, list[Vote]] = defaultdict(list)
        for name, scores in zip(names, local):
            best, p = self._pick(scores)
            if p < 0.6 and best.feature != "country":
                continue
            weight = 2.0 if best.feature == "country" else p * _prominence(best)
            votes[name].append(Vote(best.country, _region_of(best), weight, best.lat, best.lon, p))

        demonyms = self._demonym_votes(text)
        if demonyms:
            votes[_DEMONYMS] = demonyms
        # Pass 2: each name is judged by the *other* names' votes, so a place cannot confirm itself.
        context_cache: dict[str, Context] = {}
        contextual = []
        for name, scores in zip(names, local):
            if name not in context_cache:
                context_cache[name] = _context([v for n, vs in votes.items() if n != name for v in vs])
            ctx = context_cache[name]
            # One other place is little evidence for a country ("officials in Washington ... sanctions against
            # Moscow" is no reason for Moscow, Idaho): the country and the distance count in full only from a
            # country or a few clear places. A shared first-level region is specific enough as it is.
            strength = min(1.0, ctx.weight / w.context_full)
            adj = {}
            for key, (cand, s) in scores.items():
                bonus = w.country_context * ctx.countries.get(cand.country or "", 0.0)
                if ctx.centre is not None and cand.feature not in ("country", "continent"):
                    d = distance_km(ctx.centre[0], ctx.centre[1], cand.lat, cand.lon)
                    bonus -= min(d / w.distance_scale_km, w.distance_cap)
                s2 = s + strength * bonus
                region = _region_of(cand)
                if region and cand.feature != "region":
                    s2 += w.region_context * ctx.regions.get(region, 0.0)
                adj[key] = (cand, s2)
            contextual.append(adj)
        # One sense per name and article; an explicit qualifier anywhere ("London, Ky.") decides it.
        by_name: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for name, scores in zip(names, contextual):
            for key, (_, s) in scores.items():
                by_name[name][key] += s
        for found in (self._explicit(text, matches, names), self._containing(text, matches, names)):
            for name, keys in found.items():
                for key in keys:
                    by_name[name][key] += w.qualifier_match * 2
        repeats: dict[str, int] = defaultdict(int)
        for name in names:
            repeats[name] += 1
        out = []
        for m, name, scores in zip(matches, names, contextual):
            shared = by_name[name]
            n_occ = repeats[name]
            # The shared sense dominates; an explicit local signal (qualifier, airfield words) can still win.
            combined = {k: (c, s + shared[k] / n_occ) for k, (c, s) in scores.items()}
            best, p = self._pick(combined)
            mn = m.mention
            resolved = ResolvedMention(start=mn.start, end=mn.end, text=mn.text, name=best.name, lat=best.lat,
                                       lon=best.lon, feature=best.feature, country=best.country,
                                       geonameid=best.geonameid, score=p, source=best.source,
                                       display_name=best.display_name)
            kind = min(h.kind for h in m.hits if h.candidate.key == best.key)
            out.append(Decision(resolved, decision_features(
                text, m, best, p, kind, len(combined), context_cache[name].countries.get(best.country or "", 0.0),
                repeats[name], self.gazetteer.extent(best.key))))
        return out

    @staticmethod
    def _qualifier_of(text: str, m: Match) -> str | None:
        """The key of a qualifier right after the mention ("Paris, Texas"), unless the mention is itself
        an item of a list ("Mexico, China, Japan and Brazil")."""
        qualifier = _QUALIFIER.search(text[m.mention.end:m.mention.end + 40])
        if not qualifier or text[max(0, m.mention.start - 2):m.mention.start] == ", ":
            return None
        return norm(qualifier.group(1))

    @staticmethod
    def _containing(text: str, matches: list[Match], names: list[str]) -> dict[str, set[int]]:
        """Country and region senses of a qualifier that contain the place before it: in "Atlanta, Georgia"
        Georgia is the US state, whatever Georgia means elsewhere."""
        out: dict[str, set[int]] = defaultdict(set)
        for (m1, _), (m2, name2) in zip(zip(matches, names), list(zip(matches, names))[1:]):
            if text[m1.mention.end:m2.mention.start] != ", ":
                continue
            inner = [h.candidate for h in m1.hits if h.candidate.feature not in ("country", "continent", "region")]
            for hit in m2.hits:
                q = hit.candidate
                if q.feature == "country" and any(c.country == q.country for c in inner):
                    out[name2].add(q.key)
                elif q.feature == "region" and q.admin1 and any(
                        c.country == q.country and c.admin1 == q.admin1 for c in inner):
                    out[name2].add(q.key)
        return out

    def _explicit(self, text: str, matches: list[Match], names: list[str]) -> dict[str, set[int]]:
        """Candidates that an explicit qualifier names, per surface name."""
        out: dict[str, set[int]] = defaultdict(set)
        for m, name in zip(matches, names):
            qual_key = self._qualifier_of(text, m)
            if not qual_key:
                continue
            for hit in m.hits:
                if self._qualifier_bonus(hit.candidate, qual_key) == self.w.qualifier_match:
                    out[name].add(hit.candidate.key)
        return out

    def _local_scores(self, text: str, m: Match) -> dict[int, tuple[Candidate, float]]:
        w = self.w
        after = text[m.mention.end:m.mention.end + 40]
        before = text[max(0, m.mention.start - 30):m.mention.start]
        airfield_ctx = bool(_AIRFIELD_AFTER.search(after) or _AIRFIELD_BEFORE.search(before))
        qual_key = self._qualifier_of(text, m)
        relative = _RELATIVE.search(after)
        anchors: list[Candidate] = []
        if relative:  # "Edmonton, south of Cairns": the sense near the anchor
            key = norm(relative.group(1))
            anchors = sorted((h.candidate for h in self.gazetteer.lookup([key]).get(key, [])
                              if h.kind <= 1), key=lambda x: -x.population)[:3]
        cities = [h.candidate for h in m.hits if h.candidate.feature == "city"]
        dateline_city = is_dateline(text, m.mention.start, m.mention.end) and any(
            h.candidate.feature == "city" and h.kind <= ALTERNATE and h.candidate.population >= DATELINE_CITY_POPULATION
            for h in m.hits)
        division = division_word(text, m)
        scores: dict[int, tuple[Candidate, float]] = {}
        for hit in m.hits:
            c = hit.candidate
            s = _prior(hit, w)
            if division:
                level = "district" if c.feature in ("district", "county") else c.feature
                if level == division:
                    # "Plateau state" is the region's short name written in full: no penalty for a short form.
                    s += w.division_named + (_prior(NameHit(c, NAME), w) - _prior(hit, w))
                else:
                    s += w.division_other / 2 if level in ("region", "district") else w.division_other
            if c.feature in ("region", "district") and any(x.country == c.country and distance_km(c.lat, c.lon, x.lat, x.lon) < 30
                                             for x in cities):
                s += w.region_is_the_city
            if dateline_city and c.feature == "region":
                s += w.dateline_region
            if c.feature in _AIRFIELDS:
                s += w.airfield_context if airfield_ctx else w.airfield_without_context
            if qual_key:
                s += self._qualifier_bonus(c, qual_key)
            if anchors:
                near = min(distance_km(c.lat, c.lon, x.lat, x.lon) for x in anchors)
                s += w.anchor_near if near <= 250 else 0.0
            if c.key not in scores or s > scores[c.key][1]:
                scores[c.key] = (c, s)
        return scores

    def _qualifier_bonus(self, c: Candidate, qual_key: str) -> float:
        hits = self.gazetteer.lookup([qual_key]).get(qual_key, [])
        places = [h.candidate for h in hits if h.candidate.feature in ("country", "region")]
        if not places:
            return 0.0
        for q in places:
            if q.feature == "country" and q.country == c.country:
                return self.w.qualifier_match
            if q.feature == "region" and q.country == c.country and q.admin1 and q.admin1 == c.admin1:
                return self.w.qualifier_match
        return self.w.qualifier_mismatch

    @staticmethod
    def _pick(scores: dict[int, tuple[Candidate, float]]) -> tuple[Candidate, float]:
        """The best candidate and the probability that the place is there: the softmax mass of the
        candidates within 161 km of it (Kyiv the city and Kyiv City the region are one answer on a map)."""
        items = list(scores.values())
        top = max(s for _, s in items)
        best = max(items, key=lambda cs: (cs[1], cs[0].population))
        c = best[0]
        weights = [(x, math.exp(s - top)) for x, s in items]
        # Candidates with a negligible share are not worth the distance.
        near = sum(e for x, e in weights
                   if x is c or e > 1e-4 and distance_km(c.lat, c.lon, x.lat, x.lon) <= SAME_PLACE_KM)
        return c, near / sum(e for _, e in weights)
