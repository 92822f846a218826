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
    """Input documents as {"id", "text", ...} dicts, in input order."""
    from geo.ingest import IngestError, article_from_html, iter_jsonl

    if source == "-":
        yield from _checked_jsonl(iter_jsonl(sys.stdin), "<stdin>")
        return
    path = Path(source)
    if not path.exists():
        raise CliError(f"{source}: no such file")
    if path.is_dir():
        raise CliError(f"{source}: is a folder; geoparse takes one file (use `ingest` for folders)")
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson", ".json"):
            yield from _checked_jsonl(iter_jsonl(path), source)
        elif suffix in (".html", ".htm"):
            article = article_from_html(path.read_bytes())
            yield {"id": path.stem, "text": article.text, "_write_text": True}
        elif suffix in (".txt", ".text", ".md", ""):
            raw = path.read_bytes()
            if b"\x00" in raw[:4096]:
                raise CliError(f"{source}: looks like a binary file, not text")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                raise CliError(f"{source}: not valid UTF-8 text ({e.reason} at byte {e.start})") from None
            yield {"id": path.stem, "text": text}
        else:
            raise CliError(f"{source}: unsupported file type {suffix!r} (use .jsonl, .txt or .html)")
    except IngestError as e:
        raise CliError(str(e)) from None


def _checked_jsonl(records: Iterator[dict], where: str) -> Iterator[dict]:
    for n, rec in enumerate(records, 1):
        if not isinstance(rec.get("text"), str):
            raise CliError(f"{where}: document {n} has no \"text\" string")
        yield rec


def cmd_geoparse(args: argparse.Namespace) -> int:
    from geo.pipeline import default_geoparser

    parser = default_geoparser(Path(args.index) if args.index else config.INDEX_DIR)
    joiner = None
    if args.join:
        from geo.joins import default_joiner

        joiner = default_joiner(parser.gazetteer)
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output and args.output != "-" else sys.stdout
    try:
        from tqdm import tqdm

        docs = list(_documents(args.input))
        for doc in tqdm(docs, disable=len(docs) < 20, file=sys.stderr, unit="doc", desc="geoparse"):
            text = doc["text"]
            mentions = parser.parse(text)
            record: dict = {"id": doc.get("id"), "mentions": [m.to_json() for m in mentions]}
            if joiner is not None:
                record.update(joiner.join_document(text, mentions))
            if doc.get("_write_text"):
                record["text"] = text
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from geo.ingest import IngestError, iter_articles
    from geo.pipeline import default_geoparser
    from geo.store import Store

    store = Store(config.database_url(args.db))
    parser = default_geoparser()
    added = skipped = failed = 0
    for item in tqdm(iter_articles(args.paths), file=sys.stderr, unit="article", desc="ingest"):
        if isinstance(item, IngestError):
            failed += 1
            print(f"error: {item}", file=sys.stderr)
            continue
        if store.has(item.id):
            skipped += 1
            continue
        if store.add(item, parser.parse(item.text)):
            added += 1
        else:
            skipped += 1
    print(f"{added} added, {skipped} already stored, {failed} failed", file=sys.stderr)
    return 1 if failed and not added and not skipped else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from geo.demo import load_demo
    from geo.pipeline import default_geoparser
    from geo.store import Store

    store = Store(config.database_url(args.db))
    n = load_demo(store, default_geoparser().parse)
    print(f"demo: {n} article(s) added; store holds {store.counts()}", file=sys.stderr)
    return 0


def cmd_gazetteer_build(args: argparse.Namespace) -> int:
    import time

    from geo.gazetteer import build_index
    from geo.gazetteer.sources import default_records

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
        path = build_index(records_with_dumps(default_records(), dumps), out)
    except DumpError as e:
        raise CliError(str(e)) from None
    print(f"gazetteer index written to {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return 0


def cmd_layers_add(args: argparse.Namespace) -> int:
    from geo.layers.roads import RoadDataError, add_roads_file

    try:
        n = add_roads_file(Path(args.file), config.DATA_DIR / "layers" / "user")
    except RoadDataError as e:
        raise CliError(str(e)) from None
    print(f"{n} road lines imported; they replace the schematic roads", file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from geo.bench import run_bench

    return run_bench(corpora=args.corpus, repeat=args.repeat)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Conflict Map: find and map the places named in news articles (offline).")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("geoparse", help="find and resolve place names; JSONL out",
                       description="INPUT: a JSONL file ({\"id\", \"text\"} a line), a .txt or .html file, or - for JSONL on stdin.")
    g.add_argument("input")
    g.add_argument("-o", "--output", help="output JSONL (default: stdout)")
    g.add_argument("--join", action="store_true", help="add nearby air bases, roads, cities and regions, and routes")
    g.add_argument("--index", help="gazetteer index folder (default: data/index)")
    g.set_defaults(func=cmd_geoparse)

    i = sub.add_parser("ingest", help="store articles (files, folders, JSONL) with their places")
    i.add_argument("paths", nargs="+")
    i.add_argument("--db", help="database URL (default: $DATABASE_URL or the SQLite file under data/)")
    i.set_defaults(func=cmd_ingest)

    d = sub.add_parser("demo", help="load the demo articles into the store")
    d.add_argument("--db", help="database URL")
    d.set_defaults(func=cmd_demo)

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

    la = sub.add_parser("layers", help="manage location layers")
    las = la.add_subparsers(dest="action", required=True)
    lad = las.add_parser("add", help="import a layer file (GeoPackage, GeoJSON, shapefile/zip, .osm.pbf)")
    lad.add_argument("kind", choices=["roads"])
    lad.add_argument("file")
    lad.set_defaults(func=cmd_layers_add)

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
