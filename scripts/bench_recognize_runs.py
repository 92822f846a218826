"""Time recognition (and the whole geoparser) on one long run of capitalised names: 4k, 16k, 64k names.

A run of capitalised words once cost time growing with the square of its length (16,000 names: 11 s), so one
pasted list could stall ingest. Linear means each 4x longer run costs about 4x the time.

    PYTHONPATH=. .venv/bin/python scripts/bench_recognize_runs.py [--parse]
"""

from __future__ import annotations

import argparse
import random
import time

from geo.parse.pipeline import default_geoparser

NAMES = ["Aleppo", "Homs", "Idlib", "Paris", "London", "Kabul", "Mosul", "Raqqa", "Berlin", "Damascus",
         "Kandahar", "Herat", "Lomax", "Jaskel", "Corvin", "Delmar"]


def run_text(n: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    return " ".join(rnd.choice(NAMES) for _ in range(n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parse", action="store_true", help="time the whole geoparser, not recognition alone")
    ap.add_argument("--sizes", default="4000,16000,64000")
    args = ap.parse_args()
    gp = default_geoparser()
    gp.recognizer.find("Warm up in Aleppo.")
    prev = None
    for n in (int(x) for x in args.sizes.split(",")):
        text = run_text(n)
        t = time.perf_counter()
        out = gp.parse(text) if args.parse else gp.recognizer.find(text)
        dt = time.perf_counter() - t
        ratio = f"  x{dt / prev:.1f} for 4x names" if prev else ""
        print(f"{n:>6} names ({len(text) / 1e6:.2f} MB): {dt:7.2f} s, {len(out)} mentions{ratio}")
        prev = dt


if __name__ == "__main__":
    main()
