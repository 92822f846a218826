"""Many sessions on one server: what every session would compute alike is made once and shared, kept
under the store's version so that an ingest makes it anew (geo.view.cache.SharedCache); the benchmark
that measures it (scripts/bench_sessions.py) drives real sessions."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

from streamlit.testing.v1 import AppTest

import geo.maps.layers as mapview
from geo.store import Store
from geo.view.cache import SharedCache

ROOT = Path(__file__).resolve().parents[1]


def test_a_kept_value_is_made_once_and_the_oldest_goes_first():
    cache = SharedCache(entries=2)
    made = []

    def make(x):
        made.append(x)
        return x * 10

    assert cache.get("a", lambda: make(1)) == 10
    assert cache.get("a", lambda: make(2)) == 10  # kept: not made again
    cache.get("b", lambda: make(3))
    cache.get("a", lambda: make(4))  # "a" is now the most recently used
    cache.get("c", lambda: make(5))  # two entries at most: "b" goes
    assert cache.get("a", lambda: make(6)) == 10
    assert cache.get("b", lambda: make(7)) == 70
    assert made == [1, 3, 5, 7]


def test_the_size_bound_drops_the_oldest_but_keeps_one_value_bigger_than_it():
    cache = SharedCache(entries=10, max_bytes=10, sizeof=len)
    cache.get(1, lambda: "x" * 6)
    cache.get(2, lambda: "y" * 6)  # 12 bytes: the first goes
    assert cache.get(1, lambda: "new") == "new"
    cache.get(3, lambda: "z" * 50)  # bigger than the bound alone: kept, the rest go
    assert cache.get(3, lambda: "other") == "z" * 50


def test_sessions_at_once_get_one_value():
    cache = SharedCache(entries=4)
    barrier = threading.Barrier(8)
    results = []

    def session():
        barrier.wait()
        results.append(cache.get("k", lambda: object()))

    threads = [threading.Thread(target=session) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(r) for r in results}) == 1  # whoever made it first, every session reads the same one


def test_a_second_session_reuses_the_map_layers_and_an_ingest_makes_them_anew(dashboard_store, add_homs_palmyra,
                                                                            monkeypatch):
    store = Store(dashboard_store)
    add_homs_palmyra(store)
    first = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not first.exception

    calls = []
    real = mapview.places_layer
    monkeypatch.setattr(mapview, "places_layer",
                        lambda places, *args, **kw: calls.append(len(places)) or real(places, *args, **kw))
    second = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not second.exception
    assert calls == []  # the same store and filters: the first session's layer is reused

    more = "Clashes near Palmyra again."
    add_homs_palmyra(store, more, "second")
    third = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not third.exception
    assert calls == [2]  # a new version of the store: the layer is made again, with what was added


def test_the_benchmark_drives_sessions_that_load_filter_and_select(tmp_path, add_homs_palmyra, monkeypatch):
    """scripts/bench_sessions.py against a real server on this machine (no network beyond localhost)."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    bench = importlib.import_module("bench_sessions")
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    store = Store(url)
    add_homs_palmyra(store)
    proc, base = bench.bench_map.start(url, tmp_path / "server.log")
    try:
        result = bench.measure(base, 2, 1)
    finally:
        bench.bench_map.stop(proc)
    assert not result["errors"]
    assert result["load"][3] == 2 and result["filter"][3] == 2 and result["click"][3] == 2
    assert result["selected"] == 2  # each click drew the place's panel
