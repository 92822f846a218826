#!/usr/bin/env python
"""How long the dashboard takes to read the store after an ingest: a full read vs a refresh.

The dashboard keeps the store in memory as geo.store.frames frames and reads it again when the store's
version changes. `mapdata.refresh` reads only the articles added since; this script measures both on a
copy of a filled SQLite store (`python -m geo demo --synthetic N --db URL` fills one), adding --add
articles at a time the way ingest does (Store.add, so they are stamped with the time of ingest), and
checks that the refreshed frames equal a full read.

Usage: .venv/bin/python scripts/bench_mapdata.py --db sqlite:////tmp/s100k.sqlite [--add 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a filled SQLite store (it is copied, not changed)")
    ap.add_argument("--add", type=int, default=100, help="articles added before each refresh")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)

    import pandas as pd
    from sqlalchemy.engine import make_url

    from geo.store import frames as mapdata
    from geo.config import INDEX_DIR
    from geo.events.extract import extract_events
    from geo.gazetteer import Gazetteer
    from geo.store import Store
    from geo.dev.synthetic import _resolved, reports, towns_from
    from geo.types import Article

    source = make_url(args.db).database
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store.sqlite"
        shutil.copy(source, copy)
        store = Store(f"sqlite:///{copy}")
        stream = reports(towns_from(Gazetteer(INDEX_DIR)), seed="bench_mapdata")
        full, fresh = [], []
        data = mapdata.load(store)
        for _ in range(args.runs):
            for _ in range(args.add):
                rep = next(stream)
                mentions = _resolved(rep)
                store.add(Article(rep.text, title=rep.title, source=rep.source, published=rep.published, url=rep.url),
                          mentions, extract_events(rep.text, mentions))
            t = time.perf_counter()
            data = mapdata.refresh(store, data)
            fresh.append(time.perf_counter() - t)
            t = time.perf_counter()
            whole = mapdata.load(store)
            full.append(time.perf_counter() - t)
            pd.testing.assert_frame_equal(data.mentions, whole.mentions, check_categorical=False)
            pd.testing.assert_frame_equal(data.articles, whole.articles)
        print(f"{len(data.articles):,} articles, {len(data.mentions):,} mentions; {args.add} added before each of "
              f"{args.runs} runs")
        print(f"full read   {statistics.median(full):6.2f} s  ({min(full):.2f}–{max(full):.2f})")
        print(f"refresh     {statistics.median(fresh):6.2f} s  ({min(fresh):.2f}–{max(fresh):.2f})  "
              "(equal to the full read: checked)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
