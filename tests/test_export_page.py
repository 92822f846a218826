"""The Export page turns what the map shows into a file to download."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.store import Store
from geo.types import Article

ROOT = Path(__file__).resolve().parents[1]


def test_export_page_prepares_geojson(dashboard_store, geoparser):
    url = dashboard_store
    article = Article(text="Shelling hit Homs and clashes continued near Palmyra.", title="<b>t</b>")
    Store(url).add(article, geoparser.parse(article.text))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/export.py").run()
    assert not at.exception
    at.selectbox[0].select("GeoJSON").run()
    next(b for b in at.button if b.label == "Prepare file").click().run()
    assert not at.exception
    payload, name, mime = at.session_state["cm_export"]
    assert name == "conflict-map.geojson" and b"Homs" in payload
