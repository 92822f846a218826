#!/usr/bin/env python
"""Unpack an MBTiles file into static/tiles/{z}/{x}/{y}.png for the map's "Local tiles" basemap.

Usage: .venv/bin/python scripts/mbtiles_to_folder.py FILE.mbtiles [static/tiles]
See docs/offline-maps.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.maps.tiles import mbtiles_to_folder  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    source = Path(argv[0])
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "static" / "tiles"
    if not source.is_file():
        print(f"{source}: no such file", file=sys.stderr)
        return 2
    try:
        n = mbtiles_to_folder(source, target)
    except (ValueError, OSError) as exc:
        print(f"{source}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # sqlite3 errors: not an MBTiles file
        print(f"{source}: not a readable MBTiles file ({exc})", file=sys.stderr)
        return 2
    print(f"{n:,} tiles written to {target}; restart the dashboard and pick “Local tiles” as the basemap")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
