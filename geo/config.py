"""Where things live, read from the environment at the edges (CLI, dashboard).

Library functions take paths and URLs as arguments; only the entry points call these.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
INDEX_DIR = Path(os.environ.get("CONFLICTMAP_INDEX_DIR", DATA_DIR / "index"))
STATIC_DIR = ROOT / "static"
MIGRATIONS_DIR = ROOT / "migrations"
EVENTS_DIR = DATA_DIR / "events"  # actors, countries, trigger lexicons (data/events/README.md)
LEXICON_DIR = DATA_DIR / "lexicon"  # words that are not places, organisations, titles
MODELS_DIR = DATA_DIR / "models"  # the confidence calibration
CURATED_GAZETTEER_DIR = DATA_DIR / "gazetteer"  # hand-checked gazetteer rows (sources in its README)
LAYERS_DIR = DATA_DIR / "layers"  # schematic roads and user layers
BASEMAP_DIR = STATIC_DIR / "basemap"  # the detailed offline basemap's chunks (python -m geo basemap build)
# Files the dashboard keeps to start fast (the map's frames of a database server: geo.store.snapshot).
CACHE_DIR = Path(os.environ.get("CONFLICTMAP_CACHE_DIR", DATA_DIR / "cache"))


def naturalearth_dir() -> Path:
    """Natural Earth's 1:110m countries as pyogrio ships them (public domain): the offline basemap's land."""
    from importlib import resources

    return Path(str(resources.files("pyogrio") / "tests" / "fixtures" / "naturalearth_lowres"))


def naturalearth_shp() -> Path:
    return naturalearth_dir() / "naturalearth_lowres.shp"
DEFAULT_DB_URL = f"sqlite:///{DATA_DIR / 'conflictmap.sqlite'}"


def database_url(explicit: str | None = None) -> str:
    """--db beats DATABASE_URL beats the embedded SQLite file under data/."""
    return explicit or os.environ.get("DATABASE_URL") or DEFAULT_DB_URL
