"""Airfields layer: military air bases and airports from OurAirports, as classified in the gazetteer."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.config import INDEX_DIR
from geo.gazetteer import Gazetteer

SOURCE = "OurAirports (public domain)"


def airbases_from(gazetteer: Gazetteer, *, include_airports: bool = True) -> gpd.GeoDataFrame:
    features = ["air base", "airport"] if include_airports else ["air base"]
    df = gazetteer.frame(features)
    gdf = gpd.GeoDataFrame(
        {"name": df["name"], "ident": df["code"], "kind": df["feature"], "country": df["country"]},
        geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326",
    )
    gdf.attrs["source"] = SOURCE
    return gdf


def load_airbases(index_dir: Path = INDEX_DIR, *, include_airports: bool = True) -> gpd.GeoDataFrame:
    """Air bases (kind "air base") and airports (kind "airport") of the embedded index."""
    return airbases_from(Gazetteer(index_dir), include_airports=include_airports)
