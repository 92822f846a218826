"""Words that look like hedges but are not: a would-be bomber is a person, "feared dead" hedges the toll."""

from __future__ import annotations

import pytest

from geo.events.extract import EventExtractor


@pytest.fixture(scope="module")
def modalities(geoparser):  # the real index (tests/conftest.py)
    extractor = EventExtractor()
    return lambda text: [e.modality for e in extractor.extract(text, geoparser.parse(text), "2021-06-01")]


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
