"""Fixtures of the stage tests: the tiny world's index (built once per session) and lexicon (tests/stage/world.py).

These tests must never read the built index (data/index/): a guard fails any attempt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import INDEX_DIR
from geo.gazetteer import Gazetteer, build_index
from geo.parse.lexicon import lexicon_from
from tests.stage.world import DEMONYMS, LEXICON, RECORDS


@pytest.fixture(scope="session")
def gazetteer():
    """Overrides the built index of tests/conftest.py (and the geoparser over it) for the stage tier."""
    pytest.fail("a stage test asked for the built index; use the tiny `index` fixture")


@pytest.fixture(scope="session")
def geoparser():
    pytest.fail("a stage test asked for the built index's geoparser; build a Geoparser over the tiny `index`")


@pytest.fixture(scope="module", autouse=True)
def _never_the_built_index():
    """The stage tier runs where data/index/ was never built: opening it is a test bug. (Per module, so that
    the guard is lifted before the regression tier runs in the same session.)"""
    real = Path(INDEX_DIR).resolve()
    opened = Gazetteer.__init__

    def guarded(self, path):
        if Path(path).resolve() in (real, real / "gazetteer.sqlite"):
            raise AssertionError("a stage test opened the built index; use the tiny `index` fixture")
        opened(self, path)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Gazetteer, "__init__", guarded)
        yield


@pytest.fixture(scope="session")
def index(tmp_path_factory) -> Gazetteer:
    out = tmp_path_factory.mktemp("tiny_index")
    build_index(RECORDS, out, demonyms=DEMONYMS, meta={"note": "tests/stage"})
    return Gazetteer(out)


@pytest.fixture(scope="session")
def lexicon():
    return lexicon_from(**LEXICON)
