#!/usr/bin/env python
"""Screenshots of the event layer and the time tool (docs/events.png, docs/time-tool.png) from a running dashboard.

Start the dashboard on the demo store first:
    DATABASE_URL=sqlite:////tmp/demo.sqlite .venv/bin/python -m geo demo
    DATABASE_URL=sqlite:////tmp/demo.sqlite .venv/bin/streamlit run serve.py --server.port 8537 --server.headless true
then: .venv/bin/python scripts/event_time_screenshots.py --base http://localhost:8537

events.png: western Syria with the event layer on and one event's popup open. time-tool.png: the map with the time
player at a step (its cursor on the timeline) inside a brushed range (the bars outside it dimmed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAME = "iframe[title='pages._mapframe.map']"


def _map_frame(page):
    for _ in range(300):
        frame = next((f for f in page.frames if "_mapframe.map" in f.url), None)
        if frame is not None:
            return frame
        page.wait_for_timeout(100)
    raise SystemExit("the map's frame never appeared")


def _open(page, url: str, ready: str):
    page.goto(url)
    frame = _map_frame(page)
    frame.wait_for_function(ready, timeout=60_000)
    frame.wait_for_function("CM.toolsReady === true && document.querySelector('svg.cm-timeline')", timeout=30_000)
    page.wait_for_timeout(1500)  # the basemap's detail and the labels
    return frame


def _clip(page, below: int = 165) -> dict:
    """The map, its timeline and the caption under them."""
    box = page.locator(FRAME).bounding_box()
    return {"x": box["x"] - 8, "y": max(box["y"] - 8, 0), "width": box["width"] + 16,
            "height": box["height"] + below}


def events(page, base: str, out: Path) -> None:
    frame = _open(page, f"{base}/?layers=places|events&center=34.75,37.0&zoom=8",
                  "window.CM && CM.layers && CM.layers.events && CM.map && CM.map._loaded")
    # The popup of the event nearest Homs (a click on its symbol, where the spiral put it).
    point = frame.evaluate("""() => { const L = CM.layers.events, d = L.data; let best = null, bd = 1e9;
        L.group.getLayers().forEach(m => { const i = m.cmIndex, x = Math.abs(d.lat[i] - 34.73) + Math.abs(d.lon[i] - 36.71);
            if (x < bd && d.ev[i] >= 0) { bd = x; best = m; } });
        const p = CM.map.latLngToContainerPoint(best.getLatLng()); return [p.x, p.y]; }""")
    box = page.locator(FRAME).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    frame.wait_for_selector(".cm-event", timeout=10_000)
    page.wait_for_timeout(2500)  # the panel beside the map follows the click
    page.screenshot(path=str(out))


def time_tool(page, base: str, out: Path, time_from: str, time_to: str, day: str) -> None:
    frame = _open(page, f"{base}/?layers=places|events|time&center=34.9,37.6&zoom=7&time_from={time_from}"
                        f"&time_to={time_to}", "window.CM && CM.time && CM.map && CM.map._loaded")
    frame.evaluate("(day) => CM.time.draw(Math.max(0, CM.time.bins.indexOf(day)))", day)
    page.wait_for_timeout(800)
    page.screenshot(path=str(out), clip=_clip(page))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="http://localhost:8537")
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    ap.add_argument("--time-from", default="2017-03-20")
    ap.add_argument("--time-to", default="2017-04-20")
    ap.add_argument("--day", default="2017-04-07", help="the time player's step in the picture")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            events(page, args.base, args.out / "events.png")
            page = browser.new_page(viewport={"width": 1600, "height": 1320})  # the caption under the timeline too
            time_tool(page, args.base, args.out / "time-tool.png", args.time_from, args.time_to, args.day)
        finally:
            browser.close()
    print(f"wrote {args.out / 'events.png'} and {args.out / 'time-tool.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
