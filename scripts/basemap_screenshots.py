"""Screenshots of the detailed offline basemap: a standalone folium page (the base map plus BasemapDetail) served
from this machine only, around Kharkiv at zoom 9 and El Fasher (Darfur) at zoom 8.

    .venv/bin/python scripts/basemap_screenshots.py [--out docs]

Prints the bytes of the page and of the chunks the browser asked for (the first paint's cost). Needs
`python -m geo basemap build`, static/vendor (make assets), Debian's chromium and playwright.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.maps.basemap_detail import BasemapDetail  # noqa: E402

VIEWS = {"kharkiv": ((50.0, 36.23), 9), "darfur": ((13.63, 25.35), 8)}
CHROMIUM = "/usr/bin/chromium"


def page(center: tuple[float, float], zoom: int) -> str:
    """The base map (whichever module holds it now) with the detailed basemap added in one line."""
    try:
        from geo.maps.base import base_map
        fmap = base_map(tools=False, dashboard=False, view=(center, zoom), height="100%")
    except ImportError:
        from geo.maps.view import base_map
        fmap = base_map(tools=False, view=(center, zoom))
    BasemapDetail.from_folder().add_to(fmap)
    return fmap.get_root().render()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[str, int]] = []

    def log_message(self, *args) -> None:
        pass

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        _Quiet.sent.append((self.path, len(data)))
        outputfile.write(data)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(ROOT / "docs"))
    p.add_argument("--size", default="1280x800")
    args = p.parse_args()
    from playwright.sync_api import sync_playwright

    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "app").mkdir()
        (root / "app" / "static").symlink_to(ROOT / "static")
        for name, (center, zoom) in VIEWS.items():
            (root / f"{name}.html").write_text(page(center, zoom), encoding="utf-8")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for name in VIEWS:
                    _Quiet.sent.clear()
                    pg = browser.new_page(viewport={"width": width, "height": height})
                    pg.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                             else route.abort())
                    pg.goto(f"{base}/{name}.html", wait_until="networkidle")
                    pg.wait_for_function("window.CM && CM.stats && CM.stats.basemapLabels !== undefined",
                                         timeout=15_000)
                    pg.wait_for_timeout(500)
                    out = Path(args.out) / f"basemap-{name}.png"
                    pg.screenshot(path=str(out))
                    html_bytes = sum(n for path, n in _Quiet.sent if path.endswith(".html"))
                    chunks = [(path, n) for path, n in _Quiet.sent if "/basemap/" in path]
                    labels = pg.evaluate("CM.stats.basemapLabels")
                    print(f"{out}: page {html_bytes:,} B, {len(chunks)} chunks {sum(n for _, n in chunks):,} B, "
                          f"{labels} names drawn")
                    pg.close()
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
