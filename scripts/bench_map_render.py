#!/usr/bin/env python
"""The Map page's Python cost of drawing the map, without a browser: what st_folium does on each run.

Builds the dashboard map as pages/map.py does (base map + places, air bases and legend layers) from a
store's in-memory map data, then times streamlit-folium's rendering steps (the whole figure, the map's
script, each layer's script) and prints the median and range of --runs, with the script sizes.

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
    from streamlit_folium import _get_feature_group_string, _get_header, _get_html, _get_map_string

    from geo import mapdata, mapview
    from geo.assets import bundle_scripts, has_bundle, localize
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
    bounds = mapview._bounds(data.mentions)
    bundle = has_bundle(STATIC_DIR)
    times: dict[str, list[float]] = {"build": [], "figure render": [], "map script": [], "layer scripts": [],
                                     "total": []}
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
        fmap.get_root().render()  # as st_folium does (render=True), then once more for the map itself
        fmap.render()
        html, header = _get_html(fmap), _get_header(fmap)
        t2 = time.perf_counter()
        script = _get_map_string(fmap)
        t3 = time.perf_counter()
        layers = "".join(_get_feature_group_string(g, fmap, i) for i, g in enumerate(groups))
        t4 = time.perf_counter()
        for name, a, b in (("build", t0, t1), ("figure render", t1, t2), ("map script", t2, t3),
                           ("layer scripts", t3, t4), ("total", t0, t4)):
            times[name].append(b - a)
        sizes = {"map script": len(script), "layer scripts": len(layers), "header+html": len(header) + len(html)}
    print(f"{len(data.mentions):,} mentions, {len(places):,} places, {len(airbases):,} airfields; runs: {args.runs}")
    for name, xs in times.items():
        print(f"{name:<14} {statistics.median(xs) * 1e3:7.1f} ms  ({min(xs) * 1e3:.1f}–{max(xs) * 1e3:.1f})")
    print("sizes: " + ", ".join(f"{k} {v / 1e3:,.0f} kB" for k, v in sizes.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
