"""Synthetic war reports for load tests: N short articles over a year, naming real towns.

`fill_synthetic(store, n)` writes N articles, each reporting one incident in a town of Syria, Iraq or
Ukraine taken from the gazetteer (bigger towns more often), usually with a second town and sometimes
the country named as well. The resolved mentions are written directly — no geoparsing — in bulk (with the events
the event extractor finds in each text), with SQLAlchemy Core on the store's own tables (geo.store.tables) and
its row builders (geo.store.rows), so 100,000 articles take minutes (mostly finding the events), not hours.
Places carry the index's display names (Palmyra for Tadmur: geo/gazetteer/display.py) as a real ingest stores them.

The texts are built from templates whose verbs come from the event lexicon (data/events/triggers.csv),
so the event extractor finds events in them, and a share of sentences is deliberately not a fact
("could advance on", "denied shelling") or not an event at all.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import bindparam, insert, select, update

from geo.events.extract import extract_events
from geo.store.rows import (
    COORD_DIGITS,
    article_values,
    event_row,
    mention_values,
    place_key,
    place_values,
    stored_display,
)
from geo.store.tables import articles, mentions, places
from geo.store.tables import events as event_table
from geo.types import Article, ResolvedMention, content_hash

COUNTRIES = {"SY": "Syria", "IQ": "Iraq", "UA": "Ukraine"}
COUNTRY_POINTS = {"SY": (35.0, 38.0), "IQ": (33.0, 44.0), "UA": (49.0, 32.0)}  # GeoNames country points
COUNTRY_SHARE = {"UA": 0.45, "SY": 0.35, "IQ": 0.20}
TOWNS_PER_COUNTRY = 300
START = date(2024, 1, 1)
DAYS = 366
NO_DATE_SHARE = 0.05  # articles without a date: the map falls back to the ingest date

SOURCES = (
    "Levant Desk", "Demo Wire", "Euphrates Daily", "Kyiv Monitor", "Frontline Report", "Tigris Times",
    "Northern Gazette", "Desert Dispatch", "Black Sea Bulletin", "Regional Observer",
)
ACTORS = {
    "SY": ("Syrian army troops", "rebel fighters", "Russian jets", "ISIS fighters", "Turkish drones", "the SDF"),
    "IQ": ("Iraqi forces", "ISIS militants", "the PMF", "coalition aircraft", "Iraqi federal police"),
    "UA": ("Russian forces", "Ukrainian troops", "Russian drones", "Ukrainian artillery", "Russian troops"),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# {a}/{b}: actors, {t}: the main town, {k}: a number, {d}: a weekday. One sentence each.
INCIDENTS = (
    ("Shelling hit {t} overnight, killing {k} people, local officials said.", "Shelling reported in {t}"),
    ("Airstrikes struck the outskirts of {t} on {d}, residents said.", "Airstrikes on the edge of {t}"),
    ("Heavy fighting broke out near {t} between {a} and {b}.", "Fighting near {t}"),
    ("{a} recaptured {t} after a week of clashes.", "{t} changes hands"),
    ("A roadside bomb exploded near {t}, wounding {k} soldiers.", "Roadside bomb near {t}"),
    ("A drone attack hit a fuel depot in {t} early on {d}.", "Drone attack on a depot in {t}"),
    ("Hundreds of people protested in {t} on {d}, demanding the release of detainees.", "Protest in {t}"),
    ("{a} deployed reinforcements to {t} on {d}.", "Reinforcements sent to {t}"),
    ("{a} shelled {t} for the third day running.", "Third day of shelling in {t}"),
    ("Missiles hit an apartment block in {t}, leaving {k} dead.", "Missile strike in {t}"),
)
# A second town, {u}: some sentences report no event, some an event that did not (or not yet) happen.
FOLLOW_UPS = (
    "Aid workers in {u} said supplies were running low.",
    "{a} could advance on {u} within weeks, analysts said.",
    "Officials in {u} denied that any shelling took place.",
    "Families fled towards {u}, about {k} km away.",
    "Commanders said they plan to attack {u} next.",
    "The road to {u} remained open.",
)
COUNTRY_LINES = ("The war in {c} shows no sign of ending.", "It was the heaviest week in {c} this year.")


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float
    country: str
    geonameid: int | None
    display_name: str = ""  # as people write it (Palmyra for Tadmur); "": the name


def towns_from(gazetteer, per_country: int = TOWNS_PER_COUNTRY) -> dict[str, list[tuple[Town, float]]]:
    """The most populous towns of each country, each with a weight that grows with its population, and with the
    index's display name (its `display` column; none from an index built before display names)."""
    frame = gazetteer.frame(["city"])
    if "display" not in frame:
        frame = frame.assign(display=None)
    frame = frame[frame["country"].isin(list(COUNTRIES))]
    out: dict[str, list[tuple[Town, float]]] = {}
    for cc, rows in frame.groupby("country"):
        rows = rows.sort_values("population", ascending=False).drop_duplicates("name").head(per_country)
        out[str(cc)] = [
            (Town(r.name, float(r.lat), float(r.lon), str(cc), int(r.geonameid) if r.geonameid == r.geonameid else None,
                  r.display if isinstance(r.display, str) and r.display != r.name else ""),
             max(float(r.population), 1000.0) ** 0.6)
            for r in rows.itertuples(index=False)
        ]
    return out


@dataclass(frozen=True)
class Report:
    title: str
    text: str
    source: str
    published: str | None
    ingested_at: datetime
    url: str
    mentions: tuple[tuple[int, int, str, str, float, float, str, str, int | None, float], ...]
    # Each mention's display name, in the order of `mentions` ("" where it is the name).
    display_names: tuple[str, ...] = ()


class _Writer:
    """Appends text while recording where each town or country name lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.mentions: list[tuple] = []
        self.display_names: list[str] = []

    def add(self, template: str, rng: random.Random, places: dict[str, tuple], **words: str) -> None:
        pos = 0
        while pos < len(template):
            i = template.find("{", pos)
            if i < 0:
                self._put(template[pos:])
                break
            self._put(template[pos:i])
            j = template.index("}", i)
            key = template[i + 1:j]
            value = words[key]
            if i == 0 and value[:1].islower():
                value = value[0].upper() + value[1:]
            if key in places:
                name, lat, lon, feature, cc, gid, display = places[key]
                score = round(rng.uniform(0.55, 0.99) if feature != "country" else rng.uniform(0.9, 1.0), 3)
                self.mentions.append((self.length, self.length + len(value), value, name, lat, lon, feature, cc, gid,
                                      score))
                self.display_names.append(display)
            self._put(value)
            pos = j + 1

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def reports(towns: dict[str, list[tuple[Town, float]]], *, seed: int | str = 0) -> Iterator[Report]:
    """An endless, deterministic (per seed) stream of reports; a few texts repeat (the store keeps one)."""
    rng = random.Random(seed)
    ccs = [cc for cc in COUNTRY_SHARE if towns.get(cc)]
    cc_weights = [COUNTRY_SHARE[cc] for cc in ccs]
    lists = {cc: ([t for t, _ in towns[cc]], [w for _, w in towns[cc]]) for cc in ccs}
    # A few busy weeks per country, so the timeline and the animation have something to show.
    surges = {cc: [rng.randrange(DAYS) for _ in range(4)] for cc in ccs}
    i = 0
    while True:
        i += 1
        cc = rng.choices(ccs, cc_weights)[0]
        names, weights = lists[cc]
        town, other = rng.choices(names, weights, k=2)
        if other.name == town.name:
            other = rng.choice(names)
        day = rng.randrange(DAYS) if rng.random() < 0.7 else (rng.choice(surges[cc]) + int(rng.gauss(0, 5))) % DAYS
        published = START + timedelta(days=day)
        actors = ACTORS[cc]
        a, b = rng.sample(actors, 2)
        words = {"t": town.name, "u": other.name, "a": a, "b": b, "k": str(rng.randint(2, 40)),
                 "d": WEEKDAYS[rng.randrange(7)], "c": COUNTRIES[cc]}
        places = {
            "t": (town.name, town.lat, town.lon, "city", cc, town.geonameid, town.display_name),
            "u": (other.name, other.lat, other.lon, "city", cc, other.geonameid, other.display_name),
            "c": (COUNTRIES[cc], *COUNTRY_POINTS[cc], "country", cc, None, ""),
        }
        sentence, headline = rng.choice(INCIDENTS)
        w = _Writer()
        w.add(sentence, rng, places, **words)
        if rng.random() < 0.75:
            w.add(" " + rng.choice(FOLLOW_UPS), rng, places, **words)
        if rng.random() < 0.25:
            w.add(" " + rng.choice(COUNTRY_LINES), rng, places, **words)
        title = headline.format(t=town.name)
        ingested = datetime.combine(published, datetime.min.time(), UTC) + timedelta(
            days=rng.choice((0, 0, 1, 2)), seconds=rng.randrange(86400))
        yield Report(
            title=title,
            text=w.text,
            source=rng.choice(SOURCES),
            published=None if rng.random() < NO_DATE_SHARE else published.isoformat(),
            ingested_at=ingested,
            url=f"https://example.org/synthetic/{seed}/{i}",
            mentions=tuple(w.mentions),
            display_names=tuple(w.display_names),
        )


def _resolved(rep: Report) -> list[ResolvedMention]:
    displays = rep.display_names or ("",) * len(rep.mentions)
    return [ResolvedMention(start=m[0], end=m[1], text=m[2], name=m[3], lat=m[4], lon=m[5], feature=m[6],
                            country=m[7], geonameid=m[8], score=m[9], display_name=d)
            for m, d in zip(rep.mentions, displays)]


def _key(row) -> tuple[str, str, float, float]:
    """A places row's key, as place_key gives a mention's."""
    return (row.name, row.feature, round(row.lat, COORD_DIGITS), round(row.lon, COORD_DIGITS))


def bulk_insert(store, items: Iterator[Report], limit: int, *, chunk: int = 5000) -> int:
    """Insert up to `limit` reports with their mentions in bulk, skipping texts already stored.

    Places are stored with their mentions' display names, and a stored place whose display name the mentions give
    differently takes theirs, as geo.store.writes.place_ids does for a real ingest."""
    added = 0
    with store.writer.begin() as con:  # the writer takes SQLite's write lock up front
        p = places.c
        place_ids, displays = {}, {}
        for r in con.execute(select(p.id, p.name, p.feature, p.lat, p.lon, p.display_name)):
            place_ids[_key(r)], displays[_key(r)] = r.id, r.display_name
        seen = set(con.scalars(select(articles.c.id)))
        batch: list[tuple[str, Report]] = []

        def flush() -> None:
            # Mentions as the store's types only now, for this chunk: kept for the whole batch they would
            # cost the report generator ~5% in garbage collection.
            resolved = [_resolved(rep) for _, rep in batch]
            keys = [[place_key(m) for m in found] for found in resolved]
            new_places, renamed = {}, {}
            for found, found_keys in zip(resolved, keys):
                for m, key in zip(found, found_keys):
                    if key not in place_ids and key not in new_places:
                        new_places[key] = place_values(m) | {"source": "synthetic"}
                    elif key in place_ids and stored_display(m) is not None and stored_display(m) != displays[key]:
                        renamed[key] = {"place": place_ids[key], "display": stored_display(m)}
                        displays[key] = stored_display(m)
            if renamed:
                con.execute(update(places).where(p.id == bindparam("place"))
                            .values(display_name=bindparam("display")), list(renamed.values()))
            if new_places:
                con.execute(insert(places), list(new_places.values()))
                wanted = {k[0] for k in new_places}
                for r in con.execute(select(p.id, p.name, p.feature, p.lat, p.lon, p.display_name)
                                     .where(p.name.in_(wanted))):
                    place_ids[_key(r)], displays[_key(r)] = r.id, r.display_name
            con.execute(insert(articles), [
                article_values(Article(rep.text, title=rep.title, source=rep.source, url=rep.url,
                                       published=rep.published, language="en", id=aid), rep.ingested_at)
                for aid, rep in batch])
            con.execute(insert(mentions), [
                mention_values(aid, m, place_ids[key])
                for (aid, _), found, found_keys in zip(batch, resolved, keys) for m, key in zip(found, found_keys)])
            rows = [event_row(aid, ev) for (aid, rep), found in zip(batch, resolved)
                    for ev in extract_events(rep.text, found)]
            if rows:
                con.execute(insert(event_table), rows)
            batch.clear()

        for tried, rep in enumerate(items):
            if added >= limit or tried >= 3 * limit:
                break
            aid = content_hash(rep.text)
            if aid in seen:
                continue
            seen.add(aid)
            batch.append((aid, rep))
            added += 1
            if len(batch) >= chunk:
                flush()
        if batch:
            flush()
    return added


def fill_synthetic(store, n: int, *, seed: int = 0, gazetteer=None) -> int:
    """Add N synthetic articles (fewer if some texts repeat ones already stored); returns how many."""
    if n <= 0:
        return 0
    if gazetteer is None:
        from geo.config import INDEX_DIR
        from geo.gazetteer import Gazetteer

        gazetteer = Gazetteer(INDEX_DIR)
    # A store that already holds articles gets a fresh stream (the same seed would repeat its texts).
    stored = store.counts().get("articles", 0)
    return bulk_insert(store, reports(towns_from(gazetteer), seed=seed if not stored else f"{seed}+{stored}"), n)


def run_synthetic(db_url: str, n: int, *, seed: int = 0) -> int:
    """`python -m geo demo --synthetic N`: fill the store at db_url; returns the number of articles added."""
    from geo.store import Store

    return fill_synthetic(Store(db_url), n, seed=seed)
