"""Dashboard pages run headless (AppTest) against a temporary SQLite store and a fake geoparser."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import pages._shared as shared
from geo.ingest import IngestError
from geo.store import Store
from geo.types import Article, ResolvedMention

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")
XSS = "<script>alert(1)</script>"

PLACES = {
    "Homs": (34.72405, 36.72559, "city", "SY"),
    "Palmyra": (34.5624, 38.28402, "city", "SY"),
    "Shayrat": (34.4903, 36.909, "air base", "SY"),
}


def fake_parse(text: str) -> list[ResolvedMention]:
    """Every occurrence of a known name, resolved to its one place."""
    found = []
    for name, (lat, lon, feature, country) in PLACES.items():
        start = text.find(name)
        while start >= 0:
            found.append(ResolvedMention(start, start + len(name), name, name, lat, lon, feature, country, None, 0.9))
            start = text.find(name, start + 1)
    return sorted(found, key=lambda m: m.start)


class FakeGeoparser:
    def parse(self, text: str) -> list[ResolvedMention]:
        return fake_parse(text)


def _add(store: Store, text: str, **meta) -> Article:
    article = Article(text=text, **meta)
    store.add(article, fake_parse(text))
    return article


@pytest.fixture()
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'pages.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(shared, "get_geoparser", lambda: FakeGeoparser())
    return url


@pytest.fixture()
def filled(db_url) -> Store:
    store = Store(db_url)
    _add(
        store,
        f"Jets struck near Homs at dawn. Later, troops moved towards Palmyra. {XSS}",
        title=f"Strikes {XSS}",
        source="Demo Wire",
        published="2017-04-07",
        url="https://example.org/a",
    )
    _add(store, "Missiles hit Shayrat air base south-east of Homs.", title="Shayrat hit", source="Levant Desk")
    return store


def _app(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_map_page_with_an_empty_store(db_url):
    at = _app()
    assert any("No articles yet" in i.value for i in at.info)
    assert [m.value for m in at.sidebar.metric] == ["0", "0", "0"]


def test_map_page_shows_places_table_and_map(filled):
    at = _app()
    assert [m.value for m in at.sidebar.metric] == ["2", "4", "3"]
    table = at.dataframe[0].value
    assert set(table["name"]) == set(PLACES)
    assert table.set_index("name").loc["Homs", "mentions"] == 2
    assert "Air bases and airports" in [t.label for t in at.sidebar.toggle]
    assert any("pages.sqlite" in c.value for c in at.sidebar.caption)


def test_map_page_centres_on_query_place(filled):
    at = _app(place="Palmyra", lat="34.56240", lon="38.28402")
    assert any("Centred on Palmyra" in c.value for c in at.caption)
    at.button(key="map_show_all").click().run()
    assert not at.exception
    assert not any("Centred on" in c.value for c in at.caption)


def test_map_page_filters_place_types(filled):
    at = _app()
    at.sidebar.multiselect(key="map_features").set_value(["air base"]).run()
    assert list(at.dataframe[0].value["name"]) == ["Shayrat"]


def test_articles_page_marks_places_and_links_to_map(filled):
    at = _app(shared.ARTICLES_PAGE)
    choice = at.selectbox(key="article_choice")
    assert len(choice.options) == 2
    strikes = next(i for i, o in enumerate(choice.options) if o.startswith("Strikes"))
    choice.select_index(strikes).run()
    text = _markdown(at)
    assert ">Homs</mark>" in text and ">Palmyra</mark>" in text
    assert XSS not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    assert set(links) == {"Homs · city", "Palmyra · city"}
    assert links["Palmyra · city"].page == ""  # the Map page is the default page, served at /
    assert links["Palmyra · city"].query_string == "place=Palmyra&lat=34.56240&lon=38.28402"


def test_articles_page_selects_from_query(filled):
    first, older = filled.articles()  # newest first; the query must win over the default
    at = _app(shared.ARTICLES_PAGE, article=older.id)
    assert at.selectbox(key="article_choice").value == older.id


def test_articles_page_without_articles(db_url):
    at = _app(shared.ARTICLES_PAGE)
    assert any("No articles stored yet" in i.value for i in at.info)


def test_add_article_preview_then_save_then_duplicate(db_url):
    at = _app(shared.ADD_PAGE)
    text = "Shelling hit Homs overnight, and later Palmyra, officials said."
    at.text_area(key="add_text").input(text)
    at.text_input(key="add_title").input("Overnight shelling")
    at.button[0].click().run()  # "Find places" of the paste form
    assert not at.exception
    assert "pending" in at.session_state
    preview = at.dataframe[0].value
    assert set(preview["name"]) == {"Homs", "Palmyra"}
    assert Store(db_url).counts()["articles"] == 0  # nothing stored before Save
    at.button(key="add_save").click().run()
    assert any("Saved with 2 places" in s.value for s in at.success)
    assert at.sidebar.metric[0].value == "1"  # the sidebar counts the new article at once
    assert "pending" not in at.session_state
    assert Store(db_url).articles()[0].title == "Overnight shelling"

    at.text_area(key="add_text").input(text)
    at.button[0].click().run()
    assert any("already stored" in i.value for i in at.info)


def test_add_article_reports_ingest_errors(db_url):
    at = _app(shared.ADD_PAGE)
    at.text_area(key="add_text").input("Shelling hit Homs overnight.")
    at.button[0].click().run()
    assert "pending" in at.session_state
    at.text_area(key="add_text").input("   ")
    at.button[0].click().run()
    assert not at.exception
    assert any("Cannot use this text" in e.value for e in at.error)
    assert "pending" not in at.session_state


def test_public_url_hides_the_password():
    shown = shared.public_url("postgresql://conflict:s3cret@db.example:5432/conflictmap")
    assert "s3cret" not in shown and "conflict" in shown and "***" in shown


def test_parse_focus_rejects_bad_coordinates():
    assert shared.parse_focus({"lat": "34.5", "lon": "38.2"}) == (34.5, 38.2)
    assert shared.parse_focus({"lat": "x", "lon": "1"}) is None
    assert shared.parse_focus({"lat": "95", "lon": "1"}) is None
    assert shared.parse_focus({}) is None



def test_read_upload_html_and_errors():
    page = b"<html><head><title>Strike on Homs</title></head><body><article><h1>Strike on Homs</h1>" + (
        b"<p>Jets struck a depot on the edge of Homs on Tuesday, residents said, and smoke rose for hours.</p>"
        b"<p>Officials in the city said repairs to the power lines would take several days to finish.</p>"
    ) + b"</article></body></html>"
    article = shared.read_upload("report.HTML", page)
    assert "Jets struck a depot" in article.text and article.title == "Strike on Homs"
    with pytest.raises(IngestError, match="notes.txt: file is empty"):
        shared.read_upload("notes.txt", b"  \n")
    with pytest.raises(IngestError, match="data.pdf"):
        shared.read_upload("data.pdf", b"%PDF-1.4")
