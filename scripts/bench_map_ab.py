#!/usr/bin/env python
"""Did a change make the Map page's first paint faster? A paired comparison of two code trees.

On a small, shared VM two runs of scripts/bench_map.py on the same code differ by ±0.15 s, so two
separate runs cannot show a 0.1 s change. This starts the dashboard of tree A and of tree B on the same
filled store and alternates fresh visits to them (A B, B A, A B, ...), so that both see the same
moments of the machine's load, then prints each median and the median of the paired differences.

Tree A is usually a git worktree of the commit before the change (`git worktree add /tmp/a HEAD~1`).
A worktree lacks what is built rather than committed: link data/index and *copy* static/vendor into
it (Streamlit does not serve files through a symlinked static folder).

Usage: .venv/bin/python scripts/bench_map_ab.py --a /tmp/a [--b .] --db sqlite:////tmp/s100k.sqlite [--pairs 12]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import bench_map  # noqa: E402


def _visit(browser, base: str) -> float:
    visit = bench_map.Visit(browser, base, [], route=False)
    try:
        visit.paint()
        return visit.painted_mark()
    finally:
        visit.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--a", type=Path, required=True, help="the tree before the change")
    ap.add_argument("--b", type=Path, default=ROOT, help="the tree after it (default: this one)")
    ap.add_argument("--db", required=True, help="a filled store (python -m geo demo --synthetic N --db URL)")
    ap.add_argument("--pairs", type=int, default=12)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        servers = {k: bench_map.start(args.db, Path(tmp) / f"{k}.log", root=tree.resolve())
                   for k, tree in (("A", args.a), ("B", args.b))}
        try:
            browser = p.chromium.launch(executable_path=bench_map.CHROMIUM, args=[bench_map.RESOLVER_RULES])
            for _, base in servers.values():
                _visit(browser, base)  # the cold visit: the store is read into memory
            times: dict[str, list[float]] = {"A": [], "B": []}
            for i in range(args.pairs):
                for k in ("AB" if i % 2 == 0 else "BA"):
                    times[k].append(_visit(browser, servers[k][1]))
        finally:
            for proc, _ in servers.values():
                bench_map.stop(proc)
    for k in "AB":
        xs = times[k]
        print(f"{k}: first paint median {statistics.median(xs):.3f} s ({min(xs):.2f}–{max(xs):.2f}), {len(xs)} visits")
    diff = [a - b for a, b in zip(times["A"], times["B"])]
    print(f"A − B, paired: median {statistics.median(diff):+.3f} s, mean {statistics.mean(diff):+.3f} s "
          "(positive: B paints sooner)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
