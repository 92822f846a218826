"""Between the core types (geo.types) and the store's rows: one place for each direction."""

from __future__ import annotations

from geo.store.tables import ArticleRow, EventRow, MentionRow
from geo.types import Article, Event, ResolvedMention

COORD_DIGITS = 6  # ~0.1 m: the same place from two runs must compare equal

# An event's fields beyond the mention frame's: ACLED's (migration 0006), stored and read back as they are.
EVENT_EXTRA = ("date_precision", "fatalities", "assoc_actor1", "assoc_actor2", "interaction", "country", "admin1",
               "geo_precision")

# What happened at each mention (the event extractor gives a place at most one event per sentence):
# empty where the sentence names the place without an event.
EVENT_COLUMNS = ["event_type", "event_subtype", "actor1", "actor2", "modality", "precision", "evidence_start",
                 "evidence_end"]


def place_key(m: ResolvedMention) -> tuple[str, str, float, float]:
    """What makes a place one row: name, feature and the point to COORD_DIGITS."""
    return (m.name, m.feature, round(m.lat, COORD_DIGITS), round(m.lon, COORD_DIGITS))


def article_values(a: Article, ingested_at) -> dict:
    """An article as a row of the articles table."""
    return {"id": a.id, "title": a.title, "source": a.source, "url": a.url, "published": a.published,
            "language": a.language, "text": a.text, "ingested_at": ingested_at}


def place_values(m: ResolvedMention) -> dict:
    """The place a mention resolves to as a row of the places table (its point rounded as place_key)."""
    name, feature, lat, lon = place_key(m)
    return {"name": name, "feature": feature, "lat": lat, "lon": lon, "country": m.country, "geonameid": m.geonameid,
            "source": m.source, "display_name": stored_display(m)}


def stored_display(m: ResolvedMention) -> str | None:
    """The display name as the places table keeps it: NULL when it is the name."""
    return m.display_name if m.display_name and m.display_name != m.name else None


def mention_values(article_id: str, m: ResolvedMention, place_id: int) -> dict:
    """A mention as a row of the mentions table."""
    return {"article_id": article_id, "place_id": place_id, "start": m.start, "end": m.end, "text": m.text,
            "score": float(m.score)}


def event_row(article_id: str, ev: Event) -> dict:
    """An event as a row of the events table (also for bulk writers such as geo.dev.synthetic)."""
    return {"article_id": article_id, "type": ev.type, "subtype": ev.subtype, "actor1": ev.actor1,
            "actor2": ev.actor2, "place_start": ev.place_mention_start, "precision": ev.precision,
            "modality": ev.modality, "trigger": ev.trigger[:200], "trigger_start": ev.trigger_start,
            "evidence_start": ev.evidence_start, "evidence_end": ev.evidence_end,
            **{k: getattr(ev, k) for k in EVENT_EXTRA}, "event_date": ev.date}


def to_article(row: ArticleRow) -> Article:
    return Article(
        text=row.text,
        title=row.title,
        source=row.source,
        url=row.url,
        published=row.published,
        language=row.language,
        id=row.id,
    )


def to_mention(row: MentionRow) -> ResolvedMention:
    p = row.place
    return ResolvedMention(
        start=row.start,
        end=row.end,
        text=row.text,
        name=p.name,
        lat=p.lat,
        lon=p.lon,
        feature=p.feature,
        country=p.country,
        geonameid=p.geonameid,
        score=row.score,
        source=p.source or "geonames",
        display_name=p.display_name or p.name,
    )


def to_event(row) -> Event:
    """An Event from an events row joined with its place's name (`place_name`)."""
    return Event(type=row["type"], subtype=row["subtype"], actor1=row["actor1"], actor2=row["actor2"],
                 place_mention_start=row["place_start"], place=row["place_name"], precision=row["precision"],
                 evidence_start=row["evidence_start"], evidence_end=row["evidence_end"], modality=row["modality"],
                 trigger=row["trigger"], trigger_start=row["trigger_start"], date=row.get("event_date"),
                 **{k: row.get(k) for k in EVENT_EXTRA})


def event_fields(ev: EventRow | None) -> dict:
    """An event's EVENT_COLUMNS in the mention frame (all None for a mention without one)."""
    if ev is None:
        return dict.fromkeys(EVENT_COLUMNS)
    return {"event_type": ev.type, "event_subtype": ev.subtype, "actor1": ev.actor1, "actor2": ev.actor2,
            "modality": ev.modality, "precision": ev.precision, "evidence_start": ev.evidence_start,
            "evidence_end": ev.evidence_end}
