"""A local tile source for the map: a folder of z/x/y tiles under static/tiles, served by Streamlit.

Streamlit serves ./static at /app/static/ (server.enableStaticServing), so a tile pyramid copied to
static/tiles/{z}/{x}/{y}.png needs no server of its own. An MBTiles file is converted into such a
folder once (`mbtiles_to_folder`, or scripts/mbtiles_to_folder.py). An optional
static/tiles/metadata.json gives {"name", "attribution", "minzoom", "maxzoom"}.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

TILE_EXTENSIONS = ("png", "jpg", "jpeg", "webp")
STATIC_ROUTE = "/app/static"


@dataclass(frozen=True)
class LocalTiles:
    url: str  # Leaflet URL template
    name: str = "Local tiles"
    attribution: str = ""
    min_zoom: int = 0
    max_zoom: int = 18


def _first_tile(folder: Path) -> tuple[int, str] | None:
    """(zoom, extension) of some tile in a z/x/y folder, looking only as deep as needed."""
    zooms = sorted(int(e.name) for e in os.scandir(folder) if e.is_dir() and e.name.isdigit())
    for z in zooms:
        for x in os.scandir(folder / str(z)):
            if not (x.is_dir() and x.name.isdigit()):
                continue
            for y in os.scandir(x.path):
                stem, _, ext = y.name.partition(".")
                if stem.isdigit() and ext.lower() in TILE_EXTENSIONS:
                    return z, ext
    return None


def find_local_tiles(static_dir: Path | str, folder: str = "tiles") -> LocalTiles | None:
    """The tile folder under static_dir, if it holds any tiles."""
    root = Path(static_dir) / folder
    if not root.is_dir():
        return None
    found = _first_tile(root)
    if found is None:
        return None
    meta: dict = {}
    if (root / "metadata.json").is_file():
        try:
            meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
    zooms = [int(e.name) for e in os.scandir(root) if e.is_dir() and e.name.isdigit()]

    def _int(key: str, default: int) -> int:
        try:
            return int(meta.get(key, default))
        except (TypeError, ValueError):
            return default

    return LocalTiles(
        url=f"{STATIC_ROUTE}/{folder}/{{z}}/{{x}}/{{y}}.{found[1]}",
        name=str(meta.get("name") or "Local tiles"),
        attribution=str(meta.get("attribution") or ""),
        min_zoom=_int("minzoom", min(zooms)),
        max_zoom=_int("maxzoom", max(zooms)),
    )


def mbtiles_to_folder(mbtiles: Path | str, out_dir: Path | str) -> int:
    """Write every tile of an MBTiles file as out_dir/z/x/y.ext (XYZ rows); returns the tile count.

    MBTiles numbers rows from the south (TMS); Leaflet's {y} counts from the north, hence the flip.
    """
    out = Path(out_dir)
    con = sqlite3.connect(f"file:{Path(mbtiles)}?mode=ro", uri=True)
    try:
        meta = dict(con.execute("SELECT name, value FROM metadata").fetchall())
        ext = {"jpeg": "jpg"}.get(meta.get("format", "png"), meta.get("format", "png"))
        if ext not in TILE_EXTENSIONS:
            raise ValueError(f"{mbtiles}: tiles in format {ext!r} are not images Leaflet can show")
        n = 0
        for z, x, row, data in con.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
            y = (1 << z) - 1 - row
            path = out / str(z) / str(x) / f"{y}.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            n += 1
    finally:
        con.close()
    keep = {k: meta[k] for k in ("name", "attribution", "minzoom", "maxzoom") if k in meta}
    (out / "metadata.json").write_text(json.dumps(keep, indent=1), encoding="utf-8")
    return n
