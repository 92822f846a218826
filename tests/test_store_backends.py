"""Store on both backends: SQLite and PostgreSQL+PostGIS, chosen by the URL.

The `store_url` fixture gives a fresh, empty database of each backend; tests/test_store.py runs its whole
suite on it too. PostGIS needs TEST_POSTGIS_URL (`export TEST_POSTGIS_URL="$(bash scripts/start_postgis.sh)"`):
without it the PostGIS cases are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from geo.config import MIGRATIONS_DIR
from geo.dev.dbcopy import database_copy
from geo.geodesy import distance_km
from geo.store import PLACE_COLUMNS, SCHEMA_HEAD, Store, engine_for, schema_revision
from geo.store.tables import Base
from geo.types import Article, ResolvedMention

BACKENDS = ["sqlite", "postgis"]
STORE_TABLES = ("mentions", "places", "articles", "alembic_version")


def postgis_base_url() -> str:
    url = os.environ.get("TEST_POSTGIS_URL")
    if url:
        return url
    reason = "TEST_POSTGIS_URL is not set (start a server with: export TEST_POSTGIS_URL=\"$(bash scripts/start_postgis.sh)\")"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must test PostGIS: {reason}")
    pytest.skip(reason)


def _fresh_postgis_db(base: str) -> Iterator[str]:
    """A new database copied from the one at `base` (which has the postgis extension), dropped afterwards.

    Where databases cannot be created (no CREATEDB right, template busy), the base database itself is
    used, emptied of the store's tables before and after.
    """
    with ExitStack() as stack:
        try:
            url = stack.enter_context(database_copy(base, "cm_test"))
        except Exception:  # noqa: BLE001 - any refusal: fall back to the base database
            url = None
        if url is not None:
            yield url
            return
    _drop_store_tables(base)
    yield base
    _drop_store_tables(base)


def _drop_store_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS " + ", ".join(STORE_TABLES) + " CASCADE")
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file, or a PostGIS database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nested' / 'db.sqlite'}"
    else:
        yield from _fresh_postgis_db(postgis_base_url())


@pytest.fixture
def store(store_url) -> Store:
    return Store(store_url)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite'}"


# ----------------------------------------------------------------------------- helpers

TOWNS = {  # name: (lat, lon, country)
    "Homs": (34.72682, 36.72339, "SY"),
    "Tadmur": (34.56, 38.26667, "SY"),
    "Damascus": (33.5102, 36.29128, "SY"),
    "Aleppo": (36.20278, 37.15861, "SY"),
    "Kharkiv": (49.98081, 36.25272, "UA"),
    "Kyiv": (50.45466, 30.5238, "UA"),
    "Suva": (-18.14161, 178.44149, "FJ"),
    "Taveuni": (-16.85, -179.95, "FJ"),  # east of the antimeridian
}


def mention(text: str, name: str, score: float = 0.8) -> ResolvedMention:
    lat, lon, country = TOWNS[name]
    start = text.index(name)
    return ResolvedMention(start=start, end=start + len(name), text=name, name=name, lat=lat, lon=lon,
                           feature="city", country=country, score=score)


def add_text(store: Store, text: str, *names: str) -> Article:
    article = Article(text=text)
    store.add(article, [mention(text, n) for n in names])
    return article


@pytest.fixture
def filled(store) -> Store:
    add_text(store, "Shelling hit Homs and Damascus; a convoy left for Tadmur.", "Homs", "Damascus", "Tadmur")
    add_text(store, "Fighting near Aleppo and Homs continued.", "Aleppo", "Homs")
    add_text(store, "Drones struck Kharkiv; sirens in Kyiv.", "Kharkiv", "Kyiv")
    add_text(store, "Ferries from Suva reached Taveuni.", "Suva", "Taveuni")
    return store


def statements(store: Store) -> list[str]:
    """SQL sent by the store from now on (to check what runs in the database)."""
    seen: list[str] = []
    event.listen(store._engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


# ----------------------------------------------------------------------------- migrations


def test_schema_head_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == SCHEMA_HEAD


def test_new_database_is_migrated_to_head(store):
    assert schema_revision(store._engine) == SCHEMA_HEAD
    assert store.counts() == {"articles": 0, "mentions": 0, "places": 0, "events": 0}


def test_migrations_match_the_models(store):
    """What the migrations build is what the models describe (PostGIS adds only geom and its indexes)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def include(obj, name, type_, reflected, compare_to):
        return not (name in {"geom", "ix_places_geom", "ix_places_geog", "spatial_ref_sys"} or name == "alembic_version")

    with store._engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include, "compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_database_made_before_migrations_is_adopted(store_url):
    """A store created by create_all (before Alembic) keeps its data and is brought to the newest schema."""
    engine = engine_for(store_url)
    # The tables a store had before migrations existed (later tables come from later revisions).
    old = [Base.metadata.tables[name] for name in ("articles", "places", "mentions")]
    Base.metadata.create_all(engine, tables=old)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO articles (id, text, ingested_at) VALUES ('a1', 'Shelling in Homs.', :t)"),
                     {"t": "2024-01-01 00:00:00+00:00"})
        conn.execute(text("INSERT INTO places (name, lat, lon, feature) VALUES ('Homs', 34.72682, 36.72339, 'city')"))
        conn.execute(text("INSERT INTO mentions (article_id, place_id, start, \"end\", text, score) "
                          "SELECT 'a1', id, 12, 16, 'Homs', 0.9 FROM places"))
    engine.dispose()
    store = Store(store_url)
    assert schema_revision(store._engine) == SCHEMA_HEAD
    assert store.counts() == {"articles": 1, "mentions": 1, "places": 1, "events": 0}
    assert list(store.places_within(34.7, 36.7, 10)["name"]) == ["Homs"]  # geom filled in for old rows too


def test_existing_database_opens_without_alembic(sqlite_url, monkeypatch):
    Store(sqlite_url)
    import alembic.command

    def refuse(*_a, **_k):
        raise AssertionError("an up-to-date database must not run migrations")

    monkeypatch.setattr(alembic.command, "upgrade", refuse)
    best = min(_timed(lambda: Store(sqlite_url)) for _ in range(3))
    assert best < 0.3, f"opening an existing SQLite store took {best:.3f} s"


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def test_downgrade_and_upgrade_again(filled):
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with filled._engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001_initial")
    assert schema_revision(filled._engine) == "0001_initial"
    if filled.postgis:
        with filled._engine.connect() as conn:
            assert not conn.execute(text("SELECT 1 FROM information_schema.columns "
                                         "WHERE table_name = 'places' AND column_name = 'geom'")).scalar()
    again = Store(filled.url)
    assert schema_revision(again._engine) == SCHEMA_HEAD
    assert list(again.places_within(34.72682, 36.72339, 1)["name"]) == ["Homs"]


def test_newer_schema_than_the_code_is_a_clear_error(sqlite_url):
    store = Store(sqlite_url)
    with store._engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(RuntimeError, match="cannot upgrade the database schema"):
        Store(sqlite_url)


def test_postgresql_without_postgis_is_a_clear_error(store_url):
    if not store_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    if store_url == os.environ.get("TEST_POSTGIS_URL"):
        pytest.skip("needs a database of its own (the server refused to create one)")
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP EXTENSION postgis")
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = 'cm_plain_user'")).scalar():
            conn.exec_driver_sql("CREATE ROLE cm_plain_user LOGIN")
        conn.exec_driver_sql(f'GRANT ALL ON DATABASE "{make_url(store_url).database}" TO cm_plain_user')
        conn.exec_driver_sql("GRANT ALL ON SCHEMA public TO cm_plain_user")
    engine.dispose()
    plain = make_url(store_url).set(username="cm_plain_user").render_as_string(hide_password=False)
    with pytest.raises(RuntimeError, match="CREATE EXTENSION postgis"):
        Store(plain)


# ----------------------------------------------------------------------------- spatial


def test_postgis_geometry_follows_lat_lon(filled):
    if not filled.postgis:
        pytest.skip("PostGIS only")
    with filled._engine.begin() as conn:
        rows = conn.execute(text("SELECT name, ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM places")).all()
        assert {(n, round(x, 5), round(y, 5), srid) for n, x, y, srid in rows} == {
            (n, round(lon, 5), round(lat, 5), 4326) for n, (lat, lon, _c) in TOWNS.items()
        }
        conn.execute(text("UPDATE places SET lat = 35.0, lon = 37.0 WHERE name = 'Homs'"))
        assert conn.execute(text("SELECT ST_AsText(geom) FROM places WHERE name = 'Homs'")).scalar() == "POINT(37 35)"


def test_places_within_nearest_first(filled):
    frame = filled.places_within(34.72682, 36.72339, 200)  # Homs
    assert list(frame.columns) == PLACE_COLUMNS
    assert list(frame["name"]) == ["Homs", "Damascus", "Tadmur", "Aleppo"]  # 0, 141, 142, 169 km
    homs = frame.iloc[0]
    assert homs["distance_km"] == pytest.approx(0, abs=1e-6)
    assert (homs["mentions"], homs["articles"]) == (2, 2)
    for row in frame.itertuples():  # the same sphere on both backends
        assert row.distance_km == pytest.approx(distance_km(34.72682, 36.72339, row.lat, row.lon), rel=1e-6)
    assert list(filled.places_within(34.72682, 36.72339, 141.5)["name"]) == ["Homs", "Damascus"]
    assert filled.places_within(0, 0, 100).empty


def test_places_within_across_the_antimeridian(filled):
    frame = filled.places_within(-17.5, 179.9, 300)
    assert sorted(frame["name"]) == ["Suva", "Taveuni"]
    assert frame["distance_km"].max() < 300


def test_places_within_validates(store):
    with pytest.raises(ValueError):
        store.places_within(91, 0, 10)
    with pytest.raises(ValueError):
        store.places_within(0, 0, -1)


def test_mention_frame_bbox(filled):
    syria = filled.mention_frame(bbox=(35.5, 32.0, 42.5, 37.5))
    assert sorted(syria["name"]) == ["Aleppo", "Damascus", "Homs", "Homs", "Tadmur"]
    assert sorted(filled.mention_frame(bbox=(30.0, 49.0, 37.0, 51.0))["name"]) == ["Kharkiv", "Kyiv"]
    fiji = filled.mention_frame(bbox=(178.0, -19.0, -179.0, -16.0))  # west > east: across the antimeridian
    assert sorted(fiji["name"]) == ["Suva", "Taveuni"]
    assert len(filled.mention_frame()) == 9
    assert filled.mention_frame(bbox=(0, 0, 1, 1)).empty
    with pytest.raises(ValueError):
        filled.mention_frame(bbox=(0, 10, 1, 5))


def test_spatial_filters_run_in_the_database(filled):
    seen = statements(filled)
    filled.places_within(34.7, 36.7, 50)
    filled.mention_frame(bbox=(35.5, 32.0, 42.5, 37.5))
    sql = "\n".join(seen)
    if filled.postgis:
        assert "ST_DWithin(CAST(places.geom AS geography)" in sql and "places.geom && ST_MakeEnvelope" in sql
    else:
        assert "places.lat BETWEEN" in sql and "conflictmap_distance_km(places.lat, places.lon" in sql


def test_postgis_filters_use_the_spatial_indexes(filled):
    if not filled.postgis:
        pytest.skip("PostGIS only")
    from sqlalchemy.dialects import postgresql

    from geo.store.spatial import in_bbox, within

    with filled._engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for cond, index in [(within(True, 34.7, 36.7, 50), "ix_places_geog"),
                            (in_bbox(True, (35.5, 32.0, 42.5, 37.5)), "ix_places_geom")]:
            where = cond.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
            plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN SELECT id FROM places WHERE {where}"))
            assert index in plan, plan


# ----------------------------------------------------------------------------- concurrency


def test_a_writer_racing_an_uncommitted_copy_reports_already_stored(store):
    """Another connection has inserted the same article and not committed yet: this writer waits for it
    (SQLite: for the write lock; PostgreSQL: on the unique index, then retries) and stores nothing."""
    import threading

    article = Article(text="Shelling hit Homs overnight.")
    other = engine_for(store.url)
    result: list[bool] = []
    with other.connect() as conn:
        conn = conn.execution_options(conflictmap_write=True)
        with conn.begin():
            conn.execute(text("INSERT INTO articles (id, text, ingested_at) VALUES (:id, :t, :at)"),
                         {"id": article.id, "t": article.text, "at": "2024-01-01 00:00:00+00:00"})
            writer = threading.Thread(target=lambda: result.append(store.add(article, [mention(article.text, "Homs")])))
            writer.start()
            time.sleep(0.3)  # let the writer reach its wait
            assert result == []  # still waiting for the first transaction
        writer.join(timeout=30)
    other.dispose()
    assert result == [False]
    assert store.counts() == {"articles": 1, "mentions": 0, "places": 0, "events": 0}


def test_add_many(store, monkeypatch):
    texts = ["Shelling hit Homs.", "Drones over Kharkiv.", "Aid reached Aleppo and Homs."]
    names = [["Homs"], ["Kharkiv"], ["Aleppo", "Homs"]]
    items = [(Article(text=t), [mention(t, n) for n in ns]) for t, ns in zip(texts, names)]
    assert store.add(*items[1]) is True
    assert store.add_many([items[0], items[1], items[2], items[0]]) == [True, False, True, False]
    assert store.counts() == {"articles": 3, "mentions": 4, "places": 3, "events": 0}
    assert [m.name for m in store.mentions(items[2][0].id)] == ["Aleppo", "Homs"]
    assert store.add_many([]) == []
    with pytest.raises(ValueError, match="outside the article text"):
        store.add_many([(Article(text="Homs."), [mention(texts[0], "Homs")])])

    # A race inside the batch transaction: the batch is stored one by one instead.
    from sqlalchemy.exc import IntegrityError

    real, calls = store._insert, []

    def racing(batch):
        calls.append(len(batch))
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))
        return real(batch)

    monkeypatch.setattr(store, "_insert", racing)
    more = [(Article(text="Shelling near Kyiv."), [mention("Shelling near Kyiv.", "Kyiv")]), items[0]]
    assert store.add_many(more) == [True, False]
    assert calls == [2, 1, 1]
    assert store.counts()["articles"] == 4


N_RACE = 24


def _race_worker(url: str, worker: int, barrier, results) -> None:
    store = Store(url)
    names = list(TOWNS)
    out = []
    for i in range(N_RACE):
        # The same article from both processes at once; its places are new, and each process meets them
        # in a different order.
        picked = [names[(i + k) % len(names)] for k in range(3)]
        text_ = f"Report {i}: fighting near " + ", ".join(picked) + "."
        barrier.wait(timeout=60)
        out.append(store.add(Article(text=text_), [mention(text_, n) for n in (picked if worker else picked[::-1])]))
        # A different article per process that shares a place with the other's.
        own = f"Bulletin {i} from writer {worker}: shelling in {names[i % len(names)]}."
        barrier.wait(timeout=60)
        out.append(store.add(Article(text=own), [mention(own, names[i % len(names)])]))
    results.put((worker, out))


def test_two_processes_ingesting_the_same_articles_store_each_once(store):
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_race_worker, args=(store.url, w, barrier, results)) for w in (0, 1)]
    for p in procs:
        p.start()
    got = dict(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    shared = [(got[0][2 * i], got[1][2 * i]) for i in range(N_RACE)]
    assert all(sorted(pair) == [False, True] for pair in shared), shared  # each shared article: one winner
    assert all(got[w][2 * i + 1] for w in (0, 1) for i in range(N_RACE))  # own articles: all stored
    counts = store.counts()
    assert counts["articles"] == 3 * N_RACE
    assert counts["mentions"] == 3 * N_RACE + 2 * N_RACE
    assert counts["places"] == len(TOWNS)


def test_stored_ids(store):
    a = add_text(store, "Shelling hit Homs.", "Homs")
    missing = Article(text="Not stored.").id
    assert store.stored_ids([a.id, missing, a.id]) == {a.id}
    assert store.stored_ids([]) == set()
    many = [Article(text=f"n{i}").id for i in range(1200)] + [a.id]
    assert store.stored_ids(many) == {a.id}


def test_sqlite_writers_take_the_lock_up_front(sqlite_url):
    """Writers BEGIN IMMEDIATE: a second writer waits for the lock instead of failing mid-transaction."""
    store = Store(sqlite_url)
    seen = statements(store)
    add_text(store, "Shelling hit Homs.", "Homs")
    assert seen[0] == "BEGIN IMMEDIATE"
    seen.clear()
    store.has("x")
    assert seen[0] == "BEGIN"


def test_map_data_refresh_reads_only_new_articles_on_each_backend(store, monkeypatch):
    """mapdata.refresh compares ingest times and ids as each database returns them."""
    import pandas as pd

    from geo.store import frames as mapdata

    a = "Shelling hit Homs and Damascus."
    store.add(Article(a, title="One", source="Wire"), [mention(a, "Homs"), mention(a, "Damascus")])
    before = mapdata.load(store)
    b = "Drones over Kharkiv and Kyiv."
    store.add(Article(b, title="Two", source="Desk"), [mention(b, "Kharkiv"), mention(b, "Kyiv")])
    reads = []
    real = mapdata._read
    monkeypatch.setattr(mapdata, "_read", lambda con, since=None: reads.append(since) or real(con, since))
    fresh = mapdata.refresh(store, before)
    assert reads == [before.last_ingest]  # one read of what came since, not a full load
    full = mapdata.load(store)
    pd.testing.assert_frame_equal(fresh.mentions, full.mentions, check_categorical=False)
    pd.testing.assert_frame_equal(fresh.articles, full.articles)
    assert fresh.articles["title"].tolist() == ["Two", "One"]
