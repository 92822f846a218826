"""Writing articles, mentions and events in bulk, and putting the analysts' corrections back over them.

Everything here runs on a connection of the store's writer (which takes SQLite's write lock up front), a
handful of statements per batch, rows in a fixed order (places by key, articles by id) so that writers
inserting overlapping rows wait for each other rather than deadlock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, tuple_, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from geo.store.engine import utc
from geo.store.rows import article_values, event_row, mention_values, place_key, place_values, stored_display
from geo.store.tables import (
    ArticleRow,
    AuditRow,
    articles,
    corrections,
    event_corrections,
    events,
    mentions,
    places,
)
from geo.types import Article, Event, ResolvedMention

# An article with what was read from it: (article, mentions) or (article, mentions, events).
Analysed = tuple[Article, Sequence[ResolvedMention]] | tuple[Article, Sequence[ResolvedMention], Sequence[Event]]
Triple = tuple[Article, Sequence[ResolvedMention], Sequence[Event]]


def triple(item: Analysed) -> Triple:
    return (item[0], item[1], item[2] if len(item) > 2 else ())


def check_mentions(article: Article, mentions: Sequence[ResolvedMention]) -> None:
    for m in mentions:
        if not 0 <= m.start <= m.end <= len(article.text):
            raise ValueError(f"mention {m.text!r} at {m.start}:{m.end} is outside the article text")


def check_events(article: Article, events: Sequence[Event]) -> None:
    n = len(article.text)
    for ev in events:
        if not (0 <= ev.evidence_start <= ev.evidence_end <= n and 0 <= ev.trigger_start <= n):
            raise ValueError(f"event {ev.subtype!r} at {ev.evidence_start}:{ev.evidence_end} is outside the article text")


def insert_new(writer: Engine, items: Sequence[Triple], clock: Callable[[], datetime]) -> list[bool]:
    """Insert the articles not stored yet, with a handful of statements for the whole batch.

    One flag per item: True where this call stored it (False for one stored before or earlier in items).
    The ingest time is taken inside the transaction, so that ingest times follow the order of commits.
    """
    with writer.begin() as conn:
        ids = list(dict.fromkeys(a.id for a, *_ in items))
        stored: set[str] = set()
        for i in range(0, len(ids), 500):
            stored.update(conn.scalars(select(articles.c.id).where(articles.c.id.in_(ids[i : i + 500]))))
        new: dict[str, Triple] = {}
        for article, found, evs in items:
            if article.id not in stored:
                new.setdefault(article.id, (article, found, evs))
        if new:
            ordered = [new[k] for k in sorted(new)]
            wanted = {place_key(m): m for _, found, _ in ordered for m in found}
            ids_of = place_ids(conn, sorted(wanted.items()))
            now = utc(clock())
            conn.execute(insert(articles), [article_values(a, now) for a, _, _ in ordered])
            rows = [mention_values(a.id, m, ids_of[place_key(m)]) for a, found, _ in ordered for m in found]
            if rows:
                conn.execute(insert(mentions), rows)
            insert_events(conn, [(a.id, evs) for a, _, evs in ordered])
    flags, seen = [], set()
    for article, _, _ in items:
        flags.append(article.id in new and article.id not in seen)
        seen.add(article.id)
    return flags


def place_ids(conn: Connection, wanted: list[tuple[tuple, ResolvedMention]]) -> dict[tuple, int]:
    """Row ids of the places with these keys (name, feature, lat, lon), inserting the missing ones.

    A stored place whose display name the mention gives differently (stored before the gazetteer had one,
    or from an older index) takes the mention's: display names follow the newest gazetteer.
    """
    key_cols = tuple_(places.c.name, places.c.feature, places.c.lat, places.c.lon)
    displays: dict[tuple, str | None] = {}

    def lookup(keys: list[tuple]) -> dict[tuple, int]:
        out = {}
        for i in range(0, len(keys), 200):
            query = select(places.c.id, places.c.name, places.c.feature, places.c.lat, places.c.lon,
                           places.c.display_name)
            for r in conn.execute(query.where(key_cols.in_(keys[i : i + 200]))):
                out[(r.name, r.feature, r.lat, r.lon)] = r.id
                displays[(r.name, r.feature, r.lat, r.lon)] = r.display_name
        return out

    found = lookup([key for key, _ in wanted])
    missing = [m for key, m in wanted if key not in found]
    renamed = [{"place": found[key], "display": stored_display(m)} for key, m in wanted
               if key in found and stored_display(m) is not None and stored_display(m) != displays[key]]
    if renamed:
        conn.execute(update(places).where(places.c.id == bindparam("place")).values(display_name=bindparam("display")),
                     renamed)
    if missing:
        conn.execute(insert(places), [place_values(m) for m in missing])
        found.update(lookup([place_key(m) for m in missing]))
    return found


def insert_events(conn: Connection, items: Sequence[tuple[str, Sequence[Event]]]) -> None:
    rows = [event_row(article_id, ev) for article_id, evs in items for ev in evs]
    if rows:
        conn.execute(insert(events), rows)


def replace_mentions(writer: Engine, article_id: str, found: Sequence[ResolvedMention],
                     evs: Sequence[Event] | None) -> None:
    """An article's mentions (and, unless evs is None, its events) replaced by these."""
    with writer.begin() as conn:
        if evs is not None:
            conn.execute(delete(events).where(events.c.article_id == article_id))
            insert_events(conn, [(article_id, evs)])
            apply_event_corrections(conn, [article_id])
        conn.execute(delete(mentions).where(mentions.c.article_id == article_id))
        ids_of = place_ids(conn, sorted({place_key(m): m for m in found}.items()))
        if found:
            conn.execute(insert(mentions), [mention_values(article_id, m, ids_of[place_key(m)]) for m in found])


def replace_events(writer: Engine, items: Sequence[tuple[Article, Sequence[Event]]]) -> None:
    """The events of several articles replaced by these, in one transaction, analysts' versions kept."""
    with writer.begin() as conn:
        ids = [a.id for a, _ in items]
        for i in range(0, len(ids), 500):
            conn.execute(delete(events).where(events.c.article_id.in_(ids[i:i + 500])))
        insert_events(conn, [(a.id, evs) for a, evs in items])
        apply_event_corrections(conn, ids)


def delete_article(writer: Engine, article_id: str, user: str | None, clock: Callable[[], datetime]) -> bool:
    """Remove an article, its mentions, and places no other article mentions; False if there was none."""
    with Session(writer) as session, session.begin():
        row = session.get(ArticleRow, article_id)
        if row is None:
            return False
        if user:
            session.add(AuditRow(at=utc(clock()), user=user, action="delete", target=article_id, detail=row.title))
        ids = {m.place_id for m in row.mentions}
        session.delete(row)
        session.flush()
        if ids:
            still_used = select(mentions.c.place_id).where(mentions.c.place_id.in_(ids))
            session.execute(delete(places).where(places.c.id.in_(ids), places.c.id.not_in(still_used)))
    return True


# ---------------------------------------------------------------------------- corrections, put back


def apply_corrections(writer: Engine, article_id: str) -> None:
    """Put the analysts' fixes of an article's mentions over what the geoparser found (by span)."""
    with writer.begin() as conn:
        fixes = conn.execute(select(corrections).where(corrections.c.article_id == article_id)).mappings().all()
        m = mentions
        text_row = conn.execute(select(articles.c.text).where(articles.c.id == article_id)).scalar() if fixes else None
        for fix in fixes:
            span = (m.c.article_id == article_id) & (m.c.start == fix["start"]) & (m.c.end == fix["end"])
            if fix["action"] == "drop":
                conn.execute(delete(m).where(span))
                continue
            place = ResolvedMention(start=fix["start"], end=fix["end"], text=text_row[fix["start"]:fix["end"]],
                                    name=fix["name"], lat=fix["lat"], lon=fix["lon"], feature=fix["feature"],
                                    country=fix["country"], geonameid=fix["geonameid"], score=1.0,
                                    source="analyst", display_name=fix["display_name"] or "")
            pid = place_ids(conn, [(place_key(place), place)])[place_key(place)]
            if conn.execute(select(m.c.id).where(span)).first() is None:
                conn.execute(insert(m), [mention_values(article_id, place, pid)])
            else:
                conn.execute(update(m).where(span).values(place_id=pid, score=1.0))


def apply_event_corrections(conn: Connection, article_ids: Sequence[str]) -> None:
    """Put the analysts' versions of events in place of what the extractor found (by trigger offset)."""
    for i in range(0, len(article_ids), 500):
        chunk = list(article_ids[i:i + 500])
        for fix in conn.execute(select(event_corrections).where(
                event_corrections.c.article_id.in_(chunk))).mappings().all():
            conn.execute(delete(events).where(events.c.article_id == fix["article_id"],
                                              events.c.trigger_start == fix["trigger_start"]))
            if fix["action"] == "event" and fix["fields"]:
                values = {k: v for k, v in json.loads(fix["fields"]).items() if k in events.c and k != "id"}
                conn.execute(insert(events), [values | {"article_id": fix["article_id"],
                                                        "trigger_start": fix["trigger_start"]}])
