"""Time each export format on the demo articles: `python scripts/bench_exports.py [--repeat N]`.

The demo articles are geoparsed into a temporary SQLite store first (not timed); each export is then
run on the store's whole mention frame with the layers the CLI would load, and the best of N runs is
printed with the output's size.

With `--db URL` (a filled store, e.g. `python -m geo demo --synthetic 100000 --db ...`) it times instead
how the dashboard exports: from the in-memory map data (geo.store.frames, read once, not timed) through
geo.exports.export, which reads only the article texts a format quotes — and, with `--old`, the way
the Export page did before: Store.mention_frame() (timed) and the format's function on it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import exports  # noqa: E402
from geo.config import DATA_DIR, INDEX_DIR  # noqa: E402
from geo.demo import load_demo  # noqa: E402
from geo.exports.browser import unavailable_reason  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.layers.airbases import airbases_from  # noqa: E402
from geo.layers.roads import load_roads  # noqa: E402
from geo.view.state import MapState  # noqa: E402
from geo.parse.pipeline import default_geoparser  # noqa: E402
from geo.store import Store  # noqa: E402


def _best(fn, repeat: int) -> tuple[float, bytes]:
    best, out = float("inf"), b""
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def from_map_data(url: str, formats: list[str], repeat: int, old: bool) -> int:
    """The dashboard's way (map data → export) and, with `old`, the store's full read → export."""
    from geo.store import frames as mapdata
    from geo.exports.source import export, texts_from

    store = Store(url)
    t = time.perf_counter()
    data = mapdata.load(store)
    print(f"{url}: {len(data.mentions):,} mentions of {len(data.articles):,} articles "
          f"(map data read in {time.perf_counter() - t:.1f} s, once per dashboard process, not counted)")
    state = MapState()
    briefing = exports.Briefing(title="Bench", banner="UNCLASSIFIED")
    print(f"best of {repeat} run(s)\n{'export':<40} {'seconds':>8} {'bytes':>14}")
    for fmt in formats:
        renderer = "static" if fmt in ("png", "pdf") else None
        secs, out = _best(lambda: export(fmt, data.mentions, state, filtered=True, texts=texts_from(store),
                                         briefing=briefing, renderer=renderer).data, repeat)
        print(f"{fmt + ' from the map data':<40} {secs:>8.2f} {len(out):>14,}", flush=True)
    if old:
        t = time.perf_counter()
        frame = state.apply(store.mention_frame())
        read = time.perf_counter() - t
        print(f"{'Store.mention_frame()':<40} {read:>8.2f}")
        for fmt in formats:
            if fmt in exports.DATA_FORMATS:
                fn = getattr(exports, f"to_{fmt}")
                job = lambda fn=fn: fn(frame)  # noqa: E731
            else:
                job = lambda fmt=fmt: exports.render(frame, state, briefing, fmt, renderer="static").data  # noqa: E731
            secs, out = _best(job, repeat)
            print(f"{fmt + ' from the full read (+ read)':<40} {secs + read:>8.2f} {len(out):>14,}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", help="time the dashboard's exports on this filled store instead of the demo")
    ap.add_argument("--formats", default="geojson,csv,png", help="with --db: comma-separated formats")
    ap.add_argument("--old", action="store_true", help="with --db: also the old way, from Store.mention_frame()")
    args = ap.parse_args(argv)
    if args.db:
        return from_map_data(args.db, [f for f in args.formats.split(",") if f], args.repeat, args.old)

    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'demo.sqlite'}")
        t = time.perf_counter()
        parser = default_geoparser()
        load_demo(store, parser.parse)
        print(f"demo store: {store.counts()} (geoparsed in {time.perf_counter() - t:.1f} s, not counted)")
        gazetteer = Gazetteer(INDEX_DIR)
        layers = {"airbases": airbases_from(gazetteer), "roads": load_roads(gazetteer, DATA_DIR / "layers" / "user")}
        state = MapState()
        frame = state.apply(store.mention_frame())

        jobs = {
            "geojson": lambda: exports.to_geojson(frame),
            "csv": lambda: exports.to_csv(frame),
            "kml": lambda: exports.to_kml(frame),
            "gpkg": lambda: exports.to_gpkg(frame),
            "html": lambda: exports.to_html(frame, state, title="Demo", **layers),
        }
        briefing = exports.Briefing(title="Demo briefing", banner="UNCLASSIFIED")
        renderers = ["static"] + (["browser"] if unavailable_reason() is None else [])
        for renderer in renderers:
            for fmt, size in (("png", "1920x1080"), ("png", "1920x1080@2x"), ("pdf", "A4")):
                b = exports.Briefing(**{**briefing.__dict__, "size": size})
                jobs[f"{fmt} {size} ({renderer})"] = (
                    lambda fmt=fmt, b=b, renderer=renderer: exports.render(frame, state, b, fmt, renderer=renderer, **layers).data
                )
        if len(renderers) == 1:
            print(f"browser renderer skipped: {unavailable_reason()}")
        print(f"{len(frame)} mentions; best of {args.repeat} run(s)\n")
        print(f"{'export':<32} {'seconds':>8} {'bytes':>12}")
        for name, fn in jobs.items():
            secs, out = _best(fn, args.repeat)
            print(f"{name:<32} {secs:>8.3f} {len(out):>12,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
