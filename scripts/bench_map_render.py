#!/usr/bin/env python
"""The Map page's Python cost of drawing the map, without a browser: what pages/_mapframe.py does.

Builds the dashboard map as pages/map.py does (base map + places, air bases and legend layers) from a
store's in-memory map data, then times geo.maps.frame's steps — the base (made once per session) and the
layer scripts (made on every run) — and prints the median and range of --runs, with the script sizes.

Usage: .venv/bin/python scripts/bench_map_render.py --db sqlite:////tmp/s100k.sqlite [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    from geo.store import frames as mapdata
    from geo.maps import frame as mapframe
    from geo import maps as mapview
    from geo.maps.assets import bundle_scripts, has_bundle, localize
    from geo.config import INDEX_DIR, STATIC_DIR
    from geo.gazetteer import Gazetteer
    from geo.layers.airbases import airbases_from
    from geo.store import Store

    data = mapdata.load(Store(args.db))
    places = mapdata.places(data.mentions)
    gazetteer = Gazetteer(INDEX_DIR)
    airbases = airbases_from(gazetteer)
    cities = gazetteer.frame(["city"])
    cities = cities[cities["population"] >= 20_000][["name", "lat", "lon", "population", "country"]]
    bounds = mapview.mention_bounds(data.mentions)
    bundle = has_bundle(STATIC_DIR)
    times: dict[str, list[float]] = {"build": [], "base (once)": [], "layer scripts": [], "total": []}
    sizes = {}
    for _ in range(args.runs):
        t0 = time.perf_counter()
        fmap = mapview.base_map(cities=cities.reset_index(drop=True), bundle=bundle)
        groups = [mapview.airfields_layer(airbases, bounds), mapview.places_layer(places),
                  mapview.legend_layer(places["feature"].fillna("other").unique().tolist(), {"places", "air bases"})]
        for g in groups:
            localize(g)
            if bundle:
                bundle_scripts(g)
        t1 = time.perf_counter()
        base = mapframe.base(fmap)
        t2 = time.perf_counter()
        layers = mapframe.layers(groups, base.map_name)
        t3 = time.perf_counter()
        for name, a, b in (("build", t0, t1), ("base (once)", t1, t2), ("layer scripts", t2, t3), ("total", t0, t3)):
            times[name].append(b - a)
        sizes = {"map script": len(base.script), "layer scripts": sum(map(len, layers.scripts)),
                 "header+html": len(base.header) + len(base.html)}
    print(f"{len(data.mentions):,} mentions, {len(places):,} places, {len(airbases):,} airfields; runs: {args.runs}")
    for name, xs in times.items():
        print(f"{name:<14} {statistics.median(xs) * 1e3:7.1f} ms  ({min(xs) * 1e3:.1f}–{max(xs) * 1e3:.1f})")
    print("sizes: " + ", ".join(f"{k} {v / 1e3:,.0f} kB" for k, v in sizes.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
