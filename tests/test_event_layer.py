"""The map's event layer: one symbol per event, filled or hollow by modality, on its own date, its actors,
sentences and links escaped, events at one place spread so each stays clickable."""

from __future__ import annotations

import datetime as dt

import folium
import pandas as pd
import pytest

from geo.maps import events as event_layer
from geo.maps.style import EVENT_COLOURS, event_style_index
from geo.store import Store
from geo.store import frames as mapdata
from geo.types import Article, Event, ResolvedMention
from geo.view.event_points import event_points

EVIL_ACTOR = '<img src=x onerror="window.__pwned=1">'
EVIL_SENTENCE = "Shells fell on Homs </script><script>window.__pwned=2</script> at `${dawn}`."


def _points(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"place_id": [1] * n, "name": ["Homs"] * n, "lat": [34.73] * n, "lon": [36.71] * n,
            "event_type": ["Battles"] * n, "event_subtype": ["Armed clash"] * n, "modality": ["fact"] * n,
            "actor1": [None] * n, "actor2": [None] * n, "title": ["Report"] * n, "source": ["Wire"] * n,
            "url": ["https://example.org/r"] * n, "article_id": [f"a{i}" for i in range(n)],
            "day": pd.to_datetime(["2024-03-01"] * n)}
    return event_points(pd.DataFrame(base | columns))


@pytest.mark.parametrize("modality", ["fact", "negated", "intent", "threat", "possibility"])
def test_filled_when_it_happened_hollow_when_denied_threatened_planned_or_disputed(modality):
    data = event_layer.event_columns(_points(modality=[modality], event_type=["Protests"]))
    styles, _, _ = event_style_index()
    style = styles[data["style"][0]]
    assert style.get("shape") == "diamond"  # the type's shape, as in the legend
    if modality == "fact":
        assert style["fillColor"] == EVENT_COLOURS["Protests"] and not style.get("dashArray")
        assert data["mod"][0] == -1  # a fact goes without saying
    else:
        assert style["fillColor"] == "#ffffff" and style["dashArray"] and style["color"] == EVENT_COLOURS["Protests"]
        assert data["text"][data["mod"][0]] == event_layer.MODALITY_WORDS[modality]


def test_one_symbol_per_event_on_its_own_date_spread_per_place():
    points = _points(place_id=[1, 1, 2, 1], name=["Homs", "Homs", "Hama", "Homs"],
                     day=pd.to_datetime(["2024-03-05", "2024-03-01", "2024-03-02", "2024-03-03"]),
                     event_day=pd.to_datetime(["2024-02-20", None, None, None]),
                     fatalities=pd.array([4, None, 0, None], dtype="Int64"))
    data = event_layer.event_columns(points, around={1: 14.0})
    assert len(data["lat"]) == 4
    epoch = dt.date(1970, 1, 1)
    # Homs in time order (20 Feb by the event's own date, then 1 and 3 Mar by the articles'), then Hama.
    assert [dt.date.fromordinal(epoch.toordinal() + d).isoformat() for d in data["day"]] == \
        ["2024-02-20", "2024-03-01", "2024-03-03", "2024-03-02"]
    assert data["dated"] == [1, 0, 0, 0] and data["fat"] == [4, -1, -1, 0]
    assert data["slot"] == [0, 1, 2, 0] and data["r0"] == [14.0, 14.0, 14.0, 0.0]
    assert data["key"] == [1, 1, 1, 2]


def test_actors_sentences_and_links_reach_the_page_escaped():
    points = _points(actor1=[EVIL_ACTOR, "Army"], actor2=["Civilians", EVIL_ACTOR],
                     evidence=[EVIL_SENTENCE, "Quiet."], title=["`${x}` <b>t</b>", "Second"],
                     url=["javascript:alert(3)", 'https://example.org/a"onmouseover="alert(4)'])
    data = event_layer.event_columns(points)
    for text in data["text"]:
        assert "<" not in text and ">" not in text and '"' not in text and "`" not in text and "$" not in text
    assert data["href"][0] == -1  # not a web link: the title is shown without one
    assert data["text"][data["href"][1]].startswith("https://example.org/a&quot;onmouseover")
    assert data["text"][data["a1"][0]] == "&lt;img src=x onerror=&quot;window.&#95;&#95;pwned=1&quot;&gt;"
    assert "&lt;/script&gt;&lt;script&gt;" in data["text"][data["ev"][0]]
    group = event_layer.events_layer(points)
    m = folium.Map(tiles=None)
    group.add_to(m)
    script = m.get_root().script.render()
    assert EVIL_ACTOR not in script and "<script>window.__pwned" not in script and "<b>t</b>" not in script


def test_sentences_stop_at_a_budget_newest_first():
    long = "word " * 80
    points = _points(evidence=["old " + long, "new " + long], day=pd.to_datetime(["2024-01-01", "2024-02-01"]))
    data = event_layer.event_columns(points, budget=400)
    assert data["ev"][1] >= 0 and data["ev"][0] == event_layer.TOO_MANY
    assert data["text"][data["ev"][1]].endswith("…") and len(data["text"][data["ev"][1]]) <= 330


def test_an_exports_frame_gives_the_sentence_and_the_articles_day():
    rows = pd.DataFrame({"name": ["Homs"], "lat": [34.7], "lon": [36.7], "event_type": ["Battles"],
                         "event_subtype": ["Armed clash"], "modality": ["negated"], "actor1": [None], "actor2": [None],
                         "title": ["T"], "source": ["S"], "url": [None], "article_id": ["a"],
                         "published": ["2017-04-07"], "ingested_at": [pd.Timestamp("2026-01-01", tz="UTC")],
                         "sentence": ["Homs was not shelled."]})
    points = event_points(rows)
    assert points.loc[0, "when"] == pd.Timestamp("2017-04-07") and not points.loc[0, "dated"]
    assert points.loc[0, "evidence"] == "Homs was not shelled." and not points.loc[0, "fact"]
    assert points.loc[0, "fatalities"] is None


def test_the_stores_frames_carry_each_events_date_fatalities_and_sentence(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'events.sqlite'}")
    text = "Militants attacked Dimbi on 2 May 2024, killing three soldiers. Later, aid reached Maiduguri."
    start = text.index("Dimbi")
    mention = ResolvedMention(start, start + 5, "Dimbi", "Dimbi", 11.9, 13.1, "city", "NG", None, 0.9)
    event = Event(type="Battles", subtype="Armed clash", actor1=EVIL_ACTOR, actor2="Military Forces of Nigeria",
                  place_mention_start=start, place="Dimbi", precision=1, evidence_start=0,
                  evidence_end=text.index(" Later"), modality="fact", trigger="attacked",
                  trigger_start=text.index("attacked"), date="2024-05-02", date_precision=1, fatalities=3)
    store.add(Article(text=text, title="Attack", published="2024-05-09", source="Desk"), [mention], [event])
    points = event_points(mapdata.load(store).mentions)
    assert len(points) == 1
    row = points.iloc[0]
    assert row["when"] == pd.Timestamp("2024-05-02") and row["dated"]  # not the article's 9 May
    assert row["fatalities"] == 3 and row["actor1"] == EVIL_ACTOR
    assert row["evidence"] == "Militants attacked Dimbi on 2 May 2024, killing three soldiers."


def test_beyond_the_cap_the_most_relevant_events_are_drawn_and_the_map_says_so():
    # 6 events at one place: 2 possible (hollow), 4 that happened; of those, one with 9 dead, one with 2,
    # two silent on fatalities (the newer one first).
    points = _points(modality=["possibility", "fact", "fact", "fact", "threat", "fact"],
                     day=pd.to_datetime(["2024-03-09", "2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04",
                                         "2024-03-05"]),
                     fatalities=pd.array([50, 9, None, 2, 80, None], dtype="Int64"))
    shown = event_layer.capped(points, 3)
    assert shown["fatalities"].tolist() == [9, 2, None]  # facts, deadliest, then the newest; in time order
    assert shown["when"].dt.strftime("%d").tolist() == ["01", "03", "05"]
    assert event_layer.capped(points, 6) is points  # within the cap: all, untouched
    group = event_layer.events_layer(points, cap=3)
    [layer] = [c for c in group._children.values() if isinstance(c, event_layer.EventLayer)]
    assert len(layer.data["lat"]) == 3 and layer.total == 6 and layer.data["slot"] == [0, 1, 2]
    assert layer.note.startswith("3 of 6 events shown") and "filter" in layer.note
    assert '"note":"3 of 6 events shown' in layer.script() and '"total":6' in layer.script()
    uncapped = [c for c in event_layer.events_layer(points)._children.values()][0]
    assert uncapped.note == "" and len(uncapped.data["lat"]) == 6 and uncapped.total == 6


def test_cap_note_is_escaped_and_counts_with_thousands():
    assert event_layer.cap_note(5000, 83211).startswith("5,000 of 83,211 events shown")
    assert event_layer.cap_note(10, 10) == ""
    assert "<" not in event_layer.cap_note(1, 2) and "—" in event_layer.cap_note(1, 2)
