"""Roads layer: a user's roads file when there is one, else the schematic corridors shipped as data."""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString

from geo.gazetteer import Gazetteer
from geo.config import LAYERS_DIR

SCHEMATIC_CSV = LAYERS_DIR / "roads_schematic.csv"
SCHEMATIC_SOURCE = "Conflict Map schematic roads (towns from GeoNames, CC BY 4.0)"
_NAME_COLUMNS = ("name", "NAME", "ref", "REF", "label", "LABEL", "name_en", "highway", "type")


class RoadDataError(ValueError):
    """A roads file or waypoint that cannot be used, with the reason."""


def _waypoint(gazetteer: Gazetteer, spec: str, country: str) -> tuple[float, float]:
    """`Name` (looked up in the gazetteer within the road's country) or `Name@lat lon`."""
    if "@" in spec:
        _, coords = spec.split("@", 1)
        lat, lon = (float(x) for x in coords.split())
        return lon, lat
    places = [c for c in gazetteer.candidates(spec) if c.feature in ("city", "facility")]
    # Roads cross borders (Damascus–Beirut): the road's own country first, then the biggest namesake.
    cands = [c for c in places if c.country == country] or places
    if not cands:
        raise RoadDataError(f"road waypoint {spec!r} is not in the gazetteer for {country}")
    best = max(cands, key=lambda c: c.population)
    return best.lon, best.lat


def schematic_roads(gazetteer: Gazetteer, path: Path = SCHEMATIC_CSV) -> gpd.GeoDataFrame:
    rows, geoms = [], []
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pts = [_waypoint(gazetteer, w.strip(), row["country"]) for w in row["waypoints"].split("|")]
            rows.append({"road": row["road"], "name": row["name"], "country": row["country"],
                         "schematic": True, "source": SCHEMATIC_SOURCE})
            geoms.append(LineString(pts))
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    gdf.attrs["source"] = SCHEMATIC_SOURCE
    return gdf


def read_roads(path: Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """A roads file in any format GDAL reads (GeoPackage, GeoJSON, shapefile or zip, .osm.pbf).

    Keeps line geometries only, in EPSG:4326, with a `name` taken from the usual columns.
    """
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise RoadDataError(f"{path}: no such file")
    kwargs = {}
    if path.suffix == ".pbf" and layer is None:
        layer = "lines"
    if layer:
        kwargs["layer"] = layer
    try:
        gdf = pyogrio.read_dataframe(path, **kwargs)
    except Exception as e:  # GDAL raises many types; all mean "cannot read this file"
        raise RoadDataError(f"{path}: cannot read as a GIS file ({e})") from None
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    gdf = gdf.to_crs("EPSG:4326")
    gdf = gdf[~gdf.geometry.isna() & ~gdf.geometry.is_empty]
    gdf = gdf[gdf.geom_type.isin(["LineString", "MultiLineString"])]
    if gdf.empty:
        raise RoadDataError(f"{path}: no line geometries found")
    bounds = gdf.total_bounds
    if bounds[0] < -180 or bounds[2] > 180 or bounds[1] < -90 or bounds[3] > 90:
        raise RoadDataError(f"{path}: coordinates out of range after conversion to EPSG:4326")
    name_col = next((c for c in _NAME_COLUMNS if c in gdf.columns), None)
    names = gdf[name_col].astype("string").fillna("unnamed road") if name_col else "unnamed road"
    ref_col = next((c for c in ("ref", "REF", "name", "NAME") if c in gdf.columns), None)
    refs = gdf[ref_col].astype("string").fillna("") if ref_col else ""
    out = gpd.GeoDataFrame({"road": refs, "name": names, "country": None, "schematic": False,
                            "source": f"user file {path.name}"}, geometry=gdf.geometry.values, crs="EPSG:4326")
    out = out.explode(index_parts=False).reset_index(drop=True)
    out.attrs["source"] = f"user file {path.name}"
    return out


def user_roads_path(layers_dir: Path) -> Path:
    return layers_dir / "roads.gpkg"


def add_roads_file(src: Path, layers_dir: Path) -> int:
    """Import a roads file into the user's layer folder (GeoPackage); returns the number of lines."""
    gdf = read_roads(src)
    layers_dir.mkdir(parents=True, exist_ok=True)
    gdf.to_file(user_roads_path(layers_dir), driver="GPKG")
    return len(gdf)


def load_roads(gazetteer: Gazetteer, layers_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The user's roads when imported (they take precedence), else the schematic corridors."""
    if layers_dir is not None and user_roads_path(layers_dir).exists():
        return read_roads(user_roads_path(layers_dir))
    return schematic_roads(gazetteer)
