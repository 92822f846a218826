"""A batch's inputs as chunks of work items, and each item read back into Articles (in a worker).

    inputs ──(this process: list files, split JSONL, read feeds)──> chunks of work items
    work item ──(a worker: read_items)──> (where, Article or the reason there is none)

Work items only say where an article is (a path, a range of JSONL lines, a feed entry), so workers
read the files themselves: with a remote scheduler the paths must exist on the workers too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.io import web
from geo.io.errors import IngestError
from geo.io.feeds import FEED_SUFFIXES, FeedEntry, looks_like_feed, parse_feed
from geo.io.files import ARTICLE_SUFFIXES, JSONL_SUFFIXES, expand_paths
from geo.io.ingest import article_from_html, articles_from_jsonl_record, read_article
from geo.io.jsonl import bounded_lines, parse_jsonl_line
from geo.io.validate import printable
from geo.types import Article

URL_LIST_SUFFIXES = frozenset({".urls"})
BATCH_SUFFIXES = ARTICLE_SUFFIXES | FEED_SUFFIXES | URL_LIST_SUFFIXES
CHUNK_SIZE = 100  # articles per task (and per transaction): large enough to hide dask's overhead, small enough to balance


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
class FileItem:
    path: str
    size: int = 1


@dataclass(frozen=True)
class JsonlLines:
    """Lines first_line.. of a JSONL file, bytes start:end (whole lines)."""

    path: str
    first_line: int
    start: int
    end: int
    size: int


@dataclass(frozen=True)
class RecordItem:
    """A record as in a JSONL file ("text" or "html" plus metadata), here from a feed entry."""

    record: tuple[tuple[str, str], ...]
    where: str
    size: int = 1


@dataclass(frozen=True)
class UrlItem:
    """A page to fetch (online only); meta (title, published, source, from a feed) wins over the page's."""

    url: str
    where: str
    meta: tuple[tuple[str, str], ...] = ()
    size: int = 1


@dataclass(frozen=True)
class PageItem:
    """A page fetched already (by the planner, to tell a feed from a page)."""

    url: str
    html: bytes
    size: int = 1


WorkItem = FileItem | JsonlLines | RecordItem | UrlItem | PageItem


def item_where(item: WorkItem) -> str:
    """What a message about the item names: its feed entry or line, else its file or URL."""
    return getattr(item, "where", None) or getattr(item, "path", None) or getattr(item, "url", "")


# --------------------------------------------------------------------------- planning (this process)


def plan(inputs: Iterable[str | Path], *, online: bool = False, chunk_size: int = CHUNK_SIZE
         ) -> tuple[list[list[WorkItem]], BatchReport]:
    """Inputs → chunks of work items, and a report of inputs that failed already (bad feeds, URLs offline)."""
    items: list[WorkItem] = []
    report = BatchReport()
    for source in inputs:
        if isinstance(source, str) and web.is_url(source):
            _plan_url(source, online, items, report)
            continue
        for path in expand_paths([source], BATCH_SUFFIXES):
            _plan_path(path, online, chunk_size, items, report)
    return _chunks(items, chunk_size), report


def _plan_url(url: str, online: bool, items: list[WorkItem], report: BatchReport) -> None:
    if not online:
        report.fail(f"{url}: {web.OFFLINE}")
        return
    try:
        data = web.fetch_url(url)
    except IngestError as exc:
        report.fail(str(exc))
        return
    if not looks_like_feed(data):
        items.append(PageItem(url, data))
        return
    try:
        items.extend(_entry_items(parse_feed(data, url), url, online))
    except IngestError as exc:
        report.fail(str(exc))


def _plan_path(path: Path, online: bool, chunk_size: int, items: list[WorkItem], report: BatchReport) -> None:
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
            report.fail(f"{path}: {len(urls)} URL(s) {web.OFFLINE}", n=len(urls))
            return
        items.extend(UrlItem(u, f"{path}, line {i}") for i, u in enumerate(urls, start=1))
    else:
        items.append(FileItem(str(path)))  # read_article says what is wrong with it, if anything


def _chunks(items: list[WorkItem], chunk_size: int) -> list[list[WorkItem]]:
    """Consecutive items in chunks of about chunk_size articles (a JSONL range counts its lines)."""
    chunks: list[list[WorkItem]] = []
    current: list[WorkItem] = []
    filled = 0
    for item in items:
        if current and filled + item.size > chunk_size:
            chunks.append(current)
            current, filled = [], 0
        current.append(item)
        filled += item.size
    if current:
        chunks.append(current)
    return chunks


def _entry_items(entries: list[FeedEntry], where: str, online: bool) -> Iterator[WorkItem]:
    """Offline, an entry is its content (the full text, else the summary); online, a summary-only entry is
    replaced by the page it links to."""
    for n, e in enumerate(entries, start=1):
        meta = tuple((k, v) for k, v in (("title", e.title), ("published", e.published), ("source", e.source)) if v)
        here = f"{where}, entry {n}"
        if e.link and ((online and not e.full) or not e.content):
            yield UrlItem(e.link, here, meta)
        elif e.content:
            body = ("html", f"<html><body><article>{e.content}</article></body></html>") \
                if e.is_html else ("text", e.content)
            yield RecordItem((body, *meta, *((("url", e.link),) if e.link else ())), here)
        else:
            yield RecordItem(meta, here)  # fails in the worker: no text


def _jsonl_ranges(path: Path, chunk_size: int) -> Iterator[JsonlLines | IngestError]:
    """Ranges of up to chunk_size lines, found by scanning for newlines (the lines are read by workers).

    A line over the limit is reported here and left out of the ranges: no worker ever holds it.
    """
    first, start, end, n = 1, 0, 0, 0
    with path.open("rb") as fh:
        for lineno, raw in bounded_lines(fh):
            if raw is None:
                if n:
                    yield JsonlLines(str(path), first, start, end, n)
                yield parse_jsonl_line(None, path=path, line=lineno)  # the error naming the line
                end = fh.tell()
                first, start, n = lineno + 1, end, 0
                continue
            end += len(raw)
            n += 1
            if n == chunk_size:
                yield JsonlLines(str(path), first, start, end, n)
                first, start, n = first + n, end, 0
    if n:
        yield JsonlLines(str(path), first, start, end, n)


# --------------------------------------------------------------------------- reading (in the workers)


def read_items(items: Sequence[WorkItem], online: bool) -> Iterator[tuple[str, Article | IngestError]]:
    """(where, article or the reason there is none) for each item."""
    for item in items:
        if isinstance(item, JsonlLines):
            if not Path(item.path).is_file():
                yield item.path, IngestError("no such file", path=item.path)
                continue
            yield from _jsonl_articles(item)
            continue
        try:
            if isinstance(item, FileItem):
                yield item.path, read_article(item.path)
            elif isinstance(item, RecordItem):
                yield item.where, articles_from_jsonl_record(dict(item.record))
            elif isinstance(item, PageItem):
                yield item.url, article_from_html(item.html, url=item.url)
            elif not online:
                yield item.where, IngestError(f"{item.url}: {web.OFFLINE}", path=item.where)
            else:
                page = article_from_html(web.fetch_url(item.url), url=item.url)
                yield item.where, _with_meta(page, item.meta)
        except IngestError as exc:
            where = item_where(item)
            yield where, exc if exc.path else exc.at(where)


def _jsonl_articles(item: JsonlLines) -> Iterator[tuple[str, Article | IngestError]]:
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
            yield where, exc.at(item.path, n)


def _with_meta(article: Article, meta: tuple[tuple[str, str], ...]) -> Article:
    given = dict(meta)
    return Article(text=article.text, title=given.get("title") or article.title,
                   source=given.get("source") or article.source, url=article.url,
                   published=given.get("published") or article.published, language=article.language)
