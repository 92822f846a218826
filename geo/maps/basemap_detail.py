"""The detailed offline basemap as one map element: towns by zoom, shorelines, lakes, rivers and borders.

The data is built once (`python -m geo basemap build`, part of `make index`: geo/layers/basemap_chunks.py) into
static/basemap/, which Streamlit serves at /app/static/basemap. The page gets only the manifest (which chunks
exist, about 4 KB); the browser then asks for the chunks of its view (geo/maps/js/basemap_detail.js). A page
with no server behind it (an export rendered by Chromium from a string) gets the chunks of its view inline
(`BasemapDetail.for_view`). Drawn under Leaflet's tile pane, so a web or local tile layer covers it.

One line adds it to a map: `BasemapDetail.from_folder().add_to(fmap)`; without a built folder it adds nothing.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path

from geo.config import BASEMAP_DIR
from geo.layers import basemap as sources
from geo.layers.basemap_chunks import Level, load_manifest
from geo.maps.elements import CMElement

DEFAULT_URL = "/app/static/basemap"  # where Streamlit serves it (server.enableStaticServing)
LABEL_LIMIT = 400  # town names drawn at once, at most
REGION_ZOOMS = (sources.REGION_ZOOM, 9)  # first-level names show between these zooms

# The colours of geo/maps/css/map.css (sea) and of the coarse basemap (land), so the two meet without a seam.
STYLE = {
    "sea": "#d4e4f1", "land": "#f4f1e8", "lake": "#d4e4f1", "coast": "#8fa8bd", "river": "#7ea6cf",
    "admin1": "#a98aa3", "border": "#7d7d7d", "town": "#555555", "label": "#2b2b2b", "halo": "rgba(255,255,255,0.9)",
    "region": "#8a6a86",
}


class BasemapDetail(CMElement):
    """Canvas tiles of land, lakes, shorelines, rivers and borders, and towns named by zoom, from per-level chunks."""

    plugin = "basemapDetail"  # geo/maps/js/basemap_detail.js
    options = ("levels", "url", "version", "chunks", "style", "attribution", "limit", "region_zoom")

    def __init__(self, manifest: dict | None, *, url: str | None = DEFAULT_URL, chunks: dict | None = None,
                 limit: int = LABEL_LIMIT):
        super().__init__()
        self._name = "BasemapDetail"
        manifest = manifest or {}
        self.levels = manifest.get("levels", [])
        self.version = str(manifest.get("version", ""))
        self.attribution = html.escape(str(manifest.get("attribution", "")))  # Leaflet writes it as HTML
        self.url, self.chunks, self.limit = url, chunks or {}, int(limit)
        self.style, self.region_zoom = STYLE, list(REGION_ZOOMS)

    def script(self) -> str:
        return super().script() if self.levels else ""  # nothing built: the coarse basemap stays as it is

    @classmethod
    def from_folder(cls, folder: Path | str = BASEMAP_DIR, url: str | None = DEFAULT_URL) -> BasemapDetail:
        """The element over a built folder, its chunks fetched from `url` as the view asks for them."""
        return cls(load_manifest(Path(folder)), url=url)

    @classmethod
    def for_view(cls, bounds: Iterable[Iterable[float]], zoom: int, folder: Path | str = BASEMAP_DIR,
                 zooms: Iterable[int] | None = None) -> BasemapDetail:
        """The element with the chunks that cover `bounds` ([[south, west], [north, east]]) inline, for a page
        that no server backs (exports); `zooms` (default: zoom alone) says which levels to carry."""
        manifest = load_manifest(Path(folder))
        chunks = view_chunks(Path(folder), manifest, bounds, zooms or [zoom]) if manifest else {}
        return cls(manifest, url=None, chunks=chunks)


def _level(entry: dict) -> Level:
    return Level(**{k: entry[k] for k in Level.__dataclass_fields__})


def view_chunks(folder: Path, manifest: dict, bounds: Iterable[Iterable[float]], zooms: Iterable[int]) -> dict:
    """{"<level>/<col>_<row>": chunk} of the levels serving `zooms` over `bounds`."""
    (south, west), (north, east) = bounds
    out: dict = {}
    zooms = set(zooms)
    for entry in manifest.get("levels", []):
        level = _level(entry)
        if not any(level.min_zoom <= z <= level.max_zoom for z in zooms):
            continue
        c0, r0 = level.cell_of(west, south)
        c1, r1 = level.cell_of(east, north)
        for col in range(c0, c1 + 1):
            for row in range(r0, r1 + 1):
                path = folder / level.name / f"{col}_{row}.json"
                if path.is_file():
                    out[f"{level.name}/{col}_{row}"] = json.loads(path.read_text(encoding="utf-8"))
    return out

