"""The map's frames (geo.store.frames.MapData) kept on disk beside the store, so that a server start has
them in a tenth of a second instead of reading the whole store again (seconds at 100,000 articles).

Two Arrow IPC files (nothing in them runs as code when read, unlike a pickle): the mention frame, and the
articles with their search text. Each is written under a temporary name and renamed into place, and both
carry the same key:

- the store's version when the frames were read (geo.store.frames.store_version: articles, the newest
  mention, place, event and audit entry), so a snapshot is never taken for a store that moved on since;
- a digest of the code that makes the frames and of the store's schema, so a change to either makes it
  void rather than read with other columns or other meanings;
- a digest of the places table as it was, since a place can change in place (its display name) without
  the version moving.

`current(store, folder)` gives the store's frames: the snapshot when it is the store's present state;
brought up to date by geo.store.frames.refresh when the store moved on (after an ingest only the new
articles are read); the whole store read when there is no usable snapshot (missing, unreadable, of other
code, or its places changed). The caller writes the result back with `save` when it is newer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import feather
from sqlalchemy import select
from sqlalchemy.engine import make_url

from geo.store import frames, tables
from geo.store.engine import SCHEMA_HEAD

FORMAT = 1
META = b"conflictmap.snapshot"
MENTIONS, ARTICLES = "mentions.arrow", "articles.arrow"
SEARCH_TEXT = "__search_text"  # the articles' search text travels as a column of their file
# The modules whose code decides what the frames hold: a snapshot made by other code is not read.
_CODE = tuple(Path(m.__file__) for m in (frames, tables)) + (Path(tables.__file__).with_name("reads.py"),)

log = logging.getLogger(__name__)


def folder_for(url: str, cache_dir: Path) -> Path | None:
    """Where the snapshot of the store at `url` lives: beside a SQLite file (`<file>-frames`), under
    `cache_dir` for a database server (named by a digest of the URL without its password), none for an
    in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        path = Path(database).expanduser()
        return path.with_name(path.name + "-frames")
    digest = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return cache_dir / f"frames-{digest}"


def code_key() -> str:
    """A digest of the frames' code and the schema head: what makes a snapshot readable by this code."""
    h = hashlib.sha256(f"{FORMAT} {SCHEMA_HEAD}".encode())
    for path in _CODE:
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def place_rows(store) -> list[tuple]:
    """The places table, by id: read before the frames, it is what their mention rows hold."""
    p = tables.places
    with store.engine.connect() as con:
        return [tuple(r) for r in con.execute(select(p).order_by(p.c.id))]


def places_key(rows: list[tuple], up_to: int | None = None) -> tuple[int, str]:
    """(highest id, digest) of the place rows with ids up to `up_to` (all when None)."""
    if up_to is None:
        up_to = int(rows[-1][0]) if rows else 0
    kept = [r for r in rows if r[0] <= up_to]
    return up_to, hashlib.sha256(repr(kept).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Current:
    """The store's frames now (`current`) and what `save` needs to keep them."""

    data: frames.MapData
    places: tuple[int, str]  # places_key() of the place rows read before the frames
    saved: bool  # the snapshot already holds exactly these frames


# ---------------------------------------------------------------------------------------- on disk


def save(now: Current, folder: Path) -> None:
    """Write `now.data` as the snapshot in `folder` (made when missing), replacing the one there."""
    data = now.data
    if not data.version:
        return
    meta = {"format": FORMAT, "code": code_key(), "token": uuid.uuid4().hex, "version": list(data.version[1:]),
            "last_ingest": _iso(data.last_ingest), "places": list(now.places)}
    articles = data.articles.assign(**{SEARCH_TEXT: data.texts.to_numpy()})
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in ((MENTIONS, data.mentions), (ARTICLES, articles)):
        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), META: json.dumps(meta)})
        tmp = folder / f".{name}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        try:
            feather.write_feather(table, tmp, compression="uncompressed")  # read back in a tenth of a second
            os.replace(tmp, folder / name)
        finally:
            tmp.unlink(missing_ok=True)


def read(folder: Path, url: str) -> tuple[frames.MapData, dict] | None:
    """The snapshot in `folder` as frames of the store at `url`, with its key; None when there is none or
    it cannot be used (unreadable, made by other code, its two files of two different writes)."""
    try:
        mentions, m_meta = _read_table(folder / MENTIONS)
        articles, a_meta = _read_table(folder / ARTICLES)
        if m_meta != a_meta or m_meta.get("format") != FORMAT or m_meta.get("code") != code_key():
            return None
        if list(mentions.columns) != frames.MENTION_COLUMNS or SEARCH_TEXT not in articles:
            return None
        texts = articles.pop(SEARCH_TEXT)
        if list(articles.columns) != frames.ARTICLE_COLUMNS:
            return None
        articles.index = pd.Index(articles["article_id"]).rename(None)
        texts.index = articles.index
        version = (str(url), *m_meta["version"])
        last_ingest = datetime.fromisoformat(m_meta["last_ingest"]) if m_meta["last_ingest"] else None
        return frames.MapData(mentions, articles, texts.rename(None), version, last_ingest), m_meta
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError, pa.ArrowException) as e:  # torn or foreign
        log.warning("map snapshot in %s not used: %s", folder, e)
        return None


def _read_table(path: Path) -> tuple[pd.DataFrame, dict]:
    # Memory-mapped: the frames' columns are the file's pages (at 100,000 articles 0.02-0.08 s CPU, copied
    # 0.12-0.38 s; on a loaded machine 0.05-0.45 s wall against 0.14-2.1 s). Safe because `save` never
    # writes into a file in place but renames a new one over it; like the SQLite file beside it, the folder
    # must not be overwritten in place (cp) while a server runs on it.
    table = feather.read_table(path, memory_map=True)
    meta = json.loads((table.schema.metadata or {}).get(META, b"{}"))
    return table.to_pandas(), meta


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


# ---------------------------------------------------------------------------------------- in use


def current(store, folder: Path | None) -> Current:
    """The store's frames now: the snapshot in `folder` as it is, brought up to date, or the store read
    whole (when there is none or it cannot be used)."""
    rows = place_rows(store)
    found = read(folder, str(store.url)) if folder is not None else None
    if found is not None:
        data, meta = found
        up_to, digest = meta["places"]
        if places_key(rows, int(up_to))[1] == digest:  # else a place changed in place: many rows name it
            return _refreshed(store, data, rows)
    return Current(frames.load(store), places_key(rows), False)


def refreshed(store, previous: frames.MapData) -> Current:
    """`previous` brought up to the store's present state (geo.store.frames.refresh)."""
    return _refreshed(store, previous, place_rows(store))


def _refreshed(store, previous: frames.MapData, rows: list[tuple]) -> Current:
    data = frames.refresh(store, previous)
    return Current(data, places_key(rows), data is previous)


def keep(store, cache_dir: Path) -> Current | None:
    """Bring the store's snapshot up to its present state (after an ingest or a delete from the command
    line), so that the next server start finds the map's frames ready instead of reading the store whole
    for its first visitor. None for a store without a snapshot folder (in memory)."""
    folder = folder_for(str(store.url), cache_dir)
    if folder is None:
        return None
    now = current(store, folder)
    if not now.saved:
        save(now, folder)
    return now
