"""geo.maps.base.mention_bounds: where most mentions are, the map's first view of a view's rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.maps.base import TRIM_MIN_MENTIONS, mention_bounds


def _rows(points: list[tuple[float | None, float | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(points, columns=["lat", "lon", "feature"])


def test_countries_and_missing_coordinates_do_not_widen_the_view():
    rows = _rows([(34.73, 36.72, "city"), (34.56, 38.27, "city"), (35.0, 38.0, "country"), (None, 10.0, "city")])
    assert mention_bounds(rows) == [[34.56, 36.72], [34.73, 38.27]]
    assert mention_bounds(rows[rows["feature"] == "country"]) == [[35.0, 38.0], [35.0, 38.0]]  # nothing else
    assert mention_bounds(_rows([(None, None, "city")])) is None
    assert mention_bounds(_rows([])) is None


def test_one_stray_match_abroad_is_trimmed_with_enough_mentions():
    rng = np.random.default_rng(3)
    n = max(TRIM_MIN_MENTIONS, 40)
    syria = [(34 + rng.random(), 36 + rng.random(), "city") for _ in range(n)]
    (south, west), (north, east) = mention_bounds(_rows(syria + [(48.85, 2.35, "city")]))  # Paris
    assert 34 <= south and north <= 35 and 36 <= west and east <= 37
    few = _rows(syria[:2] + [(48.85, 2.35, "city")])  # too few to tell a stray from a second theatre
    assert mention_bounds(few)[1] == [48.85, max(p[1] for p in syria[:2])]
