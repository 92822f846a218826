"""Hostile input through the dashboard's entry points (Add article: paste and upload; Articles view)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.io.ingest import IngestError
from geo.store import Store
from geo.types import Article
from pages._shared import read_upload

from tests.hostile.payloads import IMG, SCRIPT, SQL

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["../../../etc/passwd.txt", "..\\..\\windows\\win.ini.txt", "/abs/path.html",
                                  "a\x00b.txt", f"{SCRIPT}.txt", "normal.TXT"])
def test_upload_names_cannot_escape_or_inject(tmp_path, name):
    article = read_upload(name, b"Clashes near Homs were reported on Monday by residents.")
    assert "Homs" in article.text
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize("name, data", [("x.exe", b"MZ\x90\x00"), ("x.txt", b"\x00\x01"), ("x.html", b"")])
def test_bad_uploads_give_clear_errors(name, data):
    with pytest.raises(IngestError, match=name.replace(".", r"\.")):
        read_upload(name, data)


@pytest.fixture()
def app(tmp_path, monkeypatch, geoparser):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("CONFLICTMAP_AUTH_FILE", raising=False)
    keep = Article(text="Earlier: clashes near Raqqa.", title="kept")
    Store(url).add(keep, geoparser.parse(keep.text))
    return url, AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


def _rendered_html(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(c.value) for c in at.caption)


@pytest.mark.parametrize("payload", [SCRIPT, IMG, SQL, "`${alert(1)}`"])
def test_pasted_hostile_article_is_shown_escaped_and_saved_verbatim(app, payload):
    url, at = app
    at.run()
    at.switch_page("pages/add_article.py").run()
    at.text_area[0].input(f"{payload} Shelling hit Homs on Monday. {payload} Families fled towards Palmyra.")
    at.text_input[0].input(f"{payload} headline")
    next(b for b in at.button if b.label == "Find places").click().run()
    assert not at.exception
    html = _rendered_html(at)
    assert "<script" not in html.lower() and "onerror=" not in html.replace("onerror=&quot;", "")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    store = Store(url)
    titles = {a.title for a in store.articles()}
    assert f"{payload} headline" in titles and "kept" in titles  # verbatim, and nothing lost
