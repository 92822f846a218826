"""The time tool: bins chosen from the span, the brush through the map state into every layer's rows, the
timeline's cursor and brush geometry, and the time player's steps."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from geo.maps.timeline import timeline_svg
from geo.store.frames import MapData
from geo.view import timebins
from geo.view.brush import state_after_brush
from geo.view.filtered import filtered
from geo.view.filters import select
from geo.view.state import MapState


def _frame(days: list[str], *, events: list[str | None] | None = None, event_days: list[str | None] | None = None):
    """Mention rows as geo.store.frames gives them: one article per row, a place per row."""
    n = len(days)
    day = pd.to_datetime(days)
    event_day = pd.to_datetime(event_days or [None] * n)
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)], "article_pos": np.arange(n), "title": ["t"] * n,
        "source": ["Wire"] * n, "url": [None] * n, "name": [f"P{i % 3}" for i in range(n)],
        "place_id": [i % 3 for i in range(n)], "lat": [34.0 + i % 3 for i in range(n)], "lon": [36.0] * n,
        "feature": ["city"] * n, "country": ["SY"] * n, "score": [0.9] * n,
        "event_type": events or [None] * n, "modality": ["fact" if e else None for e in (events or [None] * n)],
        "actor1": [None] * n, "actor2": [None] * n, "day": day, "event_day": event_day,
        "when": pd.Series(event_day).fillna(pd.Series(day)).to_numpy(),
    })


def _data(frame: pd.DataFrame) -> MapData:
    articles = pd.DataFrame({"article_id": frame["article_id"], "source": frame["source"], "day": frame["day"]},
                            index=pd.Index(frame["article_id"]))
    return MapData(frame, articles, pd.Series(["text"] * len(frame)), version=("t", len(frame)))


# ---------------------------------------------------------------------------------------- bins


@pytest.mark.parametrize(("first", "last", "step"), [
    ("2024-01-01", "2024-01-01", "day"), ("2024-01-01", "2024-03-31", "day"),  # 91 days
    ("2024-01-01", "2024-04-30", "week"), ("2023-01-01", "2024-12-31", "week"),  # two years
    ("2020-01-01", "2024-12-31", "month"),
])
def test_bins_follow_the_span(first, last, step):
    assert timebins.choose_step(first, last) == step
    assert timebins.resolve("auto", first, last) == step and timebins.resolve("day", first, last) == "day"


def test_weeks_start_on_monday_and_months_on_the_first():
    days = np.array(["2024-01-07", "2024-01-08", "2024-02-29"], "datetime64[D]")
    assert timebins.starts(days, "week").astype(str).tolist() == ["2024-01-01", "2024-01-08", "2024-02-26"]
    assert timebins.starts(days, "month").astype(str).tolist() == ["2024-01-01", "2024-01-01", "2024-02-01"]
    assert timebins.bin_end("2024-02-01", "month") == pd.Timestamp("2024-02-29")
    assert timebins.label("2024-02-05", "week") == "week of 5 Feb 2024"


def test_years_of_data_keep_their_bars():
    """Five years by day would be 1,827 bars of a third of a pixel: by month they are 60 readable ones."""
    days = pd.date_range("2019-01-01", "2023-12-31", freq="3D").strftime("%Y-%m-%d").tolist()
    frame = _frame(days)
    step = timebins.choose_step(*timebins.span(frame))
    counts = timebins.counts(frame, step)
    assert step == "month" and len(counts) == 60 and counts["mentions"].sum() == len(days)
    svg = timeline_svg(counts, step=step)
    bar = float(re.search(r'data-bw="([\d.]+)"', svg).group(1))
    assert bar > 10  # pixels of the 760-wide chart per bar
    assert "Jan 2019: " in svg and 'data-step="month"' in svg


def test_counts_put_events_on_their_own_date():
    """Reported on 10 April, happened on 3 April: the timeline counts it on the 3rd."""
    frame = _frame(["2017-04-10", "2017-04-10"], events=["Battles", None], event_days=["2017-04-03", None])
    counts = timebins.counts(frame, "day").set_index("day")["mentions"]
    assert counts["2017-04-03"] == 1 and counts["2017-04-10"] == 1 and len(counts) == 8
    by_type = timebins.counts_by_type(frame, "day", pd.DatetimeIndex(counts.index)).set_index("day")
    assert by_type.loc["2017-04-03", "Battles"] == 1 and by_type.loc["2017-04-10", "no event"] == 1


# ---------------------------------------------------------------------------------------- brush -> state -> rows


def test_brush_becomes_the_state_once_and_clears():
    memory: dict = {}
    state = MapState(query="x")
    value = {"cm_brush": {"from": "2017-04-20", "to": "2017-04-02", "t": 1}, "cm_view": {}}
    after = state_after_brush(value, state, memory)
    assert after.window == ("2017-04-02", "2017-04-20") and after.query == "x"
    assert state_after_brush(value, MapState(), memory) == MapState()  # the frame repeats its last value
    cleared = state_after_brush({"cm_brush": {"from": None, "to": None, "t": 2}}, after, memory)
    assert cleared.window == (None, None)
    assert state_after_brush({"cm_brush": {"from": "soon", "to": "<b>", "t": 3}}, state, memory) == state
    assert state_after_brush(None, state, memory) == state


def test_brushed_range_goes_into_the_share_link():
    state = MapState(time_from="2017-04-02", time_to="2017-04-20", step="month")
    params = state.to_query_params()
    assert params == {"time_from": "2017-04-02", "time_to": "2017-04-20", "step": "month"}
    assert MapState.from_query_params(params) == state
    assert MapState.from_query_params({"time_from": "2017-05-01", "time_to": "2017-04-01"}).window == \
        ("2017-04-01", "2017-05-01")
    assert MapState.from_query_params({"time_from": "yesterday"}).window == (None, None)
    assert state.filters != state.without_window().filters and state.without_window().window == (None, None)


def test_brush_filters_every_layers_rows_by_when_it_happened():
    frame = _frame(["2017-04-10", "2017-04-10", "2017-03-01", "2017-05-01"],
                   events=["Battles", None, None, "Protests"], event_days=["2017-04-03", None, None, None])
    state = MapState(time_from="2017-04-01", time_to="2017-04-05")
    assert state.apply(frame)["article_id"].tolist() == ["a0"]  # happened on the 3rd, reported on the 10th
    data = _data(frame)
    view = filtered(data, state)
    assert view.frame["article_id"].tolist() == ["a0"] and list(view.article_ids) == ["a0"]
    assert view.places["name"].tolist() == ["P0"] and len(view.event_points) == 1
    # The timeline under the brush shows all time, in the bins of the whole span; the map only the range.
    assert view.overview.frame.shape[0] == 4 and view.span == (pd.Timestamp("2017-03-01"), pd.Timestamp("2017-05-01"))
    assert view.timeline("auto").step == "day" and len(view.timeline("auto").counts) == 62
    assert view.step("auto") == "day"
    no_brush = filtered(data, MapState())
    assert no_brush.overview is no_brush and len(no_brush.frame) == 4


def test_an_article_without_places_is_in_the_range_by_its_own_day():
    frame = _frame(["2017-04-10"])
    data = _data(frame)
    articles = pd.concat([data.articles, pd.DataFrame({"article_id": ["lone"], "source": ["Wire"],
                                                      "day": pd.to_datetime(["2017-04-02"])}, index=["lone"])])
    data = MapData(frame, articles, pd.Series(["text"] * 2), version=("t", 2))
    assert list(select(data, MapState(time_from="2017-04-01", time_to="2017-04-05"))[1]) == ["lone"]
    assert list(select(data, MapState(time_from="2017-04-08"))[1]) == ["a0"]


# ---------------------------------------------------------------------------------------- the chart and the player


def test_timeline_carries_its_geometry_and_dims_outside_the_brush():
    counts = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=10), "mentions": range(1, 11),
                           "articles": range(1, 11)})
    svg = timeline_svg(counts, window=("2024-01-03", "2024-01-05"))
    attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', svg[:svg.index(">")]))
    assert attrs["step"] == "day" and attrs["first"] == "2024-01-01" and attrs["n"] == "10"
    bw, x0 = float(attrs["bw"]), float(attrs["x0"])
    window = re.search(r'<g class="cm-window" data-from="2024-01-03" data-to="2024-01-05">(.*?)</g>', svg).group(1)
    edges = re.search(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="\d+" fill="none"', window)
    assert float(edges.group(1)) == pytest.approx(x0 + 2 * bw, abs=0.1)
    assert float(edges.group(2)) == pytest.approx(3 * bw, abs=0.2)
    assert "cm-window" not in timeline_svg(counts)


def test_player_steps_hold_each_steps_own_places():
    frame = _frame(["2024-01-01", "2024-01-01", "2024-01-09", "2024-01-30"])
    from geo.store.frames import places

    table = places(frame)
    cells = timebins.player_cells(frame, table, "week")
    assert cells["step"] == "week" and cells["bins"][0] == "2024-01-01" and len(cells["bins"]) == 5
    assert cells["bin"] == [0, 0, 1, 4]
    assert sum(cells["count"]) == 4 and [table["name"][p] for p in cells["place"][:2]] == ["P0", "P1"]
