"""Benchmark: speed, cold start, memory and accuracy on gold corpora (prints numbers, asserts nothing).

Run as `python -m geo bench`; the accuracy part calls ../shared/eval/score.py when it is there.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geo.config import INDEX_DIR, ROOT

SHARED_EVAL = ROOT.parent / "shared" / "eval"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_start_seconds() -> float:
    """Time for a fresh interpreter to import the pipeline, open the index and parse one sentence."""
    code = ("import time; t=time.perf_counter(); from geo.parse.pipeline import default_geoparser; "
            "default_geoparser().parse('Clashes near Palmyra, Syria.'); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def run_bench(corpora: list[str] | None = None, repeat: int = 1) -> int:
    from geo.parse.pipeline import default_geoparser

    paths = [Path(c) for c in corpora] if corpora else sorted((SHARED_EVAL / "dev").glob("*.jsonl"))
    print(f"cold start (import + open index + first parse): {cold_start_seconds():.2f} s")
    parser = default_geoparser(INDEX_DIR)
    for path in paths:
        docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        if not docs or "toponyms" not in docs[0]:
            print(f"\n{path.name}: no toponym gold (event corpus?), skipped; score it with score_events.py")
            continue
        chars = sum(len(d["text"]) for d in docs)
        preds = []
        t = time.perf_counter()
        for _ in range(repeat):
            preds = [{"id": d["id"], "mentions": [m.to_json() for m in parser.parse(d["text"])]} for d in docs]
        dt = (time.perf_counter() - t) / repeat
        print(f"\n{path.name}: {len(docs)} docs, {chars / len(docs) / 1000:.1f} KB/doc avg, "
              f"{len(docs) / dt:.0f} docs/s ({chars / dt / 1e6:.2f} MB/s), one process")
        scorer = SHARED_EVAL / "score.py"
        if scorer.exists():
            with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
                for p in preds:
                    f.write(json.dumps(p) + "\n")
            res = subprocess.run([sys.executable, str(scorer), str(path), f.name], capture_output=True, text=True)
            print(res.stdout.rstrip() or res.stderr.rstrip())
    join_bench(parser.gazetteer)
    print(f"\npeak RSS: {_peak_rss_mb():.0f} MB")
    return 0


def join_bench(gazetteer, n: int = 10_000) -> None:
    """Time the joins for n distinct places drawn from the gazetteer's towns in the Middle East and Ukraine."""

    from geo.layers.joins import default_joiner

    t = time.perf_counter()
    joiner = default_joiner(gazetteer)
    build = time.perf_counter() - t
    towns = gazetteer.frame(["city"])
    towns = towns[towns["country"].isin(["SY", "IQ", "UA", "LB", "JO", "TR"])]
    sample = towns.sample(n=min(n, len(towns)), random_state=0)
    t = time.perf_counter()
    found = 0
    for lat, lon, pop in zip(sample["lat"].values, sample["lon"].values, sample["population"].values):
        found += len(joiner.nearby(float(lat), float(lon), population=int(pop)))
    dt = time.perf_counter() - t
    print(f"\njoins: layers loaded in {build:.2f} s; {len(sample):,} places joined in {dt:.2f} s "
          f"({len(sample) / dt:,.0f} places/s, {found / len(sample):.1f} nearby items per place)")
