"""The confidence score means a rate: checked on the development corpora, and the model's mechanics."""

from __future__ import annotations

import json

import pytest

from geo.parse.confidence import Calibrator, fit, load_calibrator
from geo.layers.joins import haversine_km


def test_fit_learns_a_separating_feature():
    rows = [{"good": 1.0, "noise": (i % 3) / 3} for i in range(50)] + [{"good": 0.0, "noise": (i % 3) / 3} for i in range(50)]
    model = fit(rows, [True] * 50 + [False] * 50)
    assert model.score({"good": 1.0, "noise": 0.5}) > 0.8
    assert model.score({"good": 0.0, "noise": 0.5}) < 0.2


def test_shipped_model_loads_and_scores_in_range():
    model = load_calibrator()
    assert isinstance(model, Calibrator)
    assert 0.0 < model.score({}) < 1.0


@pytest.mark.parametrize("corpus", ["geovirus", "trnews_dev"])
def test_high_scores_are_mostly_right_on_dev_corpora(geoparser, shared, corpus):
    by_band = {"high": [], "low": []}
    at_least_08 = []
    for line in (shared / "eval" / "dev" / f"{corpus}.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        gold = [t for t in d["toponyms"] if t.get("lat") is not None]
        for m in geoparser.parse(d["text"]):
            ov = [t for t in gold if min(t["end"], m.end) > max(t["start"], m.start)]
            if ov and ov[0].get("ignore"):
                continue
            right = bool(ov) and haversine_km(ov[0]["lat"], ov[0]["lon"], m.lat, m.lon) <= 161
            by_band["high" if m.score >= 0.9 else "low"].append(right)
            if m.score >= 0.8:
                at_least_08.append(right)
    high = sum(by_band["high"]) / len(by_band["high"])
    low = sum(by_band["low"]) / len(by_band["low"])
    assert high >= 0.9, high
    assert high > low + 0.1
    assert sum(at_least_08) / len(at_least_08) >= 0.9  # the target for score >= 0.8


def test_a_vast_country_with_disputed_label_points_is_less_certain_than_a_small_one(geoparser):
    canada = [m for m in geoparser.parse("New cases of the flu were reported in Canada this week.")][0]
    syria = [m for m in geoparser.parse("New cases of the flu were reported in Syria this week.")][0]
    assert canada.score < syria.score
