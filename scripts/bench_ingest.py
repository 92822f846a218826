"""Batch ingest speed: N synthetic articles through geo.io.batch with 1 and 2 worker processes.

    .venv/bin/python scripts/bench_ingest.py [--n 10000] [--workers 1 2] [--chunk-size 50]

The articles are short incident reports made here from templates and the gazetteer's Syrian and
Ukrainian town names (so the geoparser has real work). Each run starts from an empty SQLite store in a
temporary folder, and from an empty PostGIS database too when TEST_POSTGIS_URL is set
(scripts/start_postgis.sh). The dask cluster is started before the clock starts (its start-up time is
printed apart); the timed part includes building each worker's geoparser, reading, parsing and storing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.dev.dbcopy import database_copy  # noqa: E402
from geo.types import content_hash  # noqa: E402

TEMPLATES = [
    "{force} shelled positions near {a} on {day}, local officials said. Residents reported damage to homes "
    "along the road to {b}.",
    "A convoy carrying food and medicine reached {a} on {day} after days of fighting around {b}. "
    "Aid workers said {n} families had left their homes.",
    "Air defence units shot down {n} drones over {a} overnight, the regional governor said. Debris fell on "
    "a warehouse on the outskirts of {b}.",
    "Fighting continued east of {a} as {force} tried to cut the supply route from {b}, according to a "
    "statement released on {day}.",
    "Officials in {a} said water and power had been restored to {n} districts, while repairs in {b} would "
    "take at least another week.",
    "Residents of {a} described a night of explosions. Several buildings were hit and {n} people were taken "
    "to hospital in {b}.",
    "Engineers cleared mines from farmland between {a} and {b} on {day}, a local council said, and {n} "
    "farmers returned to their fields.",
]
FORCES = ["Government forces", "Artillery units", "Armed groups", "Opposition fighters", "Army units"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_PLAIN_NAME = re.compile(r"^[A-Z][A-Za-z' -]+$")


def town_names(min_population: int = 20000) -> dict[str, list[str]]:
    """Plain-spelled towns of Syria and Ukraine from the gazetteer index, biggest first."""
    from geo.config import INDEX_DIR
    from geo.gazetteer import Gazetteer

    frame = Gazetteer(INDEX_DIR).frame(["city"])
    out = {}
    for country in ("SY", "UA"):
        rows = frame[(frame["country"] == country) & (frame["population"] >= min_population)]
        names = rows.sort_values("population", ascending=False)["name"]
        out[country] = list(dict.fromkeys(n for n in names if _PLAIN_NAME.match(n)))
    return out


def synthetic_articles(n: int, seed: int = 1) -> Iterator[dict]:
    """n distinct JSONL records: two or three incident sentences naming towns of one country."""
    rng = random.Random(seed)
    towns = town_names()
    seen: set[str] = set()
    while len(seen) < n:
        names = towns[rng.choice(["SY", "UA"])]
        paragraphs = []
        for template in rng.sample(TEMPLATES, rng.randint(2, 3)):
            a, b = rng.sample(names[:120], 2)
            paragraphs.append(template.format(a=a, b=b, n=rng.randint(2, 400), day=rng.choice(DAYS),
                                              force=rng.choice(FORCES)))
        text = "\n\n".join(paragraphs)
        if content_hash(text) in seen:
            continue
        seen.add(content_hash(text))
        yield {"title": paragraphs[0].split(",")[0][:80], "source": "Bench Wire", "published": "2024-05-01",
               "text": text}


def run(path: Path, store_url: str, workers: int, chunk_size: int) -> tuple[float, float, object]:
    """(cluster start-up s, ingest s, report) for one batch into an empty store."""
    from distributed import LocalCluster

    from geo.io.batch import ingest_batch

    t = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=50) as cluster:
        start = time.perf_counter() - t
        t = time.perf_counter()
        report = ingest_batch([path], store_url, scheduler=cluster.scheduler_address, progress=False,
                              chunk_size=chunk_size)
        took = time.perf_counter() - t
    return start, took, report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles (default 10,000)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--chunk-size", type=int, default=100)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for rec in synthetic_articles(args.n):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"{args.n:,} synthetic articles, {path.stat().st_size / 1e6:.1f} MB of JSONL; "
              f"{os.cpu_count()} cores; chunks of {args.chunk_size}")
        backends = [("sqlite", None)]
        if os.environ.get("TEST_POSTGIS_URL"):
            backends.append(("postgis", os.environ["TEST_POSTGIS_URL"]))
        else:
            print("(PostGIS skipped: TEST_POSTGIS_URL is not set)")
        for backend, base in backends:
            for workers in args.workers:
                if base is None:
                    db = Path(tmp) / f"store-{workers}.sqlite"
                    start, took, report = run(path, f"sqlite:///{db}", workers, args.chunk_size)
                else:
                    with database_copy(base) as url:
                        start, took, report = run(path, url, workers, args.chunk_size)
                ok = "" if report.added == args.n else f"  (!) {report.summary()}"
                print(f"{backend:8s} workers={workers}: {report.added:,} articles in {took:6.1f} s = "
                      f"{report.added / took:6.1f} articles/s   (cluster start {start:.1f} s){ok}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
