"""Hostile input through ingest, geoparse and the store: clear errors, nothing executes, nothing lost."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.config import ROOT
from geo.io.ingest import IngestError, article_from_html, article_from_text, iter_articles, iter_jsonl, read_article
from geo.store import Store
from geo.types import Article

from tests.hostile.payloads import MARKUP, RTL, SQL, ZERO_WIDTH

BODY = "Shelling hit the outskirts of Homs on Monday, residents said, and families fled towards Palmyra."


@pytest.fixture()
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture()
def store(db_url, geoparser):
    s = Store(db_url)
    keep = Article(text="Earlier report: clashes near Raqqa.", title="kept")
    s.add(keep, geoparser.parse(keep.text))
    return s


def _intact(store: Store) -> None:
    assert any(a.title == "kept" for a in store.articles())
    assert store.counts()["articles"] >= 1


@pytest.mark.parametrize("payload", MARKUP + [SQL])
@pytest.mark.parametrize("field", ["title", "source", "url", "text"])
def test_markup_in_every_field_is_stored_verbatim(store, geoparser, payload, field):
    kw = {"title": "t", "source": "s", "url": "https://example.org/a", "text": BODY}
    kw[field] = payload + " " + kw[field] if field == "text" else payload
    article = Article(**kw)
    assert store.add(article, geoparser.parse(article.text))
    back = store.article(article.id)
    assert getattr(back, field) == kw[field]  # verbatim: escaping is the renderer's job
    _intact(store)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\t  ", "empty"),
        ("binary.txt", b"\x00\x01\x02\x03PK\x03\x04" * 100, "binary"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("script_only.html", b"<html><head><script>alert(1)</script></head><body></body></html>", "no text"),
    ],
)
def test_broken_files_give_clear_errors(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=message):
        read_article(path)


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.html"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # a 50 MB page
    with pytest.raises(IngestError, match="over the limit"):
        read_article(path)


def test_text_over_the_length_limit_is_refused():
    with pytest.raises(IngestError, match="over the limit"):
        article_from_text("Fighting near Homs. " * 120_000)


def test_deeply_nested_html_does_not_crash():
    html = "<html><body>" + "<div>" * 3000 + "<p>Shelling hit Homs on Monday, residents of the city said.</p>" + \
        "</div>" * 3000 + "</body></html>"
    try:
        article = article_from_html(html)
    except IngestError as e:
        assert str(e)  # a clear message, not a traceback
    else:
        assert "Homs" in article.text


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>Shelling hit Homs <b>on Monday<p>unclosed <i>tags near Palmyra",
        "<p>Clashes near Aleppo</p></div></div></span></body></html></html>",
        "<!-- <p>hidden</p> --><p>Air strikes near Idlib were reported by residents of several villages.</p>",
        "<html><body onload=alert(1)><p onclick=alert(1)>Clashes near Hama were reported on Monday by residents.</p></body></html>",
        "<html><body><p>Fighting near Raqqa <a href='javascript:alert(1)'>link</a> went on all night, residents said.</p></body></html>",
    ],
)
def test_malformed_and_scripted_html_keeps_text_not_code(html):
    article = article_from_html(html)
    assert article.text
    for bad in ("<script", "onload", "onclick", "javascript:"):
        assert bad not in article.text


@pytest.mark.parametrize(
    "raw, expect",
    [
        ("Clashes near Homs and Hama, résidents à Alep.".encode("cp1252"), "Homs"),
        ("Clashes near Homs and Hama, résidents à Alep.".encode("latin-1"), "Hama"),
        ("\ufeffClashes near Homs.".encode("utf-8"), "Homs"),
        ("Clashes near Homs.".encode("utf-16"), "Homs"),
        ("اشتباكات عنيفة في حمص وريف حلب، حسب مصادر محلية.".encode("utf-8"), "حمص"),
        ("Бои продолжаются под Бахмутом и в Харькове, сообщили военные.".encode("utf-8"), "Бахмут"),
        ("Бои под Бахмутом, сообщили военные источники в регионе.".encode("cp1251"), "Бахмут"),
    ],
)
def test_encodings_are_decoded(tmp_path, raw, expect):
    path = tmp_path / "article.txt"
    path.write_bytes(raw)
    assert expect in read_article(path).text


def test_mixed_encodings_in_one_file_do_not_crash(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Clashes near Homs. ".encode() + "résidents à Alep".encode("latin-1") + " Бои".encode())
    try:
        article = read_article(path)
    except IngestError as e:
        assert "decode" in str(e) or "encoding" in str(e)
    else:
        assert "Homs" in article.text


@pytest.mark.parametrize("text", [ZERO_WIDTH, RTL, "Homs\x00Hama\x07", "Pal\u0301myra " * 50, "🔥 Homs 🔥" * 20])
def test_odd_characters_keep_offsets_valid(geoparser, text):
    for m in geoparser.parse(text):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(
    "line",
    ['{"text": 5}', '[1, 2, 3]', '"just a string"', '{"text": "ok", "title": {"nested": 1}}', "{bad json"],
)
def test_bad_jsonl_lines_are_reported_with_their_number(tmp_path, line):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "Clashes near Homs were reported."}\n' + line + "\n", encoding="utf-8")
    items = list(iter_articles([path]))
    assert isinstance(items[0], Article)
    if isinstance(items[-1], IngestError):
        assert "line 2" in str(items[-1])


def test_a_folder_with_bad_files_loses_none_of_the_good_ones(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00" * 64)
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "evil name;rm -rf $(id) `x`.txt").write_text("Clashes near Aleppo were reported overnight.", encoding="utf-8")
    items = list(iter_articles([tmp_path]))
    good = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, IngestError)]
    assert len(good) == 2 and len(bad) == 2


def test_cli_ingest_of_a_hostile_folder_keeps_the_store(tmp_path, store, db_url):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.html").write_text(f"<html><head><title>{MARKUP[0]}</title></head><body><p>{BODY}</p></body></html>",
                                   encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x00")
    res = subprocess.run([sys.executable, "-m", "geo", "ingest", str(folder), "--db", db_url],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "1 added" in res.stderr and "1 failed" in res.stderr and "Traceback" not in res.stderr
    _intact(store)


def test_jsonl_stdin_with_hostile_text_round_trips_offsets():
    doc = {"id": "x", "text": f"{MARKUP[0]} Shelling hit Homs. {SQL} Clashes near Palmyra."}
    res = subprocess.run([sys.executable, "-m", "geo", "geoparse", "-"], input=json.dumps(doc) + "\n", cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0
    out = json.loads(res.stdout)
    assert {m["text"] for m in out["mentions"]} >= {"Homs", "Palmyra"}
    for m in out["mentions"]:
        assert doc["text"][m["start"]:m["end"]] == m["text"]


def test_iter_jsonl_rejects_nul_and_keeps_going(tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_text('{"text": "a\\u0000b near Homs"}\n{"text": "Clashes near Hama."}\n', encoding="utf-8")
    recs = list(iter_jsonl(path))
    assert len(recs) == 2


def test_serving_is_hardened():
    import tomllib

    from geo.limits import MAX_FILE_BYTES

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["enableCORS"] is True  # false switches the origin check off
    assert cfg["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["browser"]["gatherUsageStats"] is False
