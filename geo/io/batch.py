"""Batch ingest: many articles geoparsed in parallel on dask and stored once each.

    inputs ──(this process: list files, split JSONL, read feeds)──> chunks of work items
    chunk ──(a worker: read → skip what is stored → geoparse → store)──> BatchReport

Inputs are files (.txt/.md/.html), folders (searched recursively), JSONL files, RSS/Atom feed files
(.rss/.atom/.xml), and, only with ``online=True``, http(s) URLs of pages or feeds and ``.urls`` files (one
URL a line). Work items only say where an article is (a path, a range of JSONL lines, a feed entry), so
workers read the files themselves: with a remote scheduler the paths must exist on the workers too.

Each chunk's articles are committed together when the chunk is done, and articles whose content hash
is stored already are skipped before they are parsed, so an interrupted batch is resumed by running it
again (losing at most the chunks that were in progress). Each worker process builds its geoparser once
(``geo.parse.pipeline.default_geoparser``) and keeps one Store per URL.

The caller-facing entry points are ``ingest_batch`` and, for ``python -m geo ingest``,
``add_batch_arguments`` + ``run_batch_from_args``.
"""

from __future__ import annotations

import argparse
import email.utils
import logging
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.events.extract import extract_events
from geo.io.ingest import (
    ARTICLE_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_BYTES,
    IngestError,
    article_from_html,
    articles_from_jsonl_record,
    bounded_lines,
    expand_paths,
    parse_jsonl_line,
    read_article,
)
from geo.types import Article
from geo.io.validate import printable

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
URL_LIST_SUFFIXES = frozenset({".urls"})
BATCH_SUFFIXES = ARTICLE_SUFFIXES | FEED_SUFFIXES | URL_LIST_SUFFIXES
CHUNK_SIZE = 100  # articles per task (and per transaction): large enough to hide dask's overhead, small enough to balance
FETCH_TIMEOUT = 30  # seconds
_OFFLINE = "not fetched: fetching from the web is off (pass online=True, or --online)"


@dataclass
class BatchReport:
    """What a batch did: articles added, already stored (skipped), failed, and why each failure failed."""

    added: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def merge(self, other: BatchReport) -> None:
        self.added += other.added
        self.skipped += other.skipped
        self.failed += other.failed
        self.errors.extend(other.errors)

    def fail(self, message: str, n: int = 1) -> None:
        self.failed += n
        self.errors.append(message)

    def summary(self) -> str:
        return f"{self.added} added, {self.skipped} already stored, {self.failed} failed"


# --------------------------------------------------------------------------- work items


@dataclass(frozen=True)
class _File:
    path: str
    size: int = 1


@dataclass(frozen=True)
class _JsonlLines:
    """Lines first_line.. of a JSONL file, bytes start:end (whole lines)."""

    path: str
    first_line: int
    start: int
    end: int
    size: int


@dataclass(frozen=True)
class _Record:
    """A record as in a JSONL file ("text" or "html" plus metadata), here from a feed entry."""

    record: tuple[tuple[str, str], ...]
    where: str
    size: int = 1


@dataclass(frozen=True)
class _Url:
    """A page to fetch (online only); meta (title, published, source, from a feed) wins over the page's."""

    url: str
    where: str
    meta: tuple[tuple[str, str], ...] = ()
    size: int = 1


@dataclass(frozen=True)
class _Page:
    """A page fetched already (by the planner, to tell a feed from a page)."""

    url: str
    html: bytes
    size: int = 1


_Item = _File | _JsonlLines | _Record | _Url | _Page


# --------------------------------------------------------------------------- feeds

_ATOM = "http://www.w3.org/2005/Atom"
_RSS1 = "http://purl.org/rss/1.0/"
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_HTML_TAG = re.compile(r"<(p|div|br|a|span|strong|em|b|i|h[1-6]|ul|ol|li|img|figure|blockquote|table)\b", re.I)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FeedEntry:
    """One item of an RSS or Atom feed. full: content is the article, not a summary."""

    title: str | None
    link: str | None
    published: str | None  # YYYY-MM-DD
    content: str | None  # HTML or plain text
    full: bool
    source: str | None  # the feed's title


def _local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _child(el: ET.Element, name: str, namespaces: Sequence[str] = ("",)) -> ET.Element | None:
    for c in el:
        if isinstance(c.tag, str) and _local(c.tag) in {(ns, name) for ns in namespaces}:
            return c
    return None


def _text(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    value = "".join(el.itertext()).strip()
    return value or None


def _day(value: str | None) -> str | None:
    """YYYY-MM-DD from an ISO 8601 (Atom, dc:date) or RFC 822 (RSS pubDate) date."""
    if not value:
        return None
    if _ISO_DAY.match(value):
        return value[:10]
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _atom_content(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    if el.get("type") == "xhtml":  # inline XHTML: serialise it back to HTML without namespaces
        for sub in el.iter():
            if isinstance(sub.tag, str):
                sub.tag = _local(sub.tag)[1]
        return "".join(ET.tostring(c, encoding="unicode", method="html") for c in el).strip() or None
    return _text(el)


def _atom_link(entry: ET.Element) -> str | None:
    for link in entry.findall(f"{{{_ATOM}}}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href").strip()
    return None


def parse_feed(data: bytes | str, where: str = "feed") -> list[FeedEntry]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order; IngestError if it is none of these."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise IngestError(f"not a readable feed (bad XML: {exc})", path=where) from None
    ns, kind = _local(root.tag)
    if kind == "feed" and ns == _ATOM:
        source = _text(root.find(f"{{{_ATOM}}}title"))
        out = []
        for e in root.findall(f"{{{_ATOM}}}entry"):
            content = _atom_content(e.find(f"{{{_ATOM}}}content"))
            summary = _atom_content(e.find(f"{{{_ATOM}}}summary"))
            date = _text(e.find(f"{{{_ATOM}}}published")) or _text(e.find(f"{{{_ATOM}}}updated"))
            out.append(FeedEntry(_text(e.find(f"{{{_ATOM}}}title")), _atom_link(e), _day(date),
                                 content or summary, content is not None, source))
        return out
    if kind == "rss":
        channel = _child(root, "channel")
        items = [] if channel is None else [c for c in channel if c.tag == "item"]
    elif kind == "RDF":
        channel = _child(root, "channel", (_RSS1,))
        items = [c for c in root if _local(c.tag) == (_RSS1, "item")]
    else:
        raise IngestError(f"not an RSS or Atom feed (root element <{kind}>)", path=where)
    source = _text(_child(channel, "title", ("", _RSS1))) if channel is not None else None
    out = []
    for item in items:
        full = _text(_child(item, "encoded", (_CONTENT,)))
        summary = _text(_child(item, "description", ("", _RSS1)))
        date = _text(_child(item, "pubDate")) or _text(_child(item, "date", (_DC,)))
        out.append(FeedEntry(_text(_child(item, "title", ("", _RSS1))), _text(_child(item, "link", ("", _RSS1))),
                             _day(date), full or summary, full is not None, source))
    return out


def _entry_items(entries: list[FeedEntry], where: str, online: bool) -> Iterator[_Item]:
    """Offline, an entry is its content (the full text, else the summary); online, a summary-only entry is
    replaced by the page it links to."""
    for n, e in enumerate(entries, start=1):
        meta = tuple((k, v) for k, v in (("title", e.title), ("published", e.published), ("source", e.source)) if v)
        here = f"{where}, entry {n}"
        if e.link and ((online and not e.full) or not e.content):
            yield _Url(e.link, here, meta)
        elif e.content:
            body = ("html", f"<html><body><article>{e.content}</article></body></html>") \
                if _HTML_TAG.search(e.content) else ("text", e.content)
            yield _Record((body, *meta, *((("url", e.link),) if e.link else ())), here)
        else:
            yield _Record(meta, here)  # fails in the worker: no text


# --------------------------------------------------------------------------- planning (this process)


def fetch_url(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of an http(s) URL (online only; the tests never call it)."""
    import urllib.error
    import urllib.request

    if not url.lower().startswith(("http://", "https://")):
        raise IngestError("only http(s) URLs are fetched", path=url)
    request = urllib.request.Request(url, headers={"User-Agent": "conflict-map batch ingest"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked above
            data = response.read(max_bytes + 1)
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        raise IngestError(f"cannot fetch ({exc})", path=url) from None
    if len(data) > max_bytes:
        raise IngestError(f"over the limit of {max_bytes:,} bytes", path=url)
    return data


def _is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def _looks_like_feed(data: bytes) -> bool:
    head = data[:1000].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head) \
        or head.startswith((b"<rss", b"<feed"))


def _jsonl_ranges(path: Path, chunk_size: int) -> Iterator[_JsonlLines | IngestError]:
    """Ranges of up to chunk_size lines, found by scanning for newlines (the lines are read by workers).

    A line over the limit is reported here and left out of the ranges: no worker ever holds it.
    """
    first, start, end, n = 1, 0, 0, 0
    with path.open("rb") as fh:
        for lineno, raw in bounded_lines(fh):
            if raw is None:
                if n:
                    yield _JsonlLines(str(path), first, start, end, n)
                yield parse_jsonl_line(None, path=path, line=lineno)  # the error naming the line
                end = fh.tell()
                first, start, n = lineno + 1, end, 0
                continue
            end += len(raw)
            n += 1
            if n == chunk_size:
                yield _JsonlLines(str(path), first, start, end, n)
                first, start, n = first + n, end, 0
    if n:
        yield _JsonlLines(str(path), first, start, end, n)


def plan(inputs: Iterable[str | Path], *, online: bool = False, chunk_size: int = CHUNK_SIZE
         ) -> tuple[list[list[_Item]], BatchReport]:
    """Inputs → chunks of work items, and a report of inputs that failed already (bad feeds, URLs offline)."""
    items: list[_Item] = []
    report = BatchReport()
    for source in inputs:
        if isinstance(source, str) and _is_url(source):
            if not online:
                report.fail(f"{source}: {_OFFLINE}")
                continue
            try:
                data = fetch_url(source)
            except IngestError as exc:
                report.fail(str(exc))
                continue
            if _looks_like_feed(data):
                try:
                    items.extend(_entry_items(parse_feed(data, source), source, online))
                except IngestError as exc:
                    report.fail(str(exc))
            else:
                items.append(_Page(source, data))
            continue
        for path in expand_paths([source], BATCH_SUFFIXES):
            suffix = path.suffix.lower()
            if suffix in JSONL_SUFFIXES and path.is_file() and not path.is_symlink():
                for got in _jsonl_ranges(path, chunk_size):
                    if isinstance(got, IngestError):
                        report.fail(str(got))
                    else:
                        items.append(got)
            elif suffix in FEED_SUFFIXES and path.is_file():
                try:
                    items.extend(_entry_items(parse_feed(path.read_bytes(), str(path)), str(path), online))
                except IngestError as exc:
                    report.fail(str(exc))
            elif suffix in URL_LIST_SUFFIXES and path.is_file():
                urls = [ln.strip() for ln in path.read_text(encoding="utf-8-sig").splitlines()
                        if ln.strip() and not ln.lstrip().startswith("#")]
                if not online:
                    report.fail(f"{path}: {len(urls)} URL(s) {_OFFLINE}", n=len(urls))
                    continue
                items.extend(_Url(u, f"{path}, line {i}") for i, u in enumerate(urls, start=1))
            else:
                items.append(_File(str(path)))  # read_article says what is wrong with it, if anything
    chunks: list[list[_Item]] = []
    current: list[_Item] = []
    filled = 0
    for item in items:
        if current and filled + item.size > chunk_size:
            chunks.append(current)
            current, filled = [], 0
        current.append(item)
        filled += item.size
    if current:
        chunks.append(current)
    return chunks, report


# --------------------------------------------------------------------------- reading (in the workers)


def _jsonl_articles(item: _JsonlLines) -> Iterator[tuple[str, Article | IngestError]]:
    with open(item.path, "rb") as fh:
        fh.seek(item.start)
        data = fh.read(item.end - item.start)
    for n, raw in enumerate(data.splitlines(), start=item.first_line):
        where = f"{printable(item.path)}, line {n}"
        if not raw.strip():
            continue
        rec = parse_jsonl_line(raw, path=item.path, line=n)
        if isinstance(rec, IngestError):
            yield where, rec
            continue
        try:
            yield where, articles_from_jsonl_record(rec)
        except IngestError as exc:
            yield where, IngestError(exc.reason, path=item.path, line=n)


def _with_meta(article: Article, meta: tuple[tuple[str, str], ...]) -> Article:
    given = dict(meta)
    return Article(text=article.text, title=given.get("title") or article.title,
                   source=given.get("source") or article.source, url=article.url,
                   published=given.get("published") or article.published, language=article.language)


def _articles(items: Sequence[_Item], online: bool) -> Iterator[tuple[str, Article | IngestError]]:
    """(where, article or the reason there is none) for each item."""
    for item in items:
        if isinstance(item, _JsonlLines):
            if not Path(item.path).is_file():
                yield item.path, IngestError("no such file", path=item.path)
                continue
            yield from _jsonl_articles(item)
            continue
        try:
            if isinstance(item, _File):
                yield item.path, read_article(item.path)
            elif isinstance(item, _Record):
                yield item.where, articles_from_jsonl_record(dict(item.record))
            elif isinstance(item, _Page):
                yield item.url, article_from_html(item.html, url=item.url)
            elif not online:
                yield item.where, IngestError(f"{item.url}: {_OFFLINE}", path=item.where)
            else:
                page = article_from_html(fetch_url(item.url), url=item.url)
                yield item.where, _with_meta(page, item.meta)
        except IngestError as exc:
            where = getattr(item, "where", None) or getattr(item, "path", None) or getattr(item, "url", "")
            yield where, exc if exc.path else IngestError(exc.reason, path=where)


# --------------------------------------------------------------------------- one chunk (in a worker)

_stores: dict[str, object] = {}


def _store(url: str):
    """One Store per URL and process: its schema is checked once."""
    from geo.store.database import Store

    if url not in _stores:
        _stores[url] = Store(url)
    return _stores[url]


def _geoparser(index_dir: str | None):
    """The process's geoparser, built on first use (default_geoparser caches it)."""
    from geo.parse.pipeline import default_geoparser

    return default_geoparser(Path(index_dir)) if index_dir else default_geoparser()


def run_chunk(items: Sequence[_Item], store_url: str, index_dir: str | None = None, online: bool = False
              ) -> BatchReport:
    """Read the chunk's articles, skip those stored already (before parsing), geoparse the rest and store
    them in one transaction (one by one if another writer interferes)."""
    report = BatchReport()
    found: list[tuple[str, Article]] = []
    for where, got in _articles(items, online):
        if isinstance(got, IngestError):
            report.fail(str(got))
        else:
            found.append((where, got))
    if not found:
        return report
    store = _store(store_url)
    seen = store.stored_ids(a.id for _, a in found)
    parsed: list[tuple[str, Article, list, list]] = []
    for where, article in found:
        if article.id in seen:  # stored earlier, or twice in this chunk
            report.skipped += 1
            continue
        seen.add(article.id)
        try:
            mentions = _geoparser(index_dir).parse(article.text)
            parsed.append((where, article, mentions, extract_events(article.text, mentions, article.published)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch; it is reported
            report.fail(f"{where}: {type(exc).__name__}: {exc}")
    if not parsed:
        return report
    try:
        flags = store.add_many([(article, mentions, events) for _, article, mentions, events in parsed])
    except Exception:  # noqa: BLE001 - find which article it was: store them one by one
        flags = []
        for where, article, mentions, events in parsed:
            try:
                flags.append(store.add(article, mentions, events))
            except Exception as exc:  # noqa: BLE001
                report.fail(f"{where}: {type(exc).__name__}: {exc}")
                flags.append(None)
    for flag in flags:
        if flag:
            report.added += 1
        elif flag is False:
            report.skipped += 1  # another worker or process stored it meanwhile
    return report


# --------------------------------------------------------------------------- the batch


def _chunk_where(chunk: Sequence[_Item]) -> str:
    first = chunk[0]
    name = getattr(first, "path", None) or getattr(first, "where", None) or getattr(first, "url", "")
    return f"{name} and {len(chunk) - 1} more" if len(chunk) > 1 else str(name)


def _chunk_failed(chunk: Sequence[_Item], exc: BaseException) -> BatchReport:
    report = BatchReport()
    report.fail(f"{_chunk_where(chunk)}: chunk of {sum(i.size for i in chunk)} failed: {type(exc).__name__}: {exc}",
                n=sum(i.size for i in chunk))
    return report


def ingest_batch(
    paths_or_urls: Iterable[str | Path],
    store_url: str,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = True,
    online: bool = False,
    index_dir: str | Path | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> BatchReport:
    """Geoparse and store many articles in parallel; each article is stored once, stored ones are skipped.

    scheduler: None runs a dask LocalCluster of `workers` processes (default: one per core) on this
    machine; "tcp://HOST:8786" uses a running dask cluster (its workers need this project, its gazetteer
    index, the input paths and a store URL they can reach); "sync" runs in this process, without dask.
    online: fetch URLs, .urls lists and the pages behind summary-only feed entries (off by default).
    """
    from geo.store.database import Store

    Store(store_url)  # create or upgrade the schema once, before any worker opens it
    if scheduler not in (None, "sync") and "://" not in scheduler:
        raise ValueError(f"scheduler must be None, 'sync' or a dask address such as tcp://HOST:8786, got {scheduler!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if scheduler is None or scheduler == "sync":
        from geo.gazetteer import Gazetteer

        Gazetteer(Path(index_dir) if index_dir else _default_index())  # GazetteerMissing now, not in every task
    index = str(index_dir) if index_dir else None
    chunks, report = plan(paths_or_urls, online=online, chunk_size=chunk_size)
    total = sum(item.size for chunk in chunks for item in chunk) + report.failed

    from tqdm import tqdm

    bar = tqdm(total=total, unit="article", desc="ingest", file=sys.stderr, disable=not progress)
    bar.update(report.failed)
    results: dict[int, BatchReport] = {}

    def done(i: int, rep: BatchReport) -> None:
        results[i] = rep
        bar.update(sum(item.size for item in chunks[i]))
        bar.set_postfix(added=sum(r.added for r in results.values()),
                        skipped=sum(r.skipped for r in results.values()),
                        failed=report.failed + sum(r.failed for r in results.values()), refresh=False)

    try:
        if scheduler == "sync":
            for i, chunk in enumerate(chunks):
                try:
                    done(i, run_chunk(chunk, store_url, index, online))
                except Exception as exc:  # noqa: BLE001 - e.g. the database went away: report, carry on
                    done(i, _chunk_failed(chunk, exc))
        elif chunks:
            _run_on_dask(chunks, store_url, index, online, scheduler, workers, done)
    finally:
        bar.close()
    for i in range(len(chunks)):
        report.merge(results[i])
    return report


def _default_index() -> Path:
    from geo.config import INDEX_DIR

    return INDEX_DIR


def _run_on_dask(chunks, store_url, index, online, scheduler, workers, done) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,  # the geoparser is pure Python: processes, not threads, run in parallel
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # Failures reach us through the futures; the workers' own log (e.g. a heartbeat that races the
            # shutdown) would only be noise on the terminal.
            silence_logs=logging.CRITICAL,
        )
    client = Client(cluster if cluster is not None else scheduler)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending = iter(enumerate(chunks))
        running = as_completed()
        index_of = {}

        def submit() -> None:
            for i, chunk in pending:
                fut = client.submit(run_chunk, chunk, store_url, index, online, pure=False)
                index_of[fut.key] = i
                running.add(fut)
                return

        for _ in range(3 * n_workers):  # a few chunks queued per worker, the rest as they finish
            submit()
        for fut in running:
            i = index_of.pop(fut.key)
            try:
                done(i, fut.result())
            except Exception as exc:  # noqa: BLE001 - a worker died or the task raised: report the chunk
                done(i, _chunk_failed(chunks[i], exc))
            fut.release()
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- command line


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """--workers, --scheduler and --online, for `python -m geo ingest` (which has PATH... and --db)."""
    def positive(value: str) -> int:
        n = int(value)
        if n < 1:
            raise argparse.ArgumentTypeError("must be at least 1")
        return n

    parser.add_argument("--workers", type=positive, metavar="N",
                        help="geoparse in N worker processes on this machine (dask LocalCluster)")
    parser.add_argument("--scheduler", metavar="URL",
                        help="use a running dask cluster, e.g. tcp://HOST:8786 (its workers need this project, "
                             "the input paths and a database they can reach); 'sync' runs in this process")
    parser.add_argument("--online", action="store_true",
                        help="fetch http(s) URLs, .urls lists, and the pages of summary-only feed entries")


def run_batch_from_args(args: argparse.Namespace) -> int:
    """Run `ingest` with the batch arguments; 0 unless every input failed (1) or the setup did (2)."""
    from sqlalchemy.exc import OperationalError

    from geo import config
    from geo.gazetteer import GazetteerMissing

    scheduler = getattr(args, "scheduler", None)
    workers = getattr(args, "workers", None)
    if scheduler is None and workers is None:
        scheduler = "sync"
    try:
        report = ingest_batch(args.paths, config.database_url(getattr(args, "db", None)), scheduler=scheduler,
                              workers=workers, online=getattr(args, "online", False))
    except (GazetteerMissing, OperationalError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for message in report.errors:
        print(f"error: {message}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return 1 if report.failed and not report.added and not report.skipped else 0
