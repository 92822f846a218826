#!/usr/bin/env python
"""Export page benchmark: how long the page takes to open, and each export to prepare, on a big store.

Runs the dashboard headless with Streamlit's AppTest on an existing store (fill one first with
`python -m geo demo --synthetic 100000 --db sqlite:////tmp/s100k.sqlite`). Measured, each as the median
(and range) of --runs:

  map       the first run of the dashboard (Map page; the store is read into memory then, once per process)
  open      switching from the Map page to the Export page (what the analyst waits for)
  <format>  "Prepare file" for that format, with the filters of --query/--source (default: none)

Usage: .venv/bin/python scripts/bench_export_page.py --db sqlite:////tmp/s100k.sqlite [--runs 3]
       [--formats geojson,csv,png-static] [--query TEXT]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = {
    "geojson": ("GeoJSON", None),
    "csv": ("CSV (lat, lon, WKT)", None),
    "kml": ("KML (Google Earth)", None),
    "gpkg": ("GeoPackage", None),
    "html": ("Interactive HTML map (opens offline)", None),
    "png-static": ("PNG picture (1920×1080)", "static"),
    "png-browser": ("PNG picture (1920×1080)", "browser"),
}


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):6.2f} s  ({min(xs):.2f}–{max(xs):.2f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="SQLAlchemy URL of a filled store")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="", help=f"comma-separated, of {', '.join(LABELS)}")
    ap.add_argument("--query", default="", help="a search filter, as typed in the sidebar")
    args = ap.parse_args(argv)
    os.environ["DATABASE_URL"] = args.db
    os.environ.pop("CONFLICTMAP_AUTH_FILE", None)
    from streamlit.testing.v1 import AppTest

    from geo.store import Store

    print(f"store: {Store(args.db).counts()}")
    formats = [f for f in args.formats.split(",") if f]
    times: dict[str, list[float]] = {"map": [], "open": [], **{f: [] for f in formats}}
    caption = ""
    for _ in range(args.runs):
        # A fresh AppTest is a fresh session but the same process: the map data stays cached after run 1,
        # as it does for every visitor of a running dashboard.
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        if args.query:
            at.query_params["query"] = args.query
        times["map"].append(_timed(at.run))
        times["open"].append(_timed(lambda: at.switch_page("pages/export.py").run()))
        if at.exception:
            print(at.exception, file=sys.stderr)
            return 1
        caption = " ".join(c.value for c in at.caption)[:200]
        for f in formats:
            label, renderer = LABELS[f]
            at.selectbox[0].select(label).run()
            if renderer:
                at.radio[0].set_value(renderer).run()
            button = next(b for b in at.button if b.label == "Prepare file")
            times[f].append(_timed(lambda: button.click().run()))
            if at.exception or at.error:
                print(f"{f}: {at.exception or at.error[0].value}", file=sys.stderr)
            payload = at.session_state["cm_export"][0] if "cm_export" in at.session_state else b""
            print(f"  {f}: {len(payload):,} bytes", flush=True)
    print(f"page caption: {caption}")
    for name, xs in times.items():
        print(f"{name:<12} {_fmt(xs)}")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; runs: {args.runs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
