"""The map's frames kept beside the store (geo.store.snapshot): read back as they were, never staler than
the store (an ingest, a delete, a correction or a place changed in place is seen), and a snapshot that is
missing, torn, of other code or of another write is never used."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import update

from geo.store import Store, snapshot, tables
from geo.store import frames as mapdata
from geo.types import Article, ResolvedMention


def _mention(text: str, name: str, lat: float, lon: float) -> ResolvedMention:
    start = text.index(name)
    return ResolvedMention(start, start + len(name), name, name, lat, lon, "city", "SY", None, 0.9)


def _add(store: Store, text: str, title: str, **places) -> None:
    store.add(Article(text, title=title, source="Wire", published="2024-03-01"),
              [_mention(text, name, lat, lon) for name, (lat, lon) in places.items()])


HOMS, PALMYRA, ALEPPO = (34.72, 36.72), (34.56, 38.28), (36.2, 37.16)


@pytest.fixture()
def store(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'data.sqlite'}")
    _add(store, "Shelling hit Homs overnight; troops moved towards Palmyra.", "Homs shelled", Homs=HOMS,
         Palmyra=PALMYRA)
    _add(store, "Protesters gathered in Homs again.", "Homs protest", Homs=HOMS)
    store.add(Article("A text naming no place at all.", title="Nothing"), [])
    return store


@pytest.fixture()
def folder(store) -> Path:
    return snapshot.folder_for(str(store.url), Path("/nonexistent/cache"))


def _missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns with one missing value: Arrow keeps no difference between None and NaN there."""
    objects = [c for c in frame.columns if frame[c].dtype == object]
    return frame.assign(**{c: frame[c].where(frame[c].notna(), None) for c in objects})


def _same(a: mapdata.MapData, b: mapdata.MapData) -> None:
    pd.testing.assert_frame_equal(_missing_as_none(a.mentions), _missing_as_none(b.mentions))
    pd.testing.assert_frame_equal(_missing_as_none(a.articles), _missing_as_none(b.articles))
    pd.testing.assert_series_equal(a.texts, b.texts)
    assert a.version == b.version


def _saved(store: Store, folder: Path) -> snapshot.Current:
    now = snapshot.current(store, folder)
    snapshot.save(now, folder)
    return now


def test_the_snapshot_lives_beside_a_sqlite_file_and_under_the_cache_for_a_server(tmp_path):
    assert snapshot.folder_for(f"sqlite:///{tmp_path / 'a.sqlite'}", tmp_path / "cache") == tmp_path / "a.sqlite-frames"
    assert snapshot.folder_for("sqlite://", tmp_path / "cache") is None  # in memory: nothing to keep
    one = snapshot.folder_for("postgresql://u:secret@db/x", tmp_path / "cache")
    assert one.parent == tmp_path / "cache" and "secret" not in str(one)
    assert one == snapshot.folder_for("postgresql://u:other@db/x", tmp_path / "cache")  # the password is no part
    assert one != snapshot.folder_for("postgresql://u:secret@db/y", tmp_path / "cache")


def test_frames_read_back_from_the_snapshot_are_those_of_the_store(store, folder, monkeypatch):
    first = _saved(store, folder)
    assert not first.saved and (folder / snapshot.MENTIONS).exists() and (folder / snapshot.ARTICLES).exists()

    def no_read(*_):
        raise AssertionError("the store was read whole")

    monkeypatch.setattr(mapdata, "load", no_read)
    again = snapshot.current(store, folder)
    assert again.saved  # the snapshot holds the store as it is
    _same(again.data, first.data)
    assert again.data.last_ingest == first.data.last_ingest
    assert again.data.texts.index.equals(again.data.articles.index)


def test_an_ingest_since_the_snapshot_is_read_as_only_what_was_added(store, folder, monkeypatch):
    _saved(store, folder)
    _add(store, "Clashes near Aleppo.", "Aleppo clashes", Aleppo=ALEPPO)
    monkeypatch.setattr(mapdata, "load", lambda *_: pytest.fail("the store was read whole"))
    now = snapshot.current(store, folder)
    monkeypatch.undo()
    assert not now.saved
    _same(now.data, mapdata.load(store))
    assert "Aleppo" in set(now.data.mentions["name"])
    snapshot.save(now, folder)
    assert snapshot.current(store, folder).saved


def test_a_delete_or_a_correction_since_the_snapshot_is_seen(store, folder):
    _saved(store, folder)
    gone = store.article_index()[0]["id"]
    store.delete(gone, user="analyst")
    now = snapshot.current(store, folder)
    _same(now.data, mapdata.load(store))
    assert gone not in now.data.articles.index

    snapshot.save(now, folder)
    article = next(a for a in store.article_index() if a["id"] != gone)
    mention = store.mentions(article["id"])[0]
    store.correct(article["id"], mention.start, mention.end, user="analyst")  # not a place after all
    now = snapshot.current(store, folder)
    assert not now.saved
    _same(now.data, mapdata.load(store))


def test_a_place_changed_in_place_makes_the_snapshot_void(store, folder):
    """A place row can change without the store's version moving (its display name, by a later ingest or
    a migration): the snapshot, whose mention rows carry the place's columns, is then not used."""
    _saved(store, folder)
    version = mapdata.store_version(store)
    with store.writer.begin() as con:
        con.execute(update(tables.places).where(tables.places.c.name == "Homs").values(country="LB"))
    assert mapdata.store_version(store) == version
    now = snapshot.current(store, folder)
    assert not now.saved
    assert set(now.data.mentions.loc[now.data.mentions["name"] == "Homs", "country"]) == {"LB"}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing", "other write", "other code"])
def test_a_damaged_snapshot_falls_back_to_the_store(store, folder, damage, monkeypatch):
    _saved(store, folder)
    path = folder / snapshot.MENTIONS
    if damage == "garbage":
        path.write_bytes(b"\x80\x04not an arrow file at all")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "missing":
        path.unlink()
    elif damage == "other write":  # the articles of one save beside the mentions of another
        kept = (folder / snapshot.ARTICLES).read_bytes()
        _saved(store, folder)
        (folder / snapshot.ARTICLES).write_bytes(kept)
    else:
        monkeypatch.setattr(snapshot, "code_key", lambda: "made by other code")
    assert snapshot.read(folder, str(store.url)) is None
    now = snapshot.current(store, folder)
    assert not now.saved
    _same(now.data, mapdata.load(store))


def test_the_snapshot_key_is_plain_data(store, folder):
    """Arrow files with a JSON key: reading one runs nothing it holds (no pickle)."""
    _saved(store, folder)
    from pyarrow import feather

    meta = feather.read_table(folder / snapshot.MENTIONS).schema.metadata[snapshot.META]
    key = json.loads(meta)
    assert key["format"] == snapshot.FORMAT and key["code"] == snapshot.code_key()
    assert key["version"] == list(mapdata.store_version(store)[1:])
    assert not list(folder.glob(".*"))  # no temporary file left behind


def test_an_empty_store_and_an_in_memory_one(tmp_path):
    empty = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    folder = snapshot.folder_for(str(empty.url), tmp_path)
    _saved(empty, folder)
    now = snapshot.current(empty, folder)
    assert now.saved and now.data.empty
    memory = Store("sqlite://")
    assert not snapshot.current(memory, None).saved
