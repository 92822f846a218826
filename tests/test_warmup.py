"""The server's warm-up (pages/_warmup.py, started by serve.py) and the frames' snapshot in the pages'
loaders: the first visit after a start finds the store's frames and its view made, by the same functions
it would call itself, and a restart reads the frames from their snapshot instead of the whole store."""

from __future__ import annotations

import threading
from concurrent.futures import wait
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import geo.view.filtered as filtered_module
from geo.store import Store, snapshot
from geo.store import frames as mapdata
from pages import _loaders, _warmup

ROOT = Path(__file__).resolve().parents[1]


def _saved() -> None:
    """Wait for the loaders' background writes of the snapshot."""
    wait([_loaders._SAVER.submit(lambda: None)])


def _restart() -> None:
    """What a new server process starts with: no frames in memory."""
    _loaders._map_data.clear()
    _loaders._last_map_data().clear()


@pytest.fixture(autouse=True)
def no_visit_yet(monkeypatch):
    """As after a start: no page has run in this process yet (other tests' visits ran in it)."""
    monkeypatch.setattr(_loaders, "_visit_started", threading.Event())


@pytest.fixture()
def store(dashboard_store, add_homs_palmyra) -> Store:
    store = Store(dashboard_store)
    add_homs_palmyra(store)
    return store


def test_the_frames_are_kept_on_disk_and_read_back_after_a_restart(store, monkeypatch):
    first = _loaders.map_data_now(store)
    _saved()
    folder = _loaders.snapshot_folder(store)
    assert (folder / snapshot.MENTIONS).exists()

    _restart()
    monkeypatch.setattr(mapdata, "load", lambda *_: pytest.fail("the store was read whole"))
    again = _loaders.map_data_now(store)
    assert again is not first and again.version == first.version
    assert again.mentions["name"].tolist() == first.mentions["name"].tolist()


def test_after_an_ingest_the_snapshot_is_written_again(store, add_homs_palmyra):
    _loaders.map_data_now(store)
    _saved()
    more = "Clashes near Palmyra again."
    add_homs_palmyra(store, more, "second")
    newer = _loaders.map_data_now(store)
    _saved()
    now = snapshot.current(store, _loaders.snapshot_folder(store))
    assert now.saved and now.data.version == newer.version  # a restart now would read nothing from the store


def test_the_first_visit_after_the_warm_up_makes_neither_the_frames_nor_the_view(store, monkeypatch):
    assert _warmup.warm_up() >= 0
    made, read = [], []
    real_view, real_load = filtered_module.make_view, mapdata.load
    monkeypatch.setattr(filtered_module, "make_view", lambda *a, **k: made.append(a[1]) or real_view(*a, **k))
    monkeypatch.setattr(mapdata, "load", lambda *a: read.append(a) or real_load(*a))
    visit = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not visit.exception
    assert visit.get("iframe") or visit.main.children  # the Map page ran
    assert read == []  # the frames were the warm-up's
    assert made == []  # and so was the view of a visit without parameters


@pytest.mark.parametrize("visit", [False, True])
def test_once_a_visit_runs_the_warm_up_leaves_it_the_interpreter(store, monkeypatch, visit):
    """What only saves a later visit time (running the map's code once, the panel's joins) is skipped once
    a page has run: it would compete with that visit, not help it; the frames and the view are made."""
    if visit:
        _loaders.get_map_data(store)  # what every page run asks first
    rehearsed, joined = [], []
    monkeypatch.setattr(_warmup, "base_map", lambda **kw: rehearsed.append(kw) or pytest.fail("base map made"))
    monkeypatch.setattr(_warmup, "get_joiner", lambda: joined.append(1))
    if not visit:
        monkeypatch.setattr(_warmup, "_rehearsal", lambda *a: [lambda: rehearsed.append(1)])
    _warmup.warm_up()
    assert (rehearsed, joined) == (([], []) if visit else ([1], [1]))
    assert filtered_module._VIEWS.get((_loaders.map_data_now(store).version, _warmup.from_link({}, _warmup.FOCUS_ZOOM).filters),
                                      lambda: pytest.fail("no view made"))


def test_a_failing_warm_up_leaves_the_visit_to_make_what_it_needs(store, monkeypatch):
    monkeypatch.setattr(_warmup, "map_data_now", lambda *_: 1 / 0)
    assert _warmup.warm_up() >= 0  # logged, not raised: the server keeps running
    monkeypatch.undo()
    visit = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not visit.exception


def test_the_warm_up_imports_the_library_the_pages_import_but_not_the_pages_own_modules():
    """A page module imported outside a script run can break it for good: pages._mapframe's component,
    declared outside one, is never registered and the map's frame answers 404."""
    names = _warmup.imported_by(ROOT / "pages" / "map.py")
    assert "streamlit" in names and "pages._mapframe" in names and "__future__" not in names
    assert "geo.gazetteer.geocoders" not in names  # imported inside a function: only with nested=True
    assert "geo.gazetteer.geocoders" in _warmup.imported_by(ROOT / "pages" / "map.py", nested=True)
    imported = _warmup.import_pages()
    assert "streamlit" in imported and any(n.startswith("geo.") for n in imported)
    assert not [n for n in imported if n.split(".")[0] == "pages"]
    # What the pages' modules import comes along (the panel's corrections: `from geo.teams import
    # corrections`), what the Map page imports inside its functions, and what Streamlit imports lazily.
    assert {"geo.teams.auth", "geo.teams.corrections", "geo.gazetteer.geocoders", "streamlit.emojis",
            "folium.plugins"} <= set(imported)
    assert "pandas.DataFrame" not in imported  # an attribute, not a module


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
def test_the_team_server_draws_the_map_of_its_first_visit_and_writes_the_snapshot(store, tmp_path, monkeypatch):
    """`streamlit run serve.py` as the benchmark starts it (scripts/bench_map.py): the warm-up runs at
    start, the first visit, sent as soon as the server answers, draws its places, and the store's frames
    are on disk for the next start."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from geo.maps.assets import missing_assets

    if missing_assets(ROOT / "static"):
        pytest.skip("static/vendor is not installed (make assets)")
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    import bench_map

    proc, base = bench_map.start(str(store.url), tmp_path / "server.log")
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", bench_map.RESOLVER_RULES])
            try:
                visit = bench_map.Visit(browser, base, [], route=False)
                visit.paint()  # waits until the map's places layer is drawn
                assert visit.map_frame().evaluate("CM.layers.place !== undefined")
            finally:
                browser.close()
    finally:
        bench_map.stop(proc)
    assert (_loaders.snapshot_folder(store) / snapshot.MENTIONS).exists()
