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
DEFAULT_DB_URL = f"sqlite:///{DATA_DIR / 'conflictmap.sqlite'}"


def database_url(explicit: str | None = None) -> str:
    """--db beats DATABASE_URL beats the embedded SQLite file under data/."""
    return explicit or os.environ.get("DATABASE_URL") or DEFAULT_DB_URL
