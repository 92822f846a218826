"""The frames' event columns (geo.store.frames: event_type, modality, actors, fatalities, the event's own
date, its evidence sentence, `when`) and the event layer's rows (geo.view.event_points) read the same from
SQLite and from PostgreSQL+PostGIS, for the demo articles geoparsed and their events found as the demo
loads them (geo.demo.load_demo). PostGIS needs TEST_POSTGIS_URL (tests/test_store_backends.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.demo import load_demo
from geo.store import Store
from geo.store import frames as mapdata
from geo.view.event_points import event_points
from tests.test_store_backends import _fresh_postgis_db, postgis_base_url

EVENT_COLUMNS = ["article_id", "start", "name", "lat", "lon", "event_type", "event_subtype", "modality", "actor1",
                 "actor2", "fatalities", "event_day", "evidence", "when", "day"]
KEY = ["article_id", "start", "event_type", "event_subtype", "modality", "actor1", "actor2", "evidence"]


@pytest.fixture(scope="module")
def demo_parses(geoparser) -> dict[str, list]:
    """Each demo article's mentions, parsed once for both stores (the parse is the slow part)."""
    cache: dict[str, list] = {}

    def parse(text: str) -> list:
        if text not in cache:
            cache[text] = geoparser.parse(text)
        return cache[text]

    load_demo(Store("sqlite://"), parse)  # fills the cache
    return cache


def _event_rows(frame: pd.DataFrame) -> pd.DataFrame:
    rows = frame[frame["event_type"].notna().to_numpy()]
    out = pd.DataFrame({c: rows[c].astype(object).where(rows[c].notna(), None).to_numpy() for c in EVENT_COLUMNS})
    out["lat"], out["lon"] = out["lat"].astype(float).round(5), out["lon"].astype(float).round(5)
    return out.sort_values(KEY, kind="stable", na_position="first", key=lambda s: s.astype(str),
                           ignore_index=True)


def _points(frame: pd.DataFrame) -> pd.DataFrame:
    p = event_points(frame).drop(columns=["event_id", "place_id"])
    p["lat"], p["lon"] = p["lat"].round(5), p["lon"].round(5)
    keys = ["article_id", "name", "when", "event_type", "event_subtype", "modality", "actor1", "actor2", "evidence"]
    return p.sort_values(keys, kind="stable", key=lambda s: s.astype(str), ignore_index=True)


def test_event_columns_agree_between_sqlite_and_postgis(demo_parses, tmp_path):
    base = postgis_base_url()
    parse = demo_parses.__getitem__
    sqlite = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    assert load_demo(sqlite, parse) > 0
    lite = mapdata.load(sqlite).mentions
    for url in _fresh_postgis_db(base):
        postgis = Store(url)
        assert postgis.postgis
        assert load_demo(postgis, parse) > 0
        pg = mapdata.load(postgis).mentions

    # The demo has events of several kinds: some with their own date, fatalities, actors, not only facts.
    a, b = _event_rows(lite), _event_rows(pg)
    assert len(a) >= 5 and a["event_type"].nunique() >= 2
    assert a["event_day"].notna().any() and a["fatalities"].notna().any() and a["actor1"].notna().any()
    assert a["evidence"].notna().all()
    pd.testing.assert_frame_equal(a, b)
    # The same dtypes where the map reads them (Int64 fatalities, datetimes for the dates).
    for col in ("fatalities", "event_day", "when", "event_id"):
        assert lite[col].dtype == pg[col].dtype, col
    for col in ("event_type", "event_subtype", "modality", "actor1", "actor2"):
        assert set(lite[col].dropna().astype(str)) == set(pg[col].dropna().astype(str)), col

    pa, pb = _points(lite), _points(pg)
    assert len(pa) == len(a)
    pd.testing.assert_frame_equal(pa, pb)
