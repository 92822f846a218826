"""Write data/gazetteer/us_counties.csv: a point for every US county, parish and borough.

Run once by a developer: PYTHONPATH=DIR_WITH_zipcodes python scripts/geoparse_us_counties.py
The `zipcodes` package (MIT; ZIP code points of the USPS/US Census) gives each ZIP code a point and
its county; a county's point is the median of its ZIP codes' points (a rough centre, near its towns).
The project does not need the package at run time: the CSV is the curated table the index reads.
"""
from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from pathlib import Path

import zipcodes

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "us_counties.csv"
_KINDS = ("County", "Parish", "Borough")


def main() -> None:
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for z in zipcodes.list_all():
        county = (z.get("county") or "").strip()
        if not z.get("active") or z.get("zip_code_type") == "MILITARY" or not county.endswith(_KINDS):
            continue
        points[(county, z["state"])].append((float(z["lat"]), float(z["long"])))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "state", "lat", "lon", "zip_codes"])
        for (county, state), pts in sorted(points.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            w.writerow([county, state, round(statistics.median(p[0] for p in pts), 4),
                        round(statistics.median(p[1] for p in pts), 4), len(pts)])
    print(f"{len(points)} counties written to {OUT}")


if __name__ == "__main__":
    main()
