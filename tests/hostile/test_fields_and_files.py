"""Hostile input, round two: values that used to take every page down, leak files or lose good neighbours."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.io.batch import ingest_batch
from geo.io.ingest import (
    IngestError,
    article_from_text,
    articles_from_jsonl_record,
    bounded_lines,
    iter_articles,
    parse_jsonl_line,
    read_article,
    read_file_bytes,
)
from geo.store.frames import _day
from geo.view.state import MapState
from geo.store import Store
from geo.types import Article
from geo.io.validate import FieldError, iso_date, printable

ROOT = Path(__file__).resolve().parents[2]
BODY = "Russian jets struck near Palmyra on Monday, the ministry said."


# ------------------------------------------------------------------ dates that no page could draw


@pytest.mark.parametrize("raw", ["1684-12-31", "2256-01-01", "0001-01-01", "9999-12-31", "2017-13-45",
                                 "2017-02-30", "-1", "05/12/2016", "x" * 100])
def test_a_date_no_page_can_draw_is_refused_at_ingest_with_its_value(raw):
    with pytest.raises(IngestError, match="published"):
        article_from_text(BODY, published=raw)


@pytest.mark.parametrize("raw, day", [("2017-03-02", "2017-03-02"), ("2017-03-02T23:10:00+03:00", "2017-03-02"),
                                      ("Thu, 02 Mar 2017 10:00:00 GMT", "2017-03-02"),
                                      ("2 March 2017", "2017-03-02")])
def test_dates_feeds_write_are_read_as_iso_days(raw, day):
    assert article_from_text(BODY, published=raw).published == day


def test_a_far_date_already_in_a_store_falls_back_to_the_ingest_day():
    published = pd.Series(["1000-01-01", "2017-03-02", "9999-12-31"])
    ingested = pd.Series(pd.to_datetime(["2020-05-01"] * 3, utc=True))
    assert [d.date().isoformat() for d in _day(published, ingested)] == ["2020-05-01", "2017-03-02", "2020-05-01"]


def test_the_store_refuses_what_ingest_would_have_refused(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    for bad in (Article(text=BODY, published="2017-13-45"), Article(text=BODY + "\x00"),
                Article(text=BODY, title="two\nlines")):
        with pytest.raises(FieldError):
            store.add(bad, [])
    assert store.counts()["articles"] == 0


# ------------------------------------------------------------------ share links


@pytest.mark.parametrize("params", [
    {"radius_km": "inf"}, {"radius_km": "nan"}, {"radius_km": "1e999"}, {"min_score": "nan"},
    {"date_from": "-1"}, {"date_to": "2017-13-45"}, {"date_from": "1000-01-01"}, {"zoom": "1e400"},
    {"center": "inf,nan"}, {"selected_at": "1e999,0"},
])
def test_share_link_values_that_used_to_raise_fall_back_to_defaults(params):
    state = MapState.from_query_params(params)
    default = MapState()
    for key in params:
        assert getattr(state, key) == getattr(default, key)


def test_share_link_text_is_one_line_of_plain_text():
    state = MapState.from_query_params({"selected": "Palmyra\n\n![x](http://evil.example/p.png)\x1b[31m"})
    assert "\n" not in state.selected and "\x1b" not in state.selected


# ------------------------------------------------------------------ files: links, /proc, encodings, names


def test_links_in_a_folder_are_reported_not_read(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "real.txt").write_text(BODY, encoding="utf-8")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink("/proc/self/status", folder / "status.txt")
    os.symlink(folder, folder / "loop")  # a folder linked into itself must not loop either
    got = list(iter_articles([folder]))
    articles = [a for a in got if isinstance(a, Article)]
    errors = [str(e) for e in got if isinstance(e, IngestError)]
    assert [a.text for a in articles] == [BODY]
    assert len(errors) == 3 and all("symbolic link" in e for e in errors)
    assert not any("root:" in a.text for a in articles)


def test_a_batch_over_a_folder_of_links_stores_only_the_real_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "real.txt").write_text(BODY, encoding="utf-8")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    store_url = f"sqlite:///{tmp_path / 's.sqlite'}"
    report = ingest_batch([folder], store_url=store_url, scheduler="sync", progress=False)
    assert report.added == 1 and report.failed == 1
    texts = [a.text for a in Store(store_url).articles()]
    assert texts == [BODY]


def test_a_file_whose_size_stat_does_not_tell_is_still_bounded():
    # /proc files report st_size 0; the limit applies to what is read.
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(IngestError, match="over the limit"):
        read_file_bytes(Path("/proc/self/status"), 64)


def test_a_utf16_mark_before_utf8_text_is_not_mojibake(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xff\xfe" + "Frappes près de Palmyre, à l'est de Homs.".encode("utf-8"))
    assert read_article(path).text == "Frappes près de Palmyre, à l'est de Homs."


def test_real_utf16_text_still_reads(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Frappes près de Palmyre.".encode("utf-16"))
    assert read_article(path).text == "Frappes près de Palmyre."


@pytest.mark.parametrize("name", ["line\nbreak.txt", "esc\x1b[2Jclear.txt", "bidi\u202etxt.exe.txt"])
def test_file_names_with_control_codes_are_printed_as_escapes(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(IngestError) as info:
        read_article(path)
    message = str(info.value)
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message
    assert printable(name) in message


# ------------------------------------------------------------------ JSON lines: one bad line fails alone


def _lines(*records: str) -> str:
    return "\n".join(records) + "\n"


def test_a_lone_surrogate_is_stored_as_a_replacement_character_with_offsets_intact():
    rec = parse_jsonl_line('{"text": "Strikes \\ud800 near Palmyra."}', path="x.jsonl", line=1)
    article = articles_from_jsonl_record(rec)
    assert article.text == "Strikes \ufffd near Palmyra."
    assert article.text.index("Palmyra") == rec["text"].index("Palmyra")


def test_a_deeply_nested_value_fails_its_line_only(tmp_path):
    deep = '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / "batch.jsonl"
    good = [json.dumps({"text": f"{BODY} Item {i}."}) for i in range(5)]
    path.write_text(_lines(good[0], deep, good[1], '{"text": "a \\udc00 b near Homs."}', *good[2:]), encoding="utf-8")
    got = list(iter_articles([path]))
    errors = [e for e in got if isinstance(e, IngestError)]
    assert len([a for a in got if isinstance(a, Article)]) == 6
    assert len(errors) == 1 and errors[0].line == 2 and "nested too deeply" in str(errors[0])


def test_a_batch_keeps_the_good_neighbours_of_bad_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    good = [json.dumps({"text": f"{BODY} Report {i}."}) for i in range(20)]
    bad = ['{"text": "x", "n": ' + "[" * 50_000 + "]" * 50_000 + "}", '{"text": "a\\ud800b"}',
           '{"text": "x", "published": "2017-13-45"}', '{"text": "x", "title": {"a": 1}}']
    path.write_text(_lines(*good[:10], *bad, *good[10:]), encoding="utf-8")
    store_url = f"sqlite:///{tmp_path / 's.sqlite'}"
    report = ingest_batch([path], store_url=store_url, scheduler="sync", progress=False, chunk_size=8)
    assert report.added == 21  # the 20 good ones and the one with a surrogate (stored with U+FFFD)
    assert report.failed == 3
    assert all("line 1" in e for e in report.errors)  # each error names its line (11, 13, 14)
    again = ingest_batch([path], store_url=store_url, scheduler="sync", progress=False, chunk_size=8)
    assert again.added == 0 and again.skipped == 21


def test_an_overlong_line_is_never_held_whole():
    stream = io.BytesIO(b'{"text": "a"}\n' + b"x" * 5000 + b"\n" + b'{"text": "b"}\n')
    got = list(bounded_lines(stream, limit=100))
    assert [n for n, _ in got] == [1, 2, 3]
    assert got[1][1] is None
    assert "longer than" in str(parse_jsonl_line(None, path="f.jsonl", line=2))


# ------------------------------------------------------------------ unbounded fields


@pytest.mark.parametrize("field, size", [("title", 1_001), ("title", 50_000_000), ("source", 301), ("url", 4_097)])
def test_oversized_metadata_is_refused_with_its_size(field, size):
    with pytest.raises(IngestError, match=f"{field} is .* characters long"):
        articles_from_jsonl_record({"text": BODY, field: "a" * size})


def test_metadata_is_one_clean_line_and_text_keeps_its_offsets():
    article = articles_from_jsonl_record({"text": "Palmyra\x00 fell.", "title": "Palmyra\n\x1b[31mfalls\u202e",
                                          "source": "  Sputnik \t News "})
    assert article.title == "Palmyra falls" and article.source == "Sputnik News"
    assert article.text == "Palmyra\ufffd fell."


# ------------------------------------------------------------------ the geoparse command applies the same limits


def _geoparse(*args: str, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "geoparse", *args], input=stdin, capture_output=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300)


def test_geoparse_gives_a_message_not_a_traceback_for_bad_json_on_stdin():
    got = _geoparse("-", stdin=b'{"id": 1, "text": "Homs"}\n{bad\n')
    assert got.returncode == 2
    assert b"Traceback" not in got.stderr and b"line 2" in got.stderr


def test_geoparse_applies_the_file_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Palmyra and Homs. " * 70_000)  # 1.26 MB
    got = _geoparse(str(path), env={"CONFLICTMAP_MAX_FILE_MB": "1"})
    assert got.returncode == 2 and b"over the limit" in got.stderr and b"Traceback" not in got.stderr


def test_geoparse_applies_the_text_limit_to_json_lines(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "Homs. " * 2_000}) + "\n", encoding="utf-8")
    got = _geoparse(str(path), env={"CONFLICTMAP_MAX_TEXT_CHARS": "1000"})
    assert got.returncode == 2 and b"over the limit" in got.stderr


def test_iso_date_is_strict_when_asked():
    with pytest.raises(FieldError):
        iso_date("2 March 2017", strict=True)
    assert iso_date("2017-03-02", strict=True) == "2017-03-02"
