"""Stored events as a table with ACLED's column names (`python -m geo export --events --format csv`).

One row per event, events without a place too (has_location = 0, empty coordinates), so that nothing the
extractor found is lost from the file; the evidence sentence is ACLED's "notes". "location" is the place as
people write it (Palmyra), "gazetteer_name" as the gazetteer has it (Tadmur).
"""

from __future__ import annotations

import csv
import io
import re

from geo.events.actors import INTER_CODES, load_countries
from geo.types import Article, Event, ResolvedMention

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
           "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
           "iso2", "country", "admin1", "location", "gazetteer_name", "latitude", "longitude", "geo_precision",
           "source", "notes", "fatalities", "modality", "has_location", "article_id", "url"]

_PREFIX_CODES = (("Military Forces of", 1), ("Police Forces of", 1), ("Protesters", 6), ("Rioters", 5),
                 ("Civilians", 7), ("Unidentified Armed Group", 3), ("Unidentified Gang", 3),
                 ("Unidentified Communal Militia", 4), ("Rebels", 2))


def _actor_codes() -> dict[str, int]:
    from geo.events.extract import load_event_lexicon

    return {a.name: INTER_CODES.get(a.type, 3) for a in load_event_lexicon().actors.values() if "{" not in a.name}


def inter_of(name: str | None, codes: dict[str, int]) -> int | str:
    """ACLED's actor-type code of an actor name ("" without an actor)."""
    if not name:
        return ""
    if name in codes:
        return codes[name]
    return next((code for prefix, code in _PREFIX_CODES if name.startswith(prefix)), 3)


def event_rows(items: list[tuple[Article, list[ResolvedMention], list[Event]]]) -> list[dict]:
    """The rows of (article, mentions, events) triples."""
    countries, codes = load_countries(), _actor_codes()
    rows = []
    for article, mentions, events in items:
        by_start = {m.start: m for m in mentions}
        for n, ev in enumerate(events, 1):
            place = by_start.get(ev.place_mention_start) if ev.place_mention_start is not None else None
            date = ev.date or article.published or ""
            cc = ev.country or (place.country if place else None) or ""
            rows.append({
                "event_id_cnty": f"{cc or 'XX'}-{article.id[:12]}-{n}", "event_date": date,
                "year": date[:4], "time_precision": ev.date_precision or "", "event_type": ev.type,
                "sub_event_type": ev.subtype, "actor1": ev.actor1 or "", "assoc_actor_1": ev.assoc_actor1 or "",
                "inter1": inter_of(ev.actor1, codes), "actor2": ev.actor2 or "",
                "assoc_actor_2": ev.assoc_actor2 or "", "inter2": inter_of(ev.actor2, codes),
                "interaction": ev.interaction or "",
                "civilian_targeting": "Civilian targeting" if (ev.actor2 or "").startswith("Civilians") else "",
                "iso2": cc, "country": countries.name(cc) or cc, "admin1": ev.admin1 or "",
                "location": place.display_name if place else "", "gazetteer_name": place.name if place else "",
                "latitude": round(place.lat, 5) if place else "",
                "longitude": round(place.lon, 5) if place else "", "geo_precision": ev.geo_precision or ev.precision or "",
                "source": article.source or "", "notes": re.sub(r"\s+", " ", article.text[ev.evidence_start:ev.evidence_end]).strip(),
                "fatalities": "" if ev.fatalities is None else ev.fatalities, "modality": ev.modality,
                "has_location": int(place is not None), "article_id": article.id, "url": article.url or ""})
    return rows


def store_items(store) -> list[tuple[Article, list[ResolvedMention], list[Event]]]:
    """Every stored article with its current mentions and events."""
    return [(article, mentions, store.events(article.id))
            for chunk in store.iter_analysed() for article, mentions in chunk]


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        # a cell that a spreadsheet would run as a formula is written as text
        writer.writerow({k: ("'" + v if isinstance(v, str) and v and v[0] in "=+-@" else v) for k, v in r.items()})
    return out.getvalue().encode("utf-8")


def event_details(store, article_ids: list[str]) -> dict[tuple[str, int, str], tuple[str | None, int | None]]:
    """(article, evidence start, event type) -> (event date, fatalities) of stored events: what the Events page
    shows beside the map's columns, read in one query for the rows on screen."""
    from sqlalchemy import MetaData, Table, select

    if not article_ids:
        return {}
    events = Table("events", MetaData(), autoload_with=store.engine)
    if "event_date" not in events.c:
        return {}
    query = select(events.c.article_id, events.c.evidence_start, events.c.type, events.c.event_date,
                   events.c.fatalities).where(events.c.article_id.in_(list(article_ids)))
    with store.engine.connect() as con:
        return {(a, int(s), t): (d, f) for a, s, t, d, f in con.execute(query)}
