"""Shared fixtures: the real embedded index (built by `make test`) and the shared material; the two tiers
(tests/README.md): tests/stage is marked `stage`, a test that asks for the built index `regression`."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import INDEX_DIR

SHARED = Path(__file__).resolve().parents[2] / "shared"
STAGE_DIR = Path(__file__).resolve().parent / "stage"


def pytest_collection_modifyitems(config, items):
    """Tier markers: `-m stage` runs the specifications on a tiny index, `-m regression` the tests that read the
    built one through the `gazetteer` fixture (or `geoparser`, which uses it)."""
    for item in items:
        if STAGE_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.stage)
        elif "gazetteer" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.regression)


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer import Gazetteer, GazetteerMissing

    try:
        return Gazetteer(INDEX_DIR)
    except GazetteerMissing as e:
        pytest.fail(f"{e} (make test builds it)")


@pytest.fixture(scope="session")
def geoparser(gazetteer):
    from geo.parse.pipeline import Geoparser

    return Geoparser(gazetteer)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture()
def dashboard_store(tmp_path, monkeypatch):
    """A fresh store the dashboard will open (DATABASE_URL), with login off; yields its URL."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("CONFLICTMAP_AUTH_FILE", raising=False)
    return url


def load_script(name: str):
    """A module of scripts/ (evaluation scripts are not a package), loaded by file name."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def add_homs_palmyra():
    """Stores an article (by default one naming Homs and Palmyra) with those places' mentions, resolved by
    hand: the dashboard tests need a store, not the gazetteer index."""
    from geo.types import Article, ResolvedMention

    places = {"Homs": (34.72405, 36.72559), "Palmyra": (34.5624, 38.28402)}

    def add(store, text: str = "Shelling hit Homs at dawn; later the road to Palmyra was closed.",
            title: str = "first") -> None:
        mentions = [ResolvedMention(text.index(n), text.index(n) + len(n), n, n, lat, lon, "city", "SY", None, 0.9)
                    for n, (lat, lon) in places.items() if n in text]
        store.add(Article(text=text, title=title), mentions)

    return add
