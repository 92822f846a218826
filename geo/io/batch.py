"""Batch ingest: many articles geoparsed in parallel on dask and stored once each.

    inputs ──(this process: geo/io/plan.py)──> chunks of work items
    chunk ──(a worker: read → skip what is stored → geoparse → store)──> BatchReport

Inputs are files (.txt/.md/.html), folders (searched recursively), JSONL files, RSS/Atom feed files
(.rss/.atom/.xml), and, only with ``online=True``, http(s) URLs of pages or feeds and ``.urls`` files (one
URL a line). Workers read the files themselves: with a remote scheduler the paths must exist on the
workers too.

Each chunk's articles are committed together when the chunk is done, and articles whose content hash
is stored already are skipped before they are parsed, so an interrupted batch is resumed by running it
again (losing at most the chunks that were in progress). Each worker process builds its geoparser once
(``geo.parse.pipeline.default_geoparser``) and keeps one Store per URL.

The caller-facing entry point is ``ingest_batch``; ``python -m geo ingest`` (geo/cli.py) calls it.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from geo.events.extract import extract_events
from geo.io.errors import IngestError
from geo.io.plan import CHUNK_SIZE, BatchReport, WorkItem, item_where, plan, read_items
from geo.types import Article

__all__ = ["BatchReport", "ingest_batch", "run_chunk"]

_stores: dict[str, object] = {}


def _store(url: str):
    """One Store per URL and process: its schema is checked once."""
    from geo.store import Store

    if url not in _stores:
        _stores[url] = Store(url)
    return _stores[url]


def _geoparser(index_dir: str | None):
    """The process's geoparser, built on first use (default_geoparser caches it)."""
    from geo.parse.pipeline import default_geoparser

    return default_geoparser(Path(index_dir)) if index_dir else default_geoparser()


# --------------------------------------------------------------------------- one chunk (in a worker)


def run_chunk(items: Sequence[WorkItem], store_url: str, index_dir: str | None = None, online: bool = False
              ) -> BatchReport:
    """Read the chunk's articles, skip those stored already (before parsing), geoparse the rest and store
    them in one transaction (one by one if another writer interferes)."""
    report = BatchReport()
    found: list[tuple[str, Article]] = []
    for where, got in read_items(items, online):
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


def _chunk_failed(chunk: Sequence[WorkItem], exc: BaseException) -> BatchReport:
    n = sum(i.size for i in chunk)
    name = item_where(chunk[0])
    where = f"{name} and {len(chunk) - 1} more" if len(chunk) > 1 else str(name)
    report = BatchReport()
    report.fail(f"{where}: chunk of {n} failed: {type(exc).__name__}: {exc}", n=n)
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
    from geo.store import Store

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
