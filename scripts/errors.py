"""Development aid: list recognition and resolution errors of the geoparser on a gold corpus."""
import collections
import json
import math
import sys

from geo.parse.pipeline import default_geoparser


def km(a, b, c, d):
    p1, p2 = math.radians(a), math.radians(c)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


g = default_geoparser()
wrong, fps, fns = collections.Counter(), collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    d = json.loads(line)
    pred = g.parse(d["text"])
    gold = [t for t in d["toponyms"] if t.get("lat") is not None]
    for p in pred:
        ov = [t for t in gold if min(t["end"], p.end) > max(t["start"], p.start)]
        if not ov:
            fps[p.text] += 1
        elif not ov[0].get("ignore"):
            e = km(ov[0]["lat"], ov[0]["lon"], p.lat, p.lon)
            if e > 161:
                wrong[(p.text, p.name, p.country, p.feature, round(e))] += 1
    for t in gold:
        if t.get("ignore"):
            continue
        if not any(min(t["end"], p.end) > max(t["start"], p.start) for p in pred):
            fns[d["text"][t["start"]:t["end"]]] += 1
n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
print("WRONG", sum(wrong.values())); [print(" ", k, v) for k, v in wrong.most_common(n)]
print("FP", sum(fps.values())); [print(" ", k, v) for k, v in fps.most_common(n)]
print("FN", sum(fns.values())); [print(" ", k, v) for k, v in fns.most_common(n)]
