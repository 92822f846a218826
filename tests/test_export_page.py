"""The Export page turns what the map shows into a file to download, from the map's in-memory data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import Store
from geo.types import Article, ResolvedMention

ROOT = Path(__file__).resolve().parents[1]


def _m(text: str, surface: str, name: str, lat: float, lon: float, feature: str = "city") -> ResolvedMention:
    start = text.index(surface)
    return ResolvedMention(start, start + len(surface), surface, name, lat, lon, feature, "SY", None, 0.9)


def _prepare(at: AppTest, label: str) -> tuple[bytes, str, str]:
    at.selectbox[0].select(label).run()
    next(b for b in at.button if b.label == "Prepare file").click().run()
    assert not at.exception and not at.error, at.exception or at.error[0].value
    return at.session_state["cm_export"]


def test_export_page_prepares_geojson(dashboard_store, geoparser):
    url = dashboard_store
    article = Article(text="Shelling hit Homs and clashes continued near Palmyra.", title="<b>t</b>")
    Store(url).add(article, geoparser.parse(article.text))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/export.py").run()
    assert not at.exception
    payload, name, mime = _prepare(at, "GeoJSON")
    assert name == "conflict-map.geojson" and b"Homs" in payload


@pytest.fixture()
def two_sources(dashboard_store, monkeypatch):
    """Two articles from two sources; the store's slow full read is made to fail, so the page cannot use it."""
    store = Store(dashboard_store)
    a = "The town was quiet in the morning. Then shelling hit Homs from the north, and a convoy reached Hama."
    store.add(Article(text=a, title="Morning report", source="Levant Desk", published="2017-03-02"),
              [_m(a, "Homs", "Homs", 34.72682, 36.72339), _m(a, "Hama", "Hama", 35.13179, 36.75783)])
    b = "Families left Raqqa along the river. Drones were seen over Tabqa."
    store.add(Article(text=b, title="River road", source="Euphrates Bulletin", published="2017-03-09"),
              [_m(b, "Raqqa", "Ar Raqqah", 35.95283, 39.00788), _m(b, "Tabqa", "Tabqa", 35.83544, 38.54814)])

    def no_full_read(*args, **kwargs):
        raise AssertionError("the Export page read the whole store (Store.mention_frame)")

    monkeypatch.setattr(Store, "mention_frame", no_full_read)
    return dashboard_store


def test_export_page_uses_the_filtered_map_data(two_sources):
    """Filters from the URL apply; the search matched the article's text (not its title or a place name),
    which the exports' own filtering could not see — the page exports the dashboard's rows as they are."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["sources"] = "Levant Desk"
    at.query_params["query"] = "shelling"
    at.run()
    at.switch_page("pages/export.py").run()
    assert not at.exception
    assert "2 mentions of 2 places in 1 articles" in at.caption[0].value
    payload, name, _ = _prepare(at, "GeoJSON")
    props = {f["properties"]["name"]: f["properties"] for f in json.loads(payload)["features"]}
    assert sorted(props) == ["Hama", "Homs"]
    # The sentence of each mention, cut from the article's text (the map data has none of its own).
    assert props["Homs"]["sentence"] == "Then shelling hit Homs from the north, and a convoy reached Hama."
    assert props["Homs"]["source"] == "Levant Desk" and props["Homs"]["title"] == "Morning report"
    csv_payload, name, _ = _prepare(at, "CSV (lat, lon, WKT)")
    assert name == "conflict-map.csv"
    rows = csv_payload.decode("utf-8-sig").splitlines()
    assert len(rows) == 3 and "Raqqa" not in csv_payload.decode("utf-8-sig")


def test_export_page_uses_the_view_in_the_url(two_sources):
    """The centre and zoom the map left in the URL go into the interactive map the page exports."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["center"] = "35.5000,38.0000"
    at.query_params["zoom"] = "9"
    at.query_params["layers"] = "places"
    at.run()
    at.switch_page("pages/export.py").run()
    assert not at.exception
    assert "centre 35.5000, 38.0000 at zoom 9" in at.caption[1].value
    payload, name, _ = _prepare(at, "Interactive HTML map (opens offline)")
    html = payload.decode("utf-8")
    assert name == "conflict-map.html" and "center: [35.5, 38.0]," in html and '"zoom": 9,' in html  # where it opens
    assert "<b>Morning report</b>" not in html and "Morning report" in html  # headlines as text
