#!/usr/bin/env python
"""Many analysts at once: how long each page run of the dashboard takes with N concurrent sessions.

Streamlit runs every session's script in a thread of one server process; the threads share one
interpreter lock, so on a busy server the runs of different sessions wait on each other. This starts
`streamlit run dashboard.py` on a store (scripts/bench_map.start) and drives N sessions at once over
Streamlit's own WebSocket protocol (the protobuf messages its browser client sends), so that the
clients cost the machine next to nothing and every second measured is the server's:

  load     a new session opens the Map page (connect, first run, until the run's `script_finished`)
  filter   the sidebar's Search box changes (one run of the whole page)
  click    a place on the map is clicked (the map frame reports it: the run that selects it; when the map
           is drawn in a fragment, only the fragment, as a browser asks)

Each session does one load, then --rounds filter changes and clicks in turn, back to back without
pause (the worst case: N analysts who all act at the same moment and keep at it). By default all
sessions search for the same words and click the same places (what the server makes for one it shares
with the others); with --distinct each session searches for and clicks places of its own, so every
filter change is new work for the server. Printed per N: the
median, 90th percentile and maximum of each kind of run, and the load average of the machine before
and after (other work on the machine slows every figure; run --repeat > 1 and compare like with like).

With --a TREE (e.g. a `git worktree add /tmp/before HEAD~3`), the dashboard of that tree and of this
one are started on the same store and measured in turn (A B, B A, ...), so both see the same load.

Usage: .venv/bin/python scripts/bench_sessions.py --db sqlite:////tmp/demo.sqlite [--sessions 1,10,25]
       [--rounds 4] [--repeat 1] [--a /tmp/before] [--page map|articles|events] [--distinct]
       (fill a store: python -m geo demo --db URL, or python -m geo demo --synthetic 10000 --db URL)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import html
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import bench_map  # noqa: E402  (start: the dashboard on a store, waiting for its health check)

QUERIES = ("Kharkiv", "shelling", "Aleppo", "")  # as scripts/bench_map.py types them
SEARCH_LABEL = "Search"  # the sidebar's text box (pages/_shared.sidebar)
MAP_KEY = "place_map"  # the map frame's widget key prefix (pages/map.py)


@dataclass
class Session:
    """One analyst's browser, as Streamlit's client speaks to the server (protobuf over a WebSocket)."""

    base: str
    page: str = ""
    times: dict[str, list[float]] = field(default_factory=lambda: {"load": [], "filter": [], "click": []})
    widgets: dict[str, str] = field(default_factory=dict)  # label or key -> widget id, from the deltas
    places: list[dict] = field(default_factory=list)  # what a click can hit (from the map's layers)
    errors: list[str] = field(default_factory=list)
    selected: int = 0  # click runs that drew a place's panel (the click did select it)
    page_hash: str = ""  # the page's script hash (new_session), sent back on every rerun as the browser does
    map_fragment: str = ""  # the fragment the map is drawn in, if any: a click reruns only that (as in a browser)

    async def run(self, rounds: int, start: asyncio.Event, distinct: int | None = None) -> None:
        """Load, then `rounds` filter changes and clicks. `distinct`: this session's number, to search for
        and click what no other session does (place names of the map, from that offset on)."""
        import websockets

        await start.wait()
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        t = time.perf_counter()
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None,
                                      compression=None) as ws:
            await self._rerun(ws, [])
            self.times["load"].append(time.perf_counter() - t)
            for i in range(rounds):
                search = self.widgets.get(SEARCH_LABEL)
                if search:
                    t = time.perf_counter()
                    query = QUERIES[i % len(QUERIES)]
                    if distinct is not None and self.places:
                        query = self.places[(distinct * rounds + i) % len(self.places)]["name"]
                    await self._rerun(ws, [self._text(search, query)])
                    self.times["filter"].append(time.perf_counter() - t)
                frame = next((v for k, v in self.widgets.items() if k.startswith("component:")), None)
                if frame and self.places:
                    hit = self.places[((distinct or 0) * rounds + i) % len(self.places)]
                    value = {"cm_view": {"lat": hit["lat"], "lng": hit["lon"], "zoom": 6},
                             "cm_clicked": {"t": time.time() * 1000 + i, "kind": "place", "key": hit["key"],
                                            "lat": hit["lat"], "lon": hit["lon"]}}
                    t = time.perf_counter()
                    if await self._rerun(ws, [self._json(frame, value)], fragment=self.map_fragment):
                        self.selected += 1
                    self.times["click"].append(time.perf_counter() - t)

    @staticmethod
    def _text(wid: str, value: str):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        return WidgetState(id=wid, string_value=value)

    @staticmethod
    def _json(wid: str, value: dict):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        return WidgetState(id=wid, json_value=json.dumps(value))

    async def _rerun(self, ws, states: list, fragment: str = "") -> bool:
        """Ask for a run (with these widget values) and read the server's messages until it finished;
        whether the run drew a place's panel."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ClientState_pb2 import ClientState
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        msg = BackMsg(rerun_script=ClientState(query_string="", page_name=self.page, page_script_hash=self.page_hash,
                                               fragment_id=fragment, widget_states=WidgetStates(widgets=states)))
        await ws.send(msg.SerializeToString())
        panel = False
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=300))
            kind = fwd.WhichOneof("type")
            if kind == "new_session" and not self.page_hash:
                self.page_hash = fwd.new_session.page_script_hash
            elif kind == "delta":
                panel = self._note(fwd.delta) or panel
            elif kind == "script_finished":
                return panel

    def _note(self, delta) -> bool:
        """Remember the widgets this benchmark drives, and a few places a click can hit; True for the
        heading of a place's panel (pages/_panel.place_panel)."""
        if delta.WhichOneof("type") != "new_element":
            return False
        el = delta.new_element
        kind = el.WhichOneof("type")
        if kind == "markdown" and el.markdown.body.startswith("<h4 style='margin:0'>"):
            return True
        if kind == "text_input":
            self.widgets[el.text_input.label] = el.text_input.id
        elif kind == "exception":
            self.errors.append(el.exception.message[:200])
        elif kind == "component_instance" and MAP_KEY in el.component_instance.id:
            self.widgets[f"component:{el.component_instance.component_name}"] = el.component_instance.id
            self.map_fragment = delta.fragment_id
            if not self.places:
                self.places = _places(el.component_instance.json_args)
        return False


def _places(json_args: str) -> list[dict]:
    """A few places of the map's places layer (ids and positions, as a click on them reports them)."""
    decoder = json.JSONDecoder()
    # Each entry is [digest, script], or [digest] alone for a script the frame already holds (geo.maps.frame.Sent).
    entries = json.loads(json_args).get("layers", {}).get("scripts", [])
    for script in (entry[1] for entry in entries if len(entry) > 1):
        for m in re.finditer(r"window\.CM\.plugins\.pointLayer\([\w.]+, ", script):  # geo.maps.elements.PointLayer
            try:
                options, _ = decoder.raw_decode(script, m.end())
            except ValueError:
                continue
            cols = options.get("data") or {}
            keys = cols.get("key") or []
            if keys and all(isinstance(k, int) for k in keys) and "lat" in cols:
                names = [html.unescape(m.group(1)) if m else "" for m in
                         (re.match(r"<b>(.*?)</b>", str(label)) for label in cols.get("label", [""] * len(keys)))]
                return [{"key": k, "lat": a, "lon": b, "name": n}
                        for k, a, b, n in zip(keys, cols["lat"], cols["lon"], names)][:400]
    return []


async def _round(base: str, n: int, rounds: int, page: str, distinct: int | None) -> list[Session]:
    sessions = [Session(base, page) for _ in range(n)]
    start = asyncio.Event()
    tasks = [asyncio.create_task(s.run(rounds, start, None if distinct is None else distinct + i))
             for i, s in enumerate(sessions)]
    await asyncio.sleep(0.05)
    start.set()
    await asyncio.gather(*tasks)
    return sessions


def measure(base: str, n: int, rounds: int, page: str = "", distinct: int | None = None) -> dict:
    """N sessions at once on a running dashboard: their page-run times by kind, and the load average.
    `distinct`: every session searches for and clicks other places (from this offset on), so nothing
    one session asks for was made for another (the worst case for what the server shares)."""
    load0 = os.getloadavg()[0]
    t = time.perf_counter()
    sessions = asyncio.run(_round(base, n, rounds, page, distinct))
    wall = time.perf_counter() - t
    out: dict = {"n": n, "wall": wall, "loadavg": (load0, os.getloadavg()[0]),
                 "errors": [e for s in sessions for e in s.errors], "selected": sum(s.selected for s in sessions)}
    for kind in ("load", "filter", "click"):
        xs = sorted(x for s in sessions for x in s.times[kind])
        if xs:
            out[kind] = (statistics.median(xs), xs[min(len(xs) - 1, int(0.9 * len(xs)))], xs[-1], len(xs))
    return out


def _fmt(r: dict, kind: str) -> str:
    if kind not in r:
        return "—"
    med, p90, mx, _ = r[kind]
    return f"{med:.2f} / {p90:.2f} / {mx:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a filled store (python -m geo demo [--synthetic N] --db URL)")
    ap.add_argument("--sessions", default="1,10,25", help="numbers of concurrent sessions")
    ap.add_argument("--rounds", type=int, default=4, help="filter changes and clicks per session after its load")
    ap.add_argument("--repeat", type=int, default=1, help="measure each N this many times (interleaved)")
    ap.add_argument("--a", type=Path, help="also measure this tree (the code before a change), in turn with this one")
    ap.add_argument("--page", default="", help="the page's URL path name (default: the Map page)")
    ap.add_argument("--keep", type=Path, help="keep the server logs in this folder")
    ap.add_argument("--distinct", action="store_true",
                    help="every session searches for and clicks places no other session does (nothing shared)")
    args = ap.parse_args(argv)
    counts = [int(s) for s in args.sessions.split(",") if s.strip()]
    tmp = tempfile.TemporaryDirectory() if args.keep is None else None
    workdir = Path(tmp.name) if tmp else args.keep
    workdir.mkdir(parents=True, exist_ok=True)
    trees = {"A": args.a.resolve(), "B": ROOT} if args.a else {"": ROOT}
    servers = {}
    try:
        for name, tree in trees.items():
            servers[name] = bench_map.start(args.db, workdir / f"server{name or '_'}.log", root=tree)
            measure(servers[name][1], 1, 1, args.page)  # the cold run: the store is read into memory
        rows = []
        for rep in range(args.repeat):
            for n in counts:
                order = list(servers) if rep % 2 == 0 else list(reversed(servers))
                for name in order:
                    # --distinct: new places in every repeat, the same ones for tree A and B
                    offset = (rep * 1000 + n * 37) if args.distinct else None
                    r = measure(servers[name][1], n, args.rounds, args.page, offset)
                    r["tree"] = name
                    rows.append(r)
                    print(f"{name or 'this tree'} N={n:>3}: load {_fmt(r, 'load')}  filter {_fmt(r, 'filter')}  "
                          f"click {_fmt(r, 'click')} ({r['selected']} selected)  ({r['wall']:.1f} s, load average "
                          f"{r['loadavg'][0]:.2f} -> {r['loadavg'][1]:.2f}){'  ERRORS: ' + str(r['errors'][:2]) if r['errors'] else ''}",
                          flush=True)
    finally:
        for proc, _ in servers.values():
            bench_map.stop(proc)
    print(f"\nPage-run seconds, median / p90 / max, {args.rounds} filter changes and clicks per session after "
          f"its load{', each session its own places' if args.distinct else ''}; {os.cpu_count()} CPUs; "
          f"store {args.db}")
    print("| tree | sessions | load | filter | click | load average (before -> after) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['tree'] or 'this'} | {r['n']} | {_fmt(r, 'load')} | {_fmt(r, 'filter')} | {_fmt(r, 'click')} "
              f"| {r['loadavg'][0]:.2f} -> {r['loadavg'][1]:.2f} |")
    if tmp:
        tmp.cleanup()
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
