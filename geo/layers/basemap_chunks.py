"""The detailed offline basemap cut into small JSON chunks per level of detail, written once at `make index`.

The browser asks only for the chunks of the level it shows that cover its view (geo/maps/js/basemap_detail.js),
so the map's first message carries a one-line manifest, not the world. Each level keeps what is legible at its
zooms: outlines simplified to about a pixel, small islands and lakes and short rivers left out, the towns that
show by then. Coordinates are integers (`quantum` per degree) from the chunk's south-west corner, each point
written as the step from the one before: a chunk of Kharkiv's surroundings is a few tens of kilobytes.

Written as static/basemap/<level>/<col>_<row>.json plus manifest.json (Streamlit serves ./static at /app/static).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo.layers import basemap

MANIFEST = "manifest.json"
FORMAT = 1
ATTRIBUTION = "Shorelines, lakes, rivers, borders: GSHHG 2.3.7 (LGPL-3.0+) · Towns: GeoNames (CC BY 4.0)"


@dataclass(frozen=True)
class Level:
    """One level of detail: the zooms it serves, its chunk size and how much it keeps."""

    name: str
    min_zoom: int
    max_zoom: int
    cell: float  # degrees per chunk side
    tolerance: float  # simplification, degrees (about a pixel at min_zoom)
    quantum: int  # coordinate units per degree
    min_area: float  # polygons smaller than this (square degrees) are left out
    min_river_km: float  # shorter river lines are left out

    @property
    def cols(self) -> int:
        return math.ceil(360 / self.cell)

    @property
    def rows(self) -> int:
        return math.ceil(180 / self.cell)

    def cell_of(self, lon: float, lat: float) -> tuple[int, int]:
        col = min(int((lon + 180) // self.cell), self.cols - 1)
        row = min(int((lat + 90) // self.cell), self.rows - 1)
        return max(col, 0), max(row, 0)

    def bounds(self, col: int, row: int) -> tuple[float, float, float, float]:
        x0, y0 = -180 + col * self.cell, -90 + row * self.cell
        return x0, y0, min(x0 + self.cell, 180.0), min(y0 + self.cell, 90.0)


LEVELS: tuple[Level, ...] = (
    Level("w", 4, 4, 30.0, 0.08, 25, 0.05, 300.0),
    Level("a", 5, 6, 10.0, 0.02, 100, 0.002, 60.0),
    Level("b", 7, 8, 4.0, 0.004, 500, 0.0002, 15.0),
    Level("c", 9, 18, 2.0, 0.0, 2000, 0.0, 0.0),
)

# Chunk keys, drawn bottom to top: polygons filled, lines stroked (see basemap_detail.js).
POLYGON_KEYS = ("land", "lake", "isle")
LINE_KEYS = ("coast", "river", "admin1", "border")
CUT_TO_LAND = frozenset({"admin1"})
ADMIN1_ZOOM = 5  # first-level lines from this zoom: below it they are a smudge (Slovenia has 212)


def line_km(points: np.ndarray) -> float:
    """Length of a lon/lat line in km (equirectangular per step: enough to rank rivers)."""
    if len(points) < 2:
        return 0.0
    lon, lat = np.radians(points[:, 0]), np.radians(points[:, 1])
    dx = np.diff(lon) * np.cos((lat[1:] + lat[:-1]) / 2)
    return float(6371.0 * np.hypot(dx, np.diff(lat)).sum())


def _joined(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Many coordinate arrays as one, with the index of the part each point belongs to (shapely's `indices`)."""
    sizes = [len(p) for p in parts]
    return np.concatenate(parts), np.repeat(np.arange(len(parts)), sizes)


def _polygons(rings: Iterable[np.ndarray], level: Level) -> np.ndarray:
    rings = [r for r in rings if len(r) >= 4]
    if not rings:
        return np.array([], dtype=object)
    coords, index = _joined(rings)
    polys = shapely.polygons(shapely.linearrings(coords, indices=index))
    polys = polys[shapely.area(polys) >= level.min_area] if level.min_area else polys
    return shapely.simplify(polys, level.tolerance, preserve_topology=True) if level.tolerance else polys


def _lines(lines: Iterable[np.ndarray], level: Level, min_km: float = 0.0) -> np.ndarray:
    kept = [ln for ln in lines if len(ln) >= 2 and (not min_km or line_km(ln) >= min_km)]
    if not kept:
        return np.array([], dtype=object)
    coords, index = _joined(kept)
    geoms = shapely.linestrings(coords, indices=index)
    return shapely.simplify(geoms, level.tolerance, preserve_topology=False) if level.tolerance else geoms


def level_geometries(shapes: basemap.Shapes, level: Level, admin1: Iterable[np.ndarray] = ()) -> dict[str, np.ndarray]:
    """Each chunk key's shapely geometries for one level, simplified and thinned for its zooms."""
    land = _polygons(shapes.land, level)
    lakes = _polygons(shapes.lakes, level)
    isles = _polygons(shapes.islands, level)
    shores = np.concatenate([shapely.boundary(g) for g in (land, lakes, isles) if len(g)] or [np.array([], object)])
    return {"land": land, "lake": lakes, "isle": isles, "coast": shores,
            "river": _lines(shapes.rivers, level, level.min_river_km),
            "admin1": _lines(admin1 if level.min_zoom >= ADMIN1_ZOOM else (), level),
            "border": _lines(shapes.borders, level)}


def _parts(geom) -> list:
    """The polygons or lines a clipped geometry is made of."""
    if geom is None or shapely.is_empty(geom):
        return []
    kind = shapely.get_type_id(geom)
    if kind in (1, 2, 3):  # LineString, LinearRing, Polygon
        return [geom]
    return [p for g in shapely.get_parts(geom) for p in _parts(g)]


def _encode(coords: np.ndarray, x0: float, y0: float, q: int, closed: bool) -> list[int] | None:
    """Points as integer steps from the chunk's corner: [x, y, dx, dy, ...]; None when too few are left."""
    if closed and len(coords) > 1:
        coords = coords[:-1]
    ints = np.round((coords[:, :2] - (x0, y0)) * q).astype(np.int64)
    keep = np.ones(len(ints), bool)
    keep[1:] = (np.diff(ints, axis=0) != 0).any(axis=1)
    ints = ints[keep]
    if len(ints) < (3 if closed else 2):
        return None
    steps = np.vstack([ints[:1], np.diff(ints, axis=0)])
    return steps.ravel().tolist()


def encode_polygon(poly, x0: float, y0: float, q: int) -> list[list[int]] | None:
    """A polygon as its rings (outer first), each encoded; holes are drawn by the even-odd rule."""
    rings = [_encode(shapely.get_coordinates(poly.exterior), x0, y0, q, True)]
    if rings[0] is None:
        return None
    holes = (_encode(shapely.get_coordinates(r), x0, y0, q, True) for r in poly.interiors)
    return rings + [h for h in holes if h is not None]


def encode_line(line, x0: float, y0: float, q: int) -> list[int] | None:
    return _encode(shapely.get_coordinates(line), x0, y0, q, False)


def _land(polygons: list):
    """One geometry of a cell's land, to cut lines to (clipping can leave a polygon invalid: repaired first)."""
    return shapely.union_all(shapely.make_valid(np.array(polygons, dtype=object))) if polygons else shapely.Polygon()


def _bitmap(cells: Iterable[tuple[int, int]], level: Level) -> str:
    """Which chunks exist, one bit per cell (row-major from the south-west), base64: the browser asks for no
    chunk that is not there."""
    bits = bytearray((level.cols * level.rows + 7) // 8)
    for col, row in cells:
        i = row * level.cols + col
        bits[i // 8] |= 1 << (i % 8)
    return base64.b64encode(bytes(bits)).decode("ascii")


def _points(frame: pd.DataFrame, x0: float, y0: float, q: int, zoom: bool) -> dict:
    out = {"x": np.round((frame["lon"].to_numpy() - x0) * q).astype(int).tolist(),
           "y": np.round((frame["lat"].to_numpy() - y0) * q).astype(int).tolist(),
           "n": frame["name"].astype(str).tolist()}
    if zoom:
        out["z"] = frame["minzoom"].astype(int).tolist()
    return out


def level_chunks(level: Level, geoms: dict[str, np.ndarray], towns: pd.DataFrame,
                 regions: pd.DataFrame) -> Iterable[tuple[tuple[int, int], dict]]:
    """((col, row), chunk) for every cell of the level that holds anything."""
    trees = {k: shapely.STRtree(g) for k, g in geoms.items() if len(g)}
    towns = towns[towns["minzoom"] <= level.max_zoom]
    by_cell: dict[tuple[int, int], dict[str, pd.DataFrame]] = {}
    for name, frame in (("towns", towns), ("regions", regions)):
        if frame.empty:
            continue
        cols = ((frame["lon"].to_numpy() + 180) // level.cell).clip(0, level.cols - 1).astype(int)
        rows = ((frame["lat"].to_numpy() + 90) // level.cell).clip(0, level.rows - 1).astype(int)
        for key, part in frame.groupby([cols, rows], sort=False):
            by_cell.setdefault(tuple(int(k) for k in key), {})[name] = part
    cells = set(by_cell)
    for k, tree in trees.items():
        bounds = shapely.bounds(geoms[k])
        for x0, y0, x1, y1 in bounds:
            c0, r0 = level.cell_of(x0, y0)
            c1, r1 = level.cell_of(x1, y1)
            cells.update((c, r) for c in range(c0, c1 + 1) for r in range(r0, r1 + 1))
    q = level.quantum
    for col, row in sorted(cells):
        x0, y0, x1, y1 = level.bounds(col, row)
        box = shapely.box(x0, y0, x1, y1)
        chunk: dict = {}
        parts: dict[str, list] = {}
        for k in trees:  # in key order: land comes before the lines that are cut to it
            hits = trees[k].query(box, predicate="intersects")
            if not len(hits):
                continue
            clipped = shapely.clip_by_rect(geoms[k][hits], x0, y0, x1, y1)
            if k in CUT_TO_LAND:  # a line guessed from towns (admin1) stops at the shore
                clipped = shapely.intersection(clipped, _land(parts.get("land", [])))
            parts[k] = [p for g in clipped for p in _parts(g) if shapely.get_type_id(p) == (3 if k in POLYGON_KEYS else 1)
                        or (k not in POLYGON_KEYS and shapely.get_type_id(p) == 2)]
            if k in POLYGON_KEYS:
                enc = [encode_polygon(p, x0, y0, q) for p in parts[k]]
            else:
                enc = [encode_line(p, x0, y0, q) for p in parts[k]]
            enc = [e for e in enc if e]
            if enc:
                chunk[k] = enc
        found = by_cell.get((col, row), {})
        if "towns" in found:
            chunk["towns"] = _points(found["towns"], x0, y0, q, zoom=True)
        if "regions" in found and level.max_zoom >= basemap.REGION_ZOOM:
            chunk["regions"] = _points(found["regions"], x0, y0, q, zoom=False)
        if chunk:
            yield (col, row), chunk


def build(out_dir: Path, shapes: basemap.Shapes, towns: pd.DataFrame, regions: pd.DataFrame, *,
          admin1: Iterable[np.ndarray] = (), levels: tuple[Level, ...] = LEVELS,
          progress: Callable[[str], None] | None = None) -> dict:
    """Write every level's chunks and the manifest into out_dir (replaced whole, so a running server never
    serves half a build); returns the manifest."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".basemap-", dir=out_dir.parent))
    digest = hashlib.sha256()
    admin1 = list(admin1)
    manifest = {"format": FORMAT, "attribution": ATTRIBUTION, "levels": []}
    try:
        for level in levels:
            geoms = level_geometries(shapes, level, admin1)
            (tmp / level.name).mkdir()
            cells, size = [], 0
            for (col, row), chunk in level_chunks(level, geoms, towns, regions):
                text = json.dumps(chunk, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
                (tmp / level.name / f"{col}_{row}.json").write_bytes(text)
                digest.update(text)
                cells.append((col, row))
                size += len(text)
            manifest["levels"].append({**asdict(level), "cells": _bitmap(cells, level)})
            if progress:
                progress(f"basemap level {level.name} (zoom {level.min_zoom}-{level.max_zoom}): "
                         f"{len(cells):,} chunks, {size / 1e6:.1f} MB")
        manifest["version"] = digest.hexdigest()[:12]
        (tmp / MANIFEST).write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
        os.chmod(tmp, 0o755)
        old = out_dir.with_name(out_dir.name + ".old")
        if out_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def load_manifest(folder: Path) -> dict | None:
    """The manifest of a built basemap folder, or None when there is none (or it is of another format)."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def build_from_installed(out_dir: Path, gazetteer: Path, *, resolution: str = "i",
                         progress: Callable[[str], None] | None = None) -> dict:
    """Build from the installed GSHHG package and the gazetteer index (about 40 s, 25 MB of chunks)."""
    from geo.layers import admin1

    shapes = basemap.shapes(resolution)
    towns = basemap.towns(gazetteer)
    lines = admin1.approximate_lines(gazetteer)
    return build(out_dir, shapes, towns, basemap.regions(gazetteer), admin1=lines, progress=progress)
