"""Batch ingest: inputs of every kind, once per article, resumable, in worker processes; never online."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import geo.io.batch
import geo.io.web
from geo.cli import add_batch_arguments, cmd_ingest
from geo.io.batch import BatchReport, ingest_batch
from geo.io.errors import IngestError
from geo.io.feeds import parse_feed
from geo.io.plan import plan
from geo.store import Store
from geo.types import Article
from test_store_backends import store_url  # noqa: F401 - the fixture: a new SQLite and a new PostGIS database

HOMS = "Government forces shelled positions east of Homs on Monday, and a convoy later reached Palmyra."
RAQQA = "Air strikes hit Raqqa overnight; residents fled towards Deir ez-Zor, officials in Damascus said."
KHARKIV = "Russian drones struck Kharkiv on Tuesday while Ukrainian units held positions near Kupiansk."
ALEPPO = "Aid convoys reached Aleppo after fighting eased in the countryside west of the city."
IDLIB = "Shelling was reported near Idlib and in the villages south of Maarat al-Numan."

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Levant Desk</title>
<item><title>Strikes on Raqqa</title><link>https://example.org/raqqa</link>
  <pubDate>Thu, 02 Mar 2017 10:00:00 GMT</pubDate>
  <description>Short teaser.</description>
  <content:encoded><![CDATA[<p>{RAQQA}</p>]]></content:encoded></item>
<item><title>Kharkiv under fire</title><link>https://example.org/kharkiv</link>
  <pubDate>Tue, 07 Mar 2017 08:00:00 +0200</pubDate>
  <description>{KHARKIV}</description></item>
<item><title>Link only</title><link>https://example.org/only-a-link</link></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><title>Aleppo aid</title><link rel="alternate" href="https://example.org/aleppo"/>
  <link rel="enclosure" href="https://example.org/aleppo.jpg"/>
  <updated>2017-04-01T12:00:00Z</updated>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{ALEPPO}</p></div></content></entry>
</feed>
"""

RDF = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>RDF News</title></channel>
<item rdf:about="https://example.org/idlib"><title>Idlib</title><link>https://example.org/idlib</link>
  <dc:date>2017-04-03T09:00:00+03:00</dc:date><description>{IDLIB}</description></item>
</rdf:RDF>
"""


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No test reaches the network: fetching fails loudly unless a test fakes it."""
    def refuse(url, **_kw):
        raise AssertionError(f"the tests must not fetch {url}")

    monkeypatch.setattr(geo.io.web, "fetch_url", refuse)


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "homs.txt").write_text(HOMS, encoding="utf-8")
    (folder / "sub" / "raqqa-copy.md").write_text("  " + RAQQA + "\n", encoding="utf-8")  # also in the feed
    (folder / "sub" / "empty.txt").write_text("", encoding="utf-8")
    (folder / ".hidden.txt").write_text(IDLIB, encoding="utf-8")
    (folder / "notes.csv").write_text("not,an,article", encoding="utf-8")  # not an input type: ignored
    lines = [
        json.dumps({"title": "Homs again", "text": HOMS}),  # the same text as homs.txt
        "",
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"title": "Idlib", "text": IDLIB, "published": "2017-04-03T10:00:00Z"}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "levant.rss").write_text(RSS, encoding="utf-8")
    (folder / "wire.atom").write_text(ATOM, encoding="utf-8")
    (folder / "sources.urls").write_text("# to fetch online\nhttps://example.org/a\nhttps://example.org/b\n")
    return folder


def by_title(store: Store) -> dict[str | None, Article]:
    return {a.title: a for a in store.articles()}


# ----------------------------------------------------------------------------- feeds


def test_parse_rss_atom_and_rdf():
    rss = parse_feed(RSS)
    assert [(e.title, e.link, e.published, e.full, e.source) for e in rss] == [
        ("Strikes on Raqqa", "https://example.org/raqqa", "2017-03-02", True, "Levant Desk"),
        ("Kharkiv under fire", "https://example.org/kharkiv", "2017-03-07", False, "Levant Desk"),
        ("Link only", "https://example.org/only-a-link", None, False, "Levant Desk"),
    ]
    assert RAQQA in rss[0].content and rss[1].content == KHARKIV and rss[2].content is None
    (atom,) = parse_feed(ATOM)
    assert (atom.title, atom.link, atom.published, atom.full, atom.source) == (
        "Aleppo aid", "https://example.org/aleppo", "2017-04-01", True, "Atom Wire")
    assert atom.content == f"<div><p>{ALEPPO}</p></div>"
    (rdf,) = parse_feed(RDF.encode())
    assert (rdf.title, rdf.link, rdf.published, rdf.content, rdf.source) == (
        "Idlib", "https://example.org/idlib", "2017-04-03", IDLIB, "RDF News")


@pytest.mark.parametrize("data, message", [("<rss><channel>", "bad XML"), ("<html><body/></html>", "not an RSS")])
def test_unreadable_feed(data, message):
    with pytest.raises(IngestError, match=message):
        parse_feed(data, "x.rss")


def test_plan_splits_jsonl_into_line_ranges(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"text": f"Shelling in Homs, report {i}."}) + "\n" for i in range(23)))
    chunks, report = plan([path], chunk_size=10)
    assert report.failed == 0
    ranges = [item for chunk in chunks for item in chunk]
    assert [(r.first_line, r.size) for r in ranges] == [(1, 10), (11, 10), (21, 3)]
    data = path.read_bytes()
    assert b"".join(data[r.start : r.end] for r in ranges) == data


# ----------------------------------------------------------------------------- ingest in this process


def test_batch_in_process(inputs, store_url):  # noqa: F811
    report = ingest_batch([inputs], store_url, scheduler="sync", progress=False)
    store = Store(store_url)
    titles = by_title(store)
    # homs.txt, Idlib (JSONL), Raqqa (copy in a .md and in the feed: once), Kharkiv and Aleppo (feeds)
    assert report.added == 5 and store.counts()["articles"] == 5
    assert report.skipped == 2  # Homs again (JSONL), and the second copy of the Raqqa text
    # empty.txt, bad JSON, no text, the link-only feed entry, two URLs of sources.urls
    assert report.failed == 6 and len(report.errors) == 5
    errors = "\n".join(report.errors)
    assert "empty.txt: file is empty" in errors
    assert "batch.jsonl, line 3: bad JSON" in errors and "batch.jsonl, line 4: record has no 'text'" in errors
    assert "levant.rss, entry 3" in errors and "only-a-link" in errors and "fetching from the web is off" in errors
    assert "sources.urls: 2 URL(s) not fetched" in errors
    kharkiv = titles["Kharkiv under fire"]
    assert (kharkiv.text, kharkiv.url, kharkiv.published, kharkiv.source) == (
        KHARKIV, "https://example.org/kharkiv", "2017-03-07", "Levant Desk")
    assert titles["Aleppo aid"].text == ALEPPO and titles["Idlib"].published == "2017-04-03"
    names = {m.name for a in store.articles() for m in store.mentions(a.id)}
    assert {"Homs", "Aleppo"} <= names and any("Kharkiv" in n for n in names)


def test_stored_articles_are_skipped_before_parsing(inputs, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    first = ingest_batch([inputs / "homs.txt", inputs / "levant.rss"], url, scheduler="sync", progress=False)
    assert (first.added, first.skipped, first.failed) == (3, 0, 1)
    parsed = []
    real = geo.io.batch._geoparser

    def counting(index_dir):
        parser = real(index_dir)

        class Counting:
            def parse(self, text):
                parsed.append(text)
                return parser.parse(text)

        return Counting()

    monkeypatch.setattr(geo.io.batch, "_geoparser", counting)
    again = ingest_batch([inputs], url, scheduler="sync", progress=False)  # "resume" with everything
    assert (again.added, again.skipped) == (2, 5)
    assert sorted(parsed) == sorted([IDLIB, ALEPPO])  # only the new ones were parsed
    parsed.clear()
    third = ingest_batch([inputs], url, scheduler="sync", progress=False)
    assert (third.added, third.skipped) == (0, 7) and parsed == []


def test_online_entries_fetch_the_linked_page(tmp_path, monkeypatch):
    """With online=True a summary-only entry is replaced by its page (fetch faked: no network here)."""
    page = f"<html><head><title>Page title</title></head><body><article><p>{HOMS}</p><p>{IDLIB}</p></article></body></html>"
    fetched = []

    def fake_fetch(url, **_kw):
        fetched.append(url)
        return page.encode()

    monkeypatch.setattr(geo.io.web, "fetch_url", fake_fetch)
    feed = tmp_path / "levant.rss"
    feed.write_text(RSS, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    report = ingest_batch([feed], url, scheduler="sync", progress=False, online=True)
    assert sorted(fetched) == ["https://example.org/kharkiv", "https://example.org/only-a-link"]
    assert report.added == 2 and report.skipped == 1  # both links give the same page
    titles = by_title(Store(url))
    assert "Strikes on Raqqa" in titles  # full content in the feed: not fetched
    fetched_title = "Kharkiv under fire" if "Kharkiv under fire" in titles else "Link only"
    assert HOMS in titles[fetched_title].text and titles[fetched_title].source == "Levant Desk"


def test_urls_are_not_fetched_offline(tmp_path):
    report = ingest_batch(["https://example.org/feed.xml"], f"sqlite:///{tmp_path / 'db.sqlite'}",
                          scheduler="sync", progress=False)
    assert (report.added, report.failed) == (0, 1)
    assert "https://example.org/feed.xml: not fetched" in report.errors[0]


def test_bad_arguments(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    with pytest.raises(ValueError, match="scheduler"):
        ingest_batch([], url, scheduler="localhost")
    with pytest.raises(ValueError, match="workers"):
        ingest_batch([], url, workers=0)
    assert ingest_batch([], url, progress=False) == BatchReport()


# ----------------------------------------------------------------------------- dask


def _parser_builds() -> int:
    from geo.parse.pipeline import default_geoparser

    return default_geoparser.cache_info().misses


def test_batch_on_a_dask_cluster(inputs, store_url):  # noqa: F811
    """Two worker processes (scheduler given by address): the same result as in process."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        report = ingest_batch([inputs], store_url, scheduler=cluster.scheduler_address, progress=False,
                              chunk_size=2)
        builds = client.run(_parser_builds)
    assert (report.added, report.skipped, report.failed) == (5, 2, 6)
    assert Store(store_url).counts()["articles"] == 5
    assert all(n <= 1 for n in builds.values()) and sum(builds.values()) >= 1  # at most once per worker


def test_batch_on_a_local_cluster_and_resume(inputs, tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    report = ingest_batch([inputs], url, workers=2, progress=False, chunk_size=3)
    assert (report.added, report.skipped, report.failed) == (5, 2, 6)
    again = ingest_batch([inputs], url, workers=2, progress=False)
    assert (again.added, again.skipped, again.failed) == (0, 7, 6)


def _ingest_in_process(paths: list[str], url: str, barrier, results) -> None:
    barrier.wait(timeout=60)
    report = ingest_batch(paths, url, scheduler="sync", progress=False, chunk_size=2)
    results.put((report.added, report.skipped, report.failed))


def test_two_batches_of_the_same_inputs_at_once(inputs, store_url):  # noqa: F811
    import multiprocessing

    Store(store_url)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_ingest_in_process, args=([str(inputs)], store_url, barrier, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert sum(added for added, _, _ in got) == 5  # each article stored by one of them
    assert [added + skipped for added, skipped, _ in got] == [7, 7] and [f for _, _, f in got] == [6, 6]
    assert Store(store_url).counts()["articles"] == 5


# ----------------------------------------------------------------------------- command line


def test_cli_arguments(inputs, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--db")
    add_batch_arguments(parser)
    args = parser.parse_args([str(inputs / "homs.txt"), str(inputs / "batch.jsonl"), "--db",
                              f"sqlite:///{tmp_path / 'db.sqlite'}", "--scheduler", "sync"])
    assert (args.workers, args.scheduler, args.online) == (None, "sync", False)
    assert cmd_ingest(args) == 0
    err = capsys.readouterr().err
    assert "2 added, 1 already stored, 2 failed" in err and "batch.jsonl, line 3: bad JSON" in err
    with pytest.raises(SystemExit):
        parser.parse_args(["x", "--workers", "0"])
    only_bad = parser.parse_args([str(inputs / "sub" / "empty.txt"), "--db", f"sqlite:///{tmp_path / 'db.sqlite'}"])
    assert cmd_ingest(only_bad) == 1
    missing_index = parser.parse_args([str(inputs / "homs.txt"), "--db", f"sqlite:///{tmp_path / 'db.sqlite'}"])
    missing_index.scheduler = "sync"
    orig = geo.io.batch._default_index
    geo.io.batch._default_index = lambda: tmp_path / "no-index"
    try:
        assert cmd_ingest(missing_index) == 2
    finally:
        geo.io.batch._default_index = orig
    assert "gazetteer index not found" in capsys.readouterr().err
