"""Demo data: a handful of original reports, geoparsed and stored so a fresh install has a map to show."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geo.config import DATA_DIR
from geo.events.extract import extract_events
from geo.io.ingest import articles_from_jsonl_record, iter_jsonl
from geo.store import Store
from geo.types import ResolvedMention

DEMO_PATH = DATA_DIR / "demo" / "articles.jsonl"


def load_demo(
    store: Store,
    parse: Callable[[str], list[ResolvedMention]],
    path: Path | None = None,
) -> int:
    """Geoparse the demo articles, find their events, and store them; returns how many were new (loading twice adds nothing)."""
    added = 0
    for record in iter_jsonl(path or DEMO_PATH):
        article = articles_from_jsonl_record(record)
        if store.has(article.id):
            continue  # skip the parse: it is the slow part
        mentions = parse(article.text)
        added += store.add(article, mentions, extract_events(article.text, mentions, article.published))
    return added
