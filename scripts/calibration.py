"""Development aid: how often mentions are right (within 161 km) per score band, on gold corpora."""
import json
import sys

from geo.geodesy import haversine_km
from geo.parse.pipeline import default_geoparser

g = default_geoparser()
bands = {}
for path in sys.argv[1:]:
    for line in open(path):
        d = json.loads(line)
        gold = [t for t in d["toponyms"] if t.get("lat") is not None and not t.get("ignore")]
        for p in g.parse(d["text"]):
            ov = [t for t in gold if min(t["end"], p.end) > max(t["start"], p.start)]
            right = bool(ov) and haversine_km(ov[0]["lat"], ov[0]["lon"], p.lat, p.lon) <= 161
            b = min(9, int(p.score * 10))
            n, k = bands.get(b, (0, 0))
            bands[b] = (n + 1, k + right)
tot_n = tot_k = 0
for b in sorted(bands, reverse=True):
    n, k = bands[b]
    tot_n += n
    tot_k += k
    print(f"score >= {b / 10:.1f}: band n={n:5d} right={k / n:.3f}   cumulative n={tot_n:5d} right={tot_k / tot_n:.3f}")
