"""The sidebar's language filter (languages detected at ingest) narrows what every page shows."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.io.ingest import article_from_text
from geo.store import Store

ROOT = Path(__file__).resolve().parents[1]


def test_language_filter(dashboard_store, geoparser):
    url = dashboard_store
    store = Store(url)
    for text in ("Shelling hit Homs on Monday and families fled towards Palmyra, residents said.",
                 "اشتباكات عنيفة في دير الزور وريف حلب، حسب مصادر محلية يوم الاثنين."):
        article = article_from_text(text)
        store.add(article, geoparser.parse(article.text))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/articles.py").run()
    assert not at.exception
    languages = next(m for m in at.sidebar.multiselect if m.label == "Languages")
    assert set(languages.options) == {"ar", "en"}
    languages.select("ar").run()
    assert not at.exception
    assert any("1 of 2 articles" in c.value for c in at.caption)
