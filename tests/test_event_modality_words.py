"""Words that look like hedges but are not: a would-be bomber is a person, "feared dead" hedges the toll."""

from __future__ import annotations

import pytest

from geo.events import EventExtractor
from geo.pipeline import default_geoparser


@pytest.fixture(scope="module")
def modalities():
    try:
        parser = default_geoparser()
    except Exception as exc:  # noqa: BLE001 - the index is built by `make index`
        pytest.skip(f"gazetteer index not available: {exc}")
    extractor = EventExtractor()
    return lambda text: [e.modality for e in extractor.extract(text, parser.parse(text), "2021-06-01")]


@pytest.mark.parametrize("text", [
    "Would-be suicide bomber killed at checkpoint in Kabul",
    "Five feared dead as gunmen attack village in Zamfara",
])
def test_not_hedges(modalities, text):
    assert modalities(text)[:1] == ["fact"]


@pytest.mark.parametrize("text", [
    "Officials feared the militants would attack Kabul again",
    "Gunmen could attack villages in Zamfara, police warned",
])
def test_real_hedges_still_are(modalities, text):
    got = modalities(text)
    assert got and "fact" not in got
