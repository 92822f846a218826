"""Shared fixtures: the real embedded index (built by `make test`) and the shared material."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import INDEX_DIR

SHARED = Path(__file__).resolve().parents[2] / "shared"


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
