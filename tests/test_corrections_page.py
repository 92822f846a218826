"""An editor drops a false place on the Articles page: saved, audited, shown to everyone."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.store import Store
from geo.types import Article

ROOT = Path(__file__).resolve().parents[1]


def test_editor_drops_a_false_place(dashboard_store, geoparser):
    url = dashboard_store
    article = Article(text="Shelling hit Homs and clashes continued near Palmyra.", title="report")
    Store(url).add(article, geoparser.parse(article.text))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/articles.py").run()
    assert not at.exception
    mention = next(s for s in at.selectbox if s.key == "fix_mention")
    mention.select(0).run()  # Homs
    next(s for s in at.selectbox if s.key == "fix_choice").select(0).run()  # Not a place
    next(b for b in at.button if b.key == "fix_save").click().run()
    assert not at.exception
    store = Store(url)
    assert [m.text for m in store.mentions(article.id)] == ["Palmyra"]
    log = store.audit_log()
    assert (log["action"] == "edit").any()
