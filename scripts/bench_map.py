#!/usr/bin/env python
"""Map page benchmark: first paint, page size and filter-update time at 1k / 10k / 100k events.

For each size: a temporary SQLite store is filled with geo.dev.synthetic (one event per article), the
team server is started on it with `streamlit run serve.py` (--script dashboard.py: the dashboard alone,
with no warm-up), and headless Chromium (playwright, /usr/bin/chromium) opens the Map page with every
request outside localhost blocked and counted. Measured:

  cold      the first visit, sent as soon as the server answers (serve.py is then reading the store's
            snapshot and making the default view in the background: pages/_warmup.py). The fill keeps the
            snapshot as `python -m geo ingest` does after a write; --no-snapshot leaves it out, so the
            first visit waits for the store to be read whole (a store written by an older version)
  paint     median time from navigation until the map has drawn its places, over --runs fresh tabs
  page      bytes the browser received for one visit: HTTP bodies (mostly Streamlit's own scripts) and
            WebSocket frames ("data": the page's elements, the map's script and layers)
  filter    median time from pressing Enter in the sidebar search until the map has redrawn its places
  outside   requests to anything but this machine (blocked; must be 0)

With --breakdown, the time lines of the first visit and of a later one: Streamlit's own page and scripts,
the WebSocket messages (the script's output, incl. the map), the map frame's scripts and the map's own
marks (geo.maps.elements).

Outside requests are cut by Chromium's own resolver rules (every name but this machine's fails to resolve)
and counted from the DevTools protocol. --cut route uses a Playwright route instead, as the browser tests do:
every request then waits on a handler in Python and the HTTP cache is off, which adds ~0.1 s to a visit.

"paint" is a first visit: every tab gets a fresh browser profile, so Streamlit's 2.7 MB of scripts are
fetched and compiled each time. --warm adds new tabs of one browser (what a returning analyst gets).

Usage: .venv/bin/python scripts/bench_map.py [--sizes 1000,10000,100000] [--runs 5] [--keep DIR] [--breakdown] [--warm]
       [--cut resolver|route]
       [--db URL (a filled store instead)] [--script serve.py|dashboard.py] [--root TREE (another checkout)]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.exports.browser import LOCAL_HOSTS, block_outside, is_local

CHROMIUM = "/usr/bin/chromium"
DRAWN = "window.CM && CM.layers && CM.layers.place && CM.map && CM.map._loaded"
MAP_FRAME = "_mapframe.map"  # the map component's frame (pages/_mapframe.py)
QUERIES = ("Kharkiv", "shelling", "Aleppo", "")


# --cut resolver: Chromium itself cannot resolve any name but this machine's, so nothing leaves it and no
# request waits on a Playwright route handler in Python (which adds its own latency to every request).
RESOLVER_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(url: str, n: int, snapshot: bool = True) -> float:
    from geo.dev.synthetic import fill_synthetic
    from geo.store import Store

    t = time.perf_counter()
    store = Store(url)
    fill_synthetic(store, n)
    fill_s = time.perf_counter() - t
    if snapshot:  # what `python -m geo ingest` / `demo --synthetic` do after a write (geo/cli.py)
        from geo.config import CACHE_DIR
        from geo.store import snapshot as frames_snapshot

        t = time.perf_counter()
        frames_snapshot.keep(store, CACHE_DIR)
        print(f"{n:>7,} events: map snapshot kept in {time.perf_counter() - t:.1f}s", flush=True)
    return fill_s


def start(url: str, log: Path, root: Path = ROOT, script: str = "serve.py") -> tuple[subprocess.Popen, str]:
    """`streamlit run serve.py` (the team server, as `make run` and the Docker image start it; or another
    script) of the tree at `root` on the store at `url`: (process, base URL) once it answers."""
    port = _free_port()
    # As `make run` does before it starts the server: its modules' bytecode, which a machine with
    # PYTHONDONTWRITEBYTECODE set would otherwise compile again at every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "geo", "pages", "dashboard.py", "serve.py"], cwd=root,
                   check=False, capture_output=True)
    with open(log, "w") as out:  # the server writes to its own copy of the file
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.headless", "true", "--server.fileWatcherType", "none"],
            cwd=root, env={**os.environ, "DATABASE_URL": url}, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    proc.terminate()
    raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    """End a server that start() began: politely, then for sure."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


class Visit:
    """One fresh browser tab on the Map page, counting bytes and outside requests."""

    def __init__(self, browser, base: str, outside: list[str], context=None, route: bool = True):
        self.route = route
        self.shared = context is not None  # a returning analyst: the browser's HTTP cache is warm
        self.context = context or browser.new_context(viewport={"width": 1600, "height": 1000})
        self.bytes = 0
        self.ws_bytes = 0  # Streamlit's messages: the page's data, incl. the map's script and layers
        self.outside = outside

        if route and (not self.shared or not getattr(self.context, "_cm_routed", False)):
            block_outside(self.context, outside, hosts=LOCAL_HOSTS)
            self.context._cm_routed = True
        self.page = self.context.new_page()
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.requestWillBeSent", self._sent)
        self.base = base
        self.clock: tuple[float, float] | None = None  # (wall, monotonic) of one request: CDP times → epoch
        self.urls: dict[str, str] = {}
        self.http: list[tuple[float, int, str]] = []  # (epoch s when loaded, bytes, url)
        self.frames: list[tuple[float, int]] = []  # (epoch s, bytes) of each WebSocket message received

    def _sent(self, e: dict) -> None:
        if self.clock is None and e.get("wallTime"):
            self.clock = (e["wallTime"], e["timestamp"])
        self.urls[e["requestId"]] = e["request"]["url"]
        if not self.route and not is_local(e["request"]["url"], LOCAL_HOSTS):
            self.outside.append(e["request"]["url"])  # refused by the browser's resolver rules; counted here

    def _epoch(self, t: float) -> float:
        return t - self.clock[1] + self.clock[0] if self.clock else float("nan")

    def _finished(self, e: dict) -> None:
        n = int(e.get("encodedDataLength", 0))
        self._add(n)
        self.http.append((self._epoch(e["timestamp"]), n, self.urls.get(e["requestId"], "?")))

    def _add(self, n: float) -> None:
        self.bytes += int(n)

    def _frame(self, event: dict) -> None:
        frame = event["response"]
        n = int(len(frame["payloadData"]) * (3 / 4 if frame["opcode"] == 2 else 1))  # binary frames come base64
        self.ws_bytes += n
        self.bytes += n
        self.frames.append((self._epoch(event["timestamp"]), n))

    def paint(self) -> float:
        t = time.perf_counter()
        self.start = time.time()
        self.page.goto(self.base + "/")
        frame = self.map_frame()
        frame.wait_for_function(DRAWN, timeout=120_000, polling=20)
        self.painted = time.time()
        return time.perf_counter() - t

    def painted_mark(self) -> float:
        """Seconds from navigation to the frame after the places layer was drawn, by the browser's own
        clocks (geo.maps.elements marks it): `paint` without the benchmark's polling delay."""
        frame = self.map_frame()
        frame.wait_for_function("performance.getEntriesByName('cm-painted-place').length > 0", timeout=30_000)
        start = self.page.evaluate("performance.timeOrigin")
        origin, mark = frame.evaluate(
            "[performance.timeOrigin, performance.getEntriesByName('cm-painted-place')[0].startTime]")
        return (origin + mark - start) / 1e3

    def breakdown(self) -> list[tuple[str, float, str]]:
        """Where the time to paint went: (what, seconds after navigation started, detail), in time order."""
        t0 = self.start
        main = self.page.evaluate(
            """() => { const n = performance.getEntriesByType('navigation')[0];
                       return {origin: performance.timeOrigin, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }""")
        frame = self.map_frame()
        marks = frame.evaluate(
            """() => ({origin: performance.timeOrigin,
                       marks: performance.getEntriesByType('mark').map(m => [m.name, m.startTime]),
                       res: performance.getEntriesByType('resource').map(r => [r.name, r.startTime, r.responseEnd]),
                       nav: performance.getEntriesByType('navigation').map(n => [n.domContentLoadedEventEnd, n.loadEventEnd])})""")
        rows = [("main page: DOMContentLoaded", main["origin"] / 1e3 + main["dcl"] / 1e3 - t0, "")]
        js = [(e, n, u) for e, n, u in self.http if u.endswith(".js") and "/vendor/" not in u]
        if js:
            rows.append(("main page: last Streamlit script loaded", max(e for e, _, _ in js) - t0,
                         f"{len(js)} scripts, {sum(n for _, n, _ in js) / 1e6:.2f} MB"))
        if self.frames:
            first = [f for f in self.frames if f[0] <= self.painted]
            rows.append(("websocket: first message", first[0][0] - t0, f"{first[0][1] / 1e3:.0f} kB"))
            big = max(first, key=lambda f: f[1])
            rows.append(("websocket: largest message", big[0] - t0, f"{big[1] / 1e3:.0f} kB"))
            rows.append(("websocket: last message before paint", first[-1][0] - t0,
                         f"{len(first)} messages, {sum(n for _, n in first) / 1e6:.2f} MB"))
        o = marks["origin"] / 1e3
        rows.append(("map frame: navigation", o - t0, ""))
        for name, start, end in marks["res"]:
            if name.endswith(".js"):
                rows.append(("map frame: loaded " + name.rsplit("/", 1)[-1], o + end / 1e3 - t0,
                             f"requested at {o + start / 1e3 - t0:.2f}"))
        for name, at in marks["marks"]:
            rows.append(("map frame: mark " + name, o + at / 1e3 - t0, ""))
        rows.append(("map drawn (seen by the benchmark)", self.painted - t0, ""))
        return sorted(rows, key=lambda r: r[1])

    def map_frame(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            for frame in self.page.frames:
                if MAP_FRAME in frame.url:
                    return frame
            self.page.wait_for_timeout(20)
        raise RuntimeError("no map frame")

    def filter_times(self) -> list[float]:
        frame = self.map_frame()
        box = self.page.get_by_placeholder("Words in the articles or place names")
        times = []
        for q in QUERIES:
            frame.evaluate("window.__bench = CM.layers.place, 1")
            box.fill(q)
            t = time.perf_counter()
            box.press("Enter")
            frame.wait_for_function("CM.layers.place !== window.__bench", timeout=60_000, polling=10)
            times.append(time.perf_counter() - t)
        return times

    def close(self) -> None:
        if self.shared:
            self.page.close()
        else:
            self.context.close()


def bench(n: int, runs: int, workdir: Path, browser, db: str | None = None, warm: bool = False,
          route: bool = True, root: Path = ROOT, script: str = "serve.py", snapshot: bool = True) -> dict:
    url = db or f"sqlite:///{workdir / f'bench_{n}.sqlite'}"
    fill_s = fill(url, n, snapshot) if db is None else 0.0
    launched = time.perf_counter()
    proc, base = start(url, workdir / f"bench_{n}.log", root, script)
    answering = time.perf_counter() - launched  # the server's start, until /_stcore/health says ok
    outside: list[str] = []
    try:
        first = Visit(browser, base, outside, route=route)
        cold = first.paint()
        cold_timeline = first.breakdown()
        first.close()
        paints, sizes, data, marks = [], [], [], []
        for _ in range(runs):
            v = Visit(browser, base, outside, route=route)
            paints.append(v.paint())
            marks.append(v.painted_mark())
            v.page.wait_for_timeout(1500)  # the rest of the page (timeline, tables) arrives too
            sizes.append(v.bytes)
            data.append(v.ws_bytes)
            v.close()
        warm_paints: list[float] = []
        if warm:  # new tabs of one browser: Streamlit's scripts (cached as immutable) and the map's come from its cache
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            try:
                for i in range(runs + 1):
                    v = Visit(browser, base, outside, context, route=route)
                    t = v.paint()
                    if i:  # the first visit fills the cache
                        warm_paints.append(t)
                    v.page.wait_for_timeout(1500)
                    v.close()
            finally:
                context.close()
        v = Visit(browser, base, outside, route=route)
        v.paint()
        timeline = v.breakdown()
        v.page.wait_for_timeout(1000)
        filters = v.filter_times()
        v.close()
    finally:
        stop(proc)
    return {"n": n, "fill": fill_s, "answering": answering, "cold": cold, "cold_timeline": cold_timeline, "paint": statistics.median(paints), "paint_max": max(paints),
            "paint_min": min(paints), "timeline": timeline, "warm": warm_paints, "marks": marks,
            "page": statistics.median(sizes), "data": statistics.median(data), "filter": statistics.median(filters), "filter_max": max(filters),
            "outside": len(outside)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="keep the stores and server logs in this folder")
    ap.add_argument("--breakdown", action="store_true", help="print where one visit's time to paint went")
    ap.add_argument("--warm", action="store_true",
                    help="also time new tabs of one browser (warm HTTP cache, as for a returning analyst)")
    ap.add_argument("--cut", choices=("route", "resolver"), default="resolver",
                    help="how outside requests are cut: a Playwright route (every request passes through Python) "
                         "or Chromium's resolver rules (counted from the DevTools protocol)")
    ap.add_argument("--db", help="use this filled store (one size: its own) instead of filling temporary ones")
    ap.add_argument("--script", default="serve.py",
                    help="the server's script: serve.py (the team server, which warms up before the first visit) "
                         "or dashboard.py")
    ap.add_argument("--no-snapshot", dest="snapshot", action="store_false",
                    help="fill the stores without keeping the map's snapshot (as a store written by an older "
                         "version): the first visit then waits for the store to be read whole")
    ap.add_argument("--root", type=Path, default=ROOT,
                    help="serve the dashboard of this tree (e.g. a git worktree of an older commit, for before/after)")
    args = ap.parse_args(argv)
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    from playwright.sync_api import sync_playwright

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    tmp = tempfile.TemporaryDirectory() if args.keep is None else None
    workdir = Path(tmp.name) if tmp else args.keep
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"] + ([RESOLVER_RULES] if args.cut == "resolver" else []),
        )
        try:
            if args.db:
                from geo.store import Store

                sizes = [Store(args.db).counts()["articles"]]
            for n in sizes:
                row = bench(n, args.runs, workdir, browser, args.db, args.warm, route=args.cut == "route",
                            root=args.root.resolve(), script=args.script, snapshot=args.snapshot)
                rows.append(row)
                if args.breakdown:
                    print("  the first visit after the server started:")
                    for what, at, detail in row["cold_timeline"]:
                        print(f"    {at:6.2f} s  {what}{'  (' + detail + ')' if detail else ''}")
                    print("  a later visit (fresh browser profile):")
                    for what, at, detail in row["timeline"]:
                        print(f"    {at:6.2f} s  {what}{'  (' + detail + ')' if detail else ''}")
                print(f"{n:>7,} events: fill {row['fill']:.1f}s · cold {row['cold']:.2f}s · paint {row['paint']:.2f}s "
                      f"({row['paint_min']:.2f}–{row['paint_max']:.2f}) · page {row['page'] / 1e6:.2f} MB (data {row['data'] / 1e6:.2f} MB) · filter {row['filter']:.2f}s "
                      f"(max {row['filter_max']:.2f}) · outside {row['outside']}", flush=True)
                print(f"{'':>16}server launched -> answering {row['answering']:.2f}s; launched -> first visit's map drawn "
                      f"{row['answering'] + row['cold']:.2f}s", flush=True)
                m = row["marks"]
                print(f"{'':>16}painted (the browser's own mark, no polling): {statistics.median(m):.2f}s "
                      f"({min(m):.2f}–{max(m):.2f})", flush=True)
                if row["warm"]:
                    w = row["warm"]
                    print(f"{'':>16}warm cache: paint {statistics.median(w):.2f}s ({min(w):.2f}–{max(w):.2f})", flush=True)
        finally:
            browser.close()
    print()
    print("| events | first paint (median) | page size (of it data) | filter update (median / max) | cold first visit "
          "| outside requests |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['paint']:.2f} s ({r['paint_min']:.2f}–{r['paint_max']:.2f}) | {r['page'] / 1e6:.2f} MB ({r['data'] / 1e6:.2f} MB) "
              f"| {r['filter']:.2f} / {r['filter_max']:.2f} s "
              f"| {r['cold']:.2f} s | {r['outside']} |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{os.cpu_count()} CPUs, load average {load_before:.2f} at the start, {load:.2f} at the end; "
          f"runs per size: {args.runs}; outside requests cut by {args.cut}; server: {args.script} of {args.root}")
    if tmp:
        tmp.cleanup()
    return 1 if any(r["outside"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
