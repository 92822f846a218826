"""Ingest: scraped text loses its page furniture, HTML gives text and metadata, bad input fails clearly."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from geo.io import ingest
from geo.io.ingest import (
    IngestError,
    article_from_html,
    article_from_text,
    articles_from_jsonl_record,
    iter_articles,
    iter_jsonl,
    read_article,
)

SEED = Path(__file__).parents[1].parent / "shared" / "seed" / "sputnik_palmyra_2017.txt"

PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Convoy shelled on the road to Homs | Test Herald</title>
<meta property="og:site_name" content="Test Herald">
<meta property="og:title" content="Convoy shelled on the road to Homs">
<meta property="article:published_time" content="2017-04-11T08:30:00Z">
<script>var tracking = "HEAD_SCRIPT_MARKER";</script>
<style>.nav { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a> <a href="/m">Mosul live</a></nav>
<article>
<h1>Convoy shelled on the road to Homs</h1>
<p>A convoy of twelve lorries that had left Damascus at dawn was hit by mortar rounds near Qusayr
on Tuesday, a local council member said, and two of the vehicles caught fire.</p>
<script>document.write("BODY_SCRIPT_MARKER");</script>
<p>The drivers abandoned the damaged lorries and the rest of the convoy returned south. Officials said
the route would stay closed until engineers had cleared the verge of unexploded shells.</p>
</article>
<footer>Copyright 2017 Test Herald. <a href="/privacy">Privacy</a> Footer text about Beirut offices.</footer>
</body></html>
"""


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("shared seed article not available")
    return SEED.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- scraped text


def test_seed_page_title_site_and_body(seed_text):
    article = read_article(SEED)
    assert "Leaving Raqqa Behind" in article.title
    assert article.source == "Sputnik International"
    assert article.text.startswith("Daesh fighters have been increasingly active")
    assert article.text.rstrip().endswith("a major industrial center.")


def test_seed_page_loses_every_furniture_line(seed_text):
    text = read_article(SEED).text
    lines = set(text.split("\n"))
    for furniture in ("World", "Subscribe", "Newsfeed", "0", "loader", "Chats", "log in or register"):
        assert furniture not in lines
    for fragment in (
        "Get the latest news",
        "©",
        "REUTERS",
        "- Sputnik International",
        "Never miss a story",
        "To participate in the discussion",
        "US Has No Troops",  # related-story teaser
        "Admiral Essen",  # teaser caption
        "Leaving Raqqa Behind",  # the headline is the title, not body text
    ):
        assert fragment not in text, fragment
    assert not any("\u0400" <= c <= "\u04ff" for c in text)  # the trailing line in another script


def test_seed_page_keeps_paragraphs(seed_text):
    paragraphs = read_article(SEED).text.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[-2].startswith("Recapturing Palmyra would also allow Daesh")
    assert "Tiyas military air base" in paragraphs[-1]


def test_plain_paragraphs_come_back_unchanged():
    text = (
        "Shelling hit the eastern districts of Homs overnight, residents said.\n\n"
        "A convoy left Damascus for Aleppo later in the day: it was escorted by troops.\n"
        "Nobody claimed the attack"
    )
    article = article_from_text(f"\n  {text}  \n\n")
    assert article.text == text
    assert article.title is None and article.source is None


def test_headline_line_becomes_title_and_given_metadata_wins():
    text = "Clashes reported near Hama\n\nFighting resumed north of Hama on Monday, a monitoring group said."
    found = article_from_text(text)
    assert found.title == "Clashes reported near Hama"
    assert found.text == "Fighting resumed north of Hama on Monday, a monitoring group said."
    given = article_from_text(text, title="My title", source="Desk", published="2017-05-01")
    assert (given.title, given.source, given.published) == ("My title", "Desk", "2017-05-01")
    assert given.text == found.text


def test_clean_text_keeps_short_lines_and_title_case_subheadings():
    body = (
        "Fighting resumed north of Hama on Monday, a monitoring group said.\n\n"
        "Villages Under Fire Near The Front\n\n"
        "Shells fell on these villages overnight:\n"
        "- Mhardeh\n"
        "- Suran\n\n"
        "Reporting by the Hama desk"
    )
    article = article_from_text("# Clashes near Hama\n\n" + body)
    assert article.title == "Clashes near Hama"
    assert article.text == body


def test_general_rules_on_an_invented_page():
    page = "\n".join(
        [
            "- Test Herald",
            "Middle East",
            "Three killed as shells hit market in Idlib",
            "Photo: a street in Idlib after the shelling",
            "A street in Idlib after the shelling - Test Herald",
            "Share",
            "Three people were killed when shells hit a busy market in Idlib on Friday, rescuers said.",
            "Army Says Rebels Fired From Hills Above Jisr al-Shughur",
            "Русская версия",
            "The army denied responsibility and blamed armed groups in the hills to the west of the city.",
            "",
            "“We will not leave our homes,” a stallholder told reporters.",
            "",
            "“We will not leave our homes,” a stallholder told reporters.",
            "Read more",
            "12",
            "Comments",
            "Editing by Sam Roe",
        ]
    )
    article = article_from_text(page)
    assert article.title == "Three killed as shells hit market in Idlib"
    assert article.source == "Test Herald"
    assert article.text == (
        "Three people were killed when shells hit a busy market in Idlib on Friday, rescuers said.\n\n"
        "The army denied responsibility and blamed armed groups in the hills to the west of the city.\n\n"
        "“We will not leave our homes,” a stallholder told reporters."
    )


def test_empty_text_is_an_error():
    with pytest.raises(IngestError, match="no text"):
        article_from_text(" \n\t ")


# --------------------------------------------------------------------------- HTML


def test_html_page_gives_metadata_and_main_text():
    article = article_from_html(PAGE, url="https://example.org/demo/convoy")
    assert article.title == "Convoy shelled on the road to Homs"
    assert article.published == "2017-04-11"
    assert article.source == "Test Herald"
    assert article.url == "https://example.org/demo/convoy"
    assert article.language == "en"
    assert article.text.startswith("A convoy of twelve lorries that had left Damascus at dawn")
    assert "\n\nThe drivers abandoned the damaged lorries" in article.text
    for leaked in ("SCRIPT_MARKER", "color: red", "Log in", "Mosul live", "Copyright", "Beirut"):
        assert leaked not in article.text, leaked


def test_html_date_is_not_guessed_from_a_copyright_line():
    page = PAGE.replace('<meta property="article:published_time" content="2017-04-11T08:30:00Z">', "")
    assert "published_time" not in page and "Copyright 2017" in page
    assert article_from_html(page).published is None


def test_html_bytes_work_like_text():
    assert article_from_html(PAGE.encode("utf-8")).text == article_from_html(PAGE).text


def test_html_without_main_text_is_an_error():
    with pytest.raises(IngestError, match="no text"):
        article_from_html("<html><head><script>run()</script></head><body><script>x()</script></body></html>")


def test_html_fallback_uses_visible_body_text(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    html = (
        "<html><head><title>Fallback page</title><style>p{}</style></head><body>"
        "<script>hidden()</script><p>Shelling was reported near Raqqa on Monday by residents.</p>"
        "<div>Aid groups said the road to Tabqa stayed open.</div></body></html>"
    )
    article = article_from_html(html)
    assert article.title == "Fallback page"
    assert article.text == (
        "Shelling was reported near Raqqa on Monday by residents.\n\nAid groups said the road to Tabqa stayed open."
    )


# --------------------------------------------------------------------------- files


def test_read_article_txt_and_html(tmp_path):
    (tmp_path / "a.txt").write_text("Shelling hit Homs overnight, residents said on Monday.\n", encoding="utf-8")
    (tmp_path / "b.htm").write_text(PAGE, encoding="utf-8")
    assert read_article(tmp_path / "a.txt").text == "Shelling hit Homs overnight, residents said on Monday."
    assert read_article(tmp_path / "b.htm").source == "Test Herald"


def test_read_article_decodes_bom_and_cp1252(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffFighting near Deir ez-Zor continued on Sunday.".encode("utf-8"))
    assert read_article(bom).text == "Fighting near Deir ez-Zor continued on Sunday."
    legacy = tmp_path / "legacy.txt"
    sentence = "The café near the souk in Aleppo was hit by a shell on Monday, residents said – the second time this week."
    legacy.write_bytes(sentence.encode("cp1252"))
    assert read_article(legacy).text == sentence


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(IngestError, match="binary") as err:
        read_article(path)
    assert "photo.txt" in str(err.value)


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(IngestError, match="empty") as err:
        read_article(path)
    assert "empty.txt" in str(err.value)


def test_oversize_file_is_rejected(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("Homs. " * 100, encoding="utf-8")
    with pytest.raises(IngestError, match="over the limit of 100 bytes") as err:
        read_article(path, max_bytes=100)
    assert "big.txt" in str(err.value)
    monkeypatch.setattr(ingest, "MAX_BYTES", 100)
    errors = list(iter_articles([path], max_bytes=ingest.MAX_BYTES))
    assert isinstance(errors[0], IngestError)


def test_unsupported_suffix_is_rejected(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(IngestError, match="unsupported file type '.pdf'") as err:
        read_article(path)
    assert "report.pdf" in str(err.value)


def test_missing_file_is_rejected(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        read_article(tmp_path / "nope.txt")


# --------------------------------------------------------------------------- JSON lines


def test_iter_jsonl_skips_blank_lines_and_reads_streams(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "one"}\n\n   \n{"text": "two"}\n', encoding="utf-8")
    assert [r["text"] for r in iter_jsonl(path)] == ["one", "two"]
    assert [r["text"] for r in iter_jsonl(str(path))] == ["one", "two"]
    assert [r["text"] for r in iter_jsonl(io.StringIO('{"text": "three"}\n'))] == ["three"]


def test_iter_jsonl_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n\n{"text": "broken"\n', encoding="utf-8")
    records = iter_jsonl(path)
    assert next(records) == {"text": "ok"}
    with pytest.raises(IngestError) as err:
        next(records)
    assert err.value.line == 3
    assert "bad.jsonl, line 3" in str(err.value) and "bad JSON" in str(err.value)


def test_iter_jsonl_rejects_non_objects():
    with pytest.raises(IngestError, match="line 2: expected a JSON object, got list"):
        list(iter_jsonl(io.StringIO('{"text": "ok"}\n[1, 2]\n')))


def test_jsonl_record_keeps_text_verbatim_and_metadata():
    text = "  Aleppo\nwas shelled.  "
    article = articles_from_jsonl_record(
        {"text": text, "title": "T", "source": "S", "url": "https://example.org/x", "date": "2017-03-01T10:00"}
    )
    assert article.text == text  # offsets given against it stay valid
    assert (article.title, article.source, article.url, article.published) == (
        "T",
        "S",
        "https://example.org/x",
        "2017-03-01",
    )


def test_jsonl_record_with_html_and_without_text():
    article = articles_from_jsonl_record({"html": PAGE, "source": "Given outlet"})
    assert article.title == "Convoy shelled on the road to Homs"
    assert article.source == "Given outlet"
    assert "Qusayr" in article.text
    with pytest.raises(IngestError, match="no 'text'"):
        articles_from_jsonl_record({"title": "only a title"})


# --------------------------------------------------------------------------- batches


def test_folder_iteration_yields_errors_without_stopping(tmp_path):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Clashes continued near Palmyra on Monday, officials said.", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\x00\x01binary")
    (folder / "c.txt").write_text("", encoding="utf-8")
    (folder / "sub" / "d.html").write_text(PAGE, encoding="utf-8")
    lines = [
        json.dumps({"text": "Air strikes were reported in Raqqa."}),
        "{not json",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "Shelling was reported in Idlib."}),
    ]
    (folder / "sub" / "e.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "notes.csv").write_text("ignored,file\n", encoding="utf-8")

    results = list(iter_articles([folder, tmp_path / "missing.txt"]))

    texts = [r.text for r in results if not isinstance(r, IngestError)]
    errors = [str(r) for r in results if isinstance(r, IngestError)]
    assert texts == [
        "Clashes continued near Palmyra on Monday, officials said.",
        read_article(folder / "sub" / "d.html").text,
        "Air strikes were reported in Raqqa.",
        "Shelling was reported in Idlib.",
    ]
    assert len(errors) == 5
    assert any("b.txt" in e and "binary" in e for e in errors)
    assert any("c.txt" in e and "empty" in e for e in errors)
    assert any("e.jsonl, line 2" in e and "bad JSON" in e for e in errors)
    assert any("e.jsonl, line 3" in e and "no 'text'" in e for e in errors)
    assert any("missing.txt" in e and "no such file" in e for e in errors)
