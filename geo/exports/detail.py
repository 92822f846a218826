"""The detailed offline basemap in a briefing: shorelines, lakes, rivers, borders and towns by zoom.

A briefing page has no server behind it, so it carries the chunks of its own view (geo.maps.basemap_detail,
built by `python -m geo basemap build`). The browser renderer hands them to the map's BasemapDetail element;
the static one decodes them here and draws them with matplotlib. The towns they name become labels that
both renderers place among the others (never over a place's name), not the canvas labels of the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.config import BASEMAP_DIR
from geo.exports.layout import inverse_mercator, view_extent
from geo.layers.basemap_chunks import Level, load_manifest
from geo.maps.basemap_detail import BasemapDetail, view_chunks
from geo.view.state import MapState

POLYGONS = ("land", "lake", "isle")
LINES = ("coast", "river", "admin1", "border")
VIEW_MARGIN = 0.35  # share of the estimated view added on each side: the renderers' boxes differ a little


@dataclass(frozen=True)
class Detail:
    """The chunks of a briefing's view, by "<level>/<col>_<row>"."""

    manifest: dict
    chunks: dict

    @property
    def credit(self) -> str:
        return str(self.manifest.get("attribution", ""))

    def element(self) -> BasemapDetail:
        """The map element that draws them in the browser (no server: the chunks inline)."""
        return BasemapDetail(self.manifest, url=None, chunks=self.chunks)

    @property
    def finest_zoom(self) -> int:
        """The highest zoom the carried chunks serve."""
        carried = {key.split("/", 1)[0] for key in self.chunks}
        return max((e["max_zoom"] for e in self.manifest.get("levels", []) if e["name"] in carried), default=0)

    def level(self, zoom: float) -> Level | None:
        z = round(zoom)
        for entry in self.manifest.get("levels", []):
            level = Level(**{k: entry[k] for k in Level.__dataclass_fields__})
            if level.min_zoom <= z <= level.max_zoom:
                return level
        return None

    def _cells(self, zoom: float):
        level = self.level(zoom)
        if level is None:
            return
        prefix = level.name + "/"
        for key, chunk in self.chunks.items():
            if key.startswith(prefix):
                col, row = (int(v) for v in key[len(prefix):].split("_"))
                yield level, -180 + col * level.cell, -90 + row * level.cell, chunk

    def shapes(self, zoom: float) -> dict[str, list]:
        """Lon/lat arrays at this zoom's level: {"land"|"lake"|"isle": [[ring, ...], ...], line kind: [line, ...]}."""
        out: dict[str, list] = {k: [] for k in (*POLYGONS, *LINES)}
        for level, x0, y0, chunk in self._cells(zoom):
            def path(a, x0=x0, y0=y0, q=level.quantum) -> np.ndarray:
                steps = np.asarray(a, float).reshape(-1, 2)
                return np.column_stack([x0 + np.cumsum(steps[:, 0]) / q, y0 + np.cumsum(steps[:, 1]) / q])
            for kind in POLYGONS:
                out[kind] += [[path(ring) for ring in poly] for poly in chunk.get(kind, [])]
            for kind in LINES:
                out[kind] += [path(line) for line in chunk.get(kind, [])]
        return out

    def towns(self, zoom: float) -> pd.DataFrame:
        """The towns the basemap names at this zoom (name, lat, lon, minzoom), most important first."""
        rows = []
        for level, x0, y0, chunk in self._cells(zoom):
            t = chunk.get("towns") or {}
            zs = t.get("z") or [0] * len(t.get("n", []))
            for i, (x, y, name, z) in enumerate(zip(t.get("x", []), t.get("y", []), t.get("n", []), zs)):
                if z <= round(zoom):
                    rows.append((str(name), y0 + y / level.quantum, x0 + x / level.quantum, int(z), i))
        frame = pd.DataFrame(rows, columns=["name", "lat", "lon", "minzoom", "rank"])
        return frame.sort_values(["minzoom", "rank"], kind="stable", ignore_index=True).drop(columns="rank")


def estimated_view(state: MapState, bounds, width_px: float, height_px: float):
    """((south, west), (north, east)) and zoom of a map box of this many CSS pixels (geo.exports.layout)."""
    x0, y0, x1, y1, zoom = view_extent(state, bounds, width_px, height_px)
    (s, w), (n, e) = inverse_mercator(x0, y0), inverse_mercator(x1, y1)
    return ((s, w), (n, e)), zoom


def view_detail(state: MapState, bounds, width_px: float, height_px: float,
                folder: Path | None = BASEMAP_DIR) -> Detail | None:
    """The detail a briefing of this map box needs (its view with a margin, at its zoom and the one below,
    which a narrower box may fit), or None where no basemap is built or the view is too far out."""
    if folder is None:
        return None
    manifest = load_manifest(Path(folder))
    if not manifest or not manifest.get("levels"):
        return None
    ((s, w), (n, e)), zoom = estimated_view(state, bounds, width_px, height_px)
    dy, dx = (n - s) * VIEW_MARGIN, (e - w) * VIEW_MARGIN
    box = [[max(s - dy, -85.0), max(w - dx, -180.0)], [min(n + dy, 85.0), min(e + dx, 180.0)]]
    zooms = [z for z in (round(zoom) - 1, round(zoom)) if z >= 0]
    chunks = view_chunks(Path(folder), manifest, box, zooms)
    return Detail(manifest, chunks) if chunks else None
