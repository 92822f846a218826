#!/usr/bin/env python
"""The map's event layer at 1k/10k/100k events: its script's size and the time to build it.

Reads a filled store's frames (geo.store.snapshot, as the dashboard does), filters them with the view
geo.view.state.from_link({'layers': 'places|events'}) gives, takes the first --sizes events of the view's
event points (geo.view.event_points) and builds the layer as the map does (geo.maps.events.events_layer,
spread around the places' circles), then renders its script. Prints, per size, the script's bytes, the
median and range of --runs builds (the cap's choice, event_columns and the JSON) and how many events were
drawn: without a cap (cap=None, as before the cap) and with the layer's own (geo.maps.events.MAX_EVENTS).

Usage: .venv/bin/python scripts/bench_event_layer.py --db sqlite:////tmp/ba/bench_100000.sqlite [--runs 5]
(the store is only read; its frames folder beside it is used as the dashboard uses it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def layer_script(group) -> str:
    """The event layer's script as the map frame sends it (its EventLayer element's call)."""
    import folium

    m = folium.Map()
    group.add_to(m)
    (element,) = [c for c in group._children.values()]
    return element.script()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a filled store (read only)")
    ap.add_argument("--sizes", default="1000,10000,100000", help="events in the view, comma separated")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)

    from geo.maps import compose
    from geo.maps import events as event_layer
    from geo.store import Store, snapshot
    from geo.store import frames as mapdata
    from geo.view import filtered, state

    store = Store(args.db)
    data = snapshot.current(store, snapshot.folder_for(str(store.url), None)).data
    view = filtered.filtered(data, state.from_link({"layers": "places|events"}, 9))
    points = view.event_points
    print(f"store: {len(points):,} events in the view; cap: {getattr(event_layer, 'MAX_EVENTS', None)}")
    for n in (int(s) for s in args.sizes.split(",")):
        sub = points.iloc[:n].reset_index(drop=True)
        places = mapdata.places(view.frame[view.frame["place_id"].isin(set(sub["place_id"]))])
        around = compose._radii(places)
        for label, cap in (("no cap", None), ("capped", event_layer.MAX_EVENTS)):
            times, script = [], ""
            for _ in range(args.runs):
                t = time.perf_counter()
                group = event_layer.events_layer(sub, around=around, cap=cap)
                script = layer_script(group)
                times.append(time.perf_counter() - t)
            drawn = len(next(iter(group._children.values())).data["lat"])
            print(f"{len(sub):>7,} events {label}: script {len(script.encode()) / 1e6:6.2f} MB, drawn {drawn:>7,}, "
                  f"build median {statistics.median(times) * 1000:7.1f} ms (range {min(times) * 1000:.1f}-"
                  f"{max(times) * 1000:.1f}, {args.runs} runs)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
