"""Analysts' corrections of mentions and events, and the audit trail of who changed what.

A correction is kept by where it sits in the text (a mention's span, an event's trigger offset), not by
row id, so that it is put back (geo.store.writes.apply_*) whenever the article is processed again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from geo.store.engine import utc
from geo.store.rows import event_row, stored_display
from geo.store.spatial import check_point
from geo.store.tables import ArticleRow, AuditRow, CorrectionRow, EventCorrectionRow, MentionRow
from geo.store.writes import apply_corrections, apply_event_corrections, check_events
from geo.types import Article, Event, ResolvedMention

Clock = Callable[[], datetime]


def correct_mention(writer: Engine, article_id: str, start: int, end: int, *, user: str,
                    place: ResolvedMention | None, clock: Clock) -> None:
    """Record an analyst's fix of the mention at start:end (None: not a place), audit it, apply it."""
    if place is not None:
        check_point(float(place.lat), float(place.lon))
    with Session(writer) as session, session.begin():
        article = session.get(ArticleRow, article_id)
        if article is None:
            raise KeyError(f"no article {article_id}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(article.text)):
            raise ValueError(f"span {start}:{end} is not inside the article's text")
        missed = session.scalars(select(MentionRow.id).where(
            MentionRow.article_id == article_id, MentionRow.start == start, MentionRow.end == end)).first() is None
        row = session.scalars(select(CorrectionRow).where(
            CorrectionRow.article_id == article_id, CorrectionRow.start == start, CorrectionRow.end == end,
        )).first() or CorrectionRow(article_id=article_id, start=start, end=end)
        row.action = "drop" if place is None else "place"
        for f in ("name", "lat", "lon", "feature", "country", "geonameid"):
            setattr(row, f, getattr(place, f) if place is not None else None)
        row.display_name = stored_display(place) if place is not None else None
        row.user, row.at = user, utc(clock())
        session.add(row)
        verb = "added a missed place:" if missed and row.id is None else "moved to"
        detail = "dropped: not a place" if place is None else \
            f"{verb} {place.display_name} ({place.lat:.4f}, {place.lon:.4f})"
        session.add(AuditRow(at=row.at, user=user, action="edit", target=f"{article_id}:{start}-{end}",
                             detail=detail))
    apply_corrections(writer, article_id)


def correct_event(writer: Engine, article: Article, trigger_start: int, *, user: str, event: Event | None,
                  clock: Clock) -> None:
    """Record an analyst's version of the event triggered at trigger_start (None: not an event), audit it,
    apply it."""
    if event is not None:
        if event.trigger_start != trigger_start:
            raise ValueError("an event correction keeps the event's trigger")
        check_events(article, [event])
        if not (event.type or "").strip() or not (event.subtype or "").strip():
            raise ValueError("an event needs a type and a sub-type")
    fields = None if event is None else json.dumps(_event_values(event_row(article.id, event)))
    now = utc(clock())
    with Session(writer) as session, session.begin():
        row = session.scalars(select(EventCorrectionRow).where(
            EventCorrectionRow.article_id == article.id, EventCorrectionRow.trigger_start == trigger_start,
        )).first() or EventCorrectionRow(article_id=article.id, trigger_start=trigger_start)
        row.action, row.fields, row.user, row.at = ("drop" if event is None else "event"), fields, user, now
        session.add(row)
        detail = "dropped: not an event" if event is None else _event_summary(event)
        session.add(AuditRow(at=now, user=user, action="edit event", target=f"{article.id}@{trigger_start}",
                             detail=detail))
    with writer.begin() as conn:
        apply_event_corrections(conn, [article.id])


def mention_corrections(engine: Engine, article_id: str) -> list[dict]:
    with Session(engine) as session:
        rows = session.scalars(select(CorrectionRow).where(CorrectionRow.article_id == article_id)
                               .order_by(CorrectionRow.start))
        return [{"start": r.start, "end": r.end, "action": r.action, "name": r.name, "user": r.user}
                for r in rows]


def event_corrections(engine: Engine, article_id: str) -> list[dict]:
    with Session(engine) as session:
        rows = session.scalars(select(EventCorrectionRow).where(EventCorrectionRow.article_id == article_id)
                               .order_by(EventCorrectionRow.trigger_start))
        return [{"trigger_start": r.trigger_start, "action": r.action, "user": r.user, "at": utc(r.at),
                 **(json.loads(r.fields) if r.fields else {})} for r in rows]


def audit(writer: Engine, at: datetime, user: str, action: str, target: str | None, detail: str | None) -> None:
    with Session(writer) as session, session.begin():
        session.add(AuditRow(at=at, user=user, action=action, target=target, detail=detail))


def audit_log(engine: Engine, limit: int) -> pd.DataFrame:
    """Who ingested, edited or deleted what, newest first."""
    with Session(engine) as session:
        rows = session.scalars(select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit))
        return pd.DataFrame([{"at": r.at, "user": r.user, "action": r.action, "target": r.target,
                              "detail": r.detail} for r in rows],
                            columns=["at", "user", "action", "target", "detail"])


def _event_values(row: dict) -> dict:
    """An events-table row without its article: what an event correction keeps."""
    return {k: v for k, v in row.items() if k != "article_id"}


def _event_summary(ev: Event) -> str:
    who = " vs ".join(a for a in (ev.actor1, ev.actor2) if a)
    date, fatalities = getattr(ev, "date", None), getattr(ev, "fatalities", None)
    extra = [x for x in (who, ev.modality, date, None if fatalities is None else f"{fatalities} killed") if x]
    return f"{ev.type} / {ev.subtype}" + (f" ({'; '.join(extra)})" if extra else "")
