"""Place-name recall, precision and resolution on the Arabic, Russian and Ukrainian test sentences.

Usage: PYTHONPATH=. .venv/bin/python scripts/eval_multilingual.py [-v]
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

from geo.geodesy import haversine_km
from geo.parse.pipeline import default_geoparser

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "multilingual_gold.jsonl"
BROAD = {"syria", "iraq", "russia", "ukraine", "turkey", "lebanon", "jordan"}


def tolerance_km(key: str) -> float:
    if key in BROAD:
        return 1000.0
    if key.endswith(("_obl", "_gov")) or key == "crimea":
        return 150.0
    return 40.0


def evaluate(verbose: bool = False) -> dict[str, dict[str, float]]:
    parser = default_geoparser()
    c = defaultdict(lambda: defaultdict(int))
    for line in GOLD.open(encoding="utf-8"):
        d = json.loads(line)
        pred = parser.parse(d["text"])
        lang = d["lang"]
        c[lang]["gold"] += len(d["places"])
        c[lang]["pred"] += len(pred)
        for g in d["places"]:
            hit = [p for p in pred if p.start == g["start"] and p.end == g["end"]]
            if hit:
                c[lang]["found"] += 1
                if haversine_km(g["lat"], g["lon"], hit[0].lat, hit[0].lon) <= tolerance_km(g["key"]):
                    c[lang]["right"] += 1
                elif verbose:
                    print("WRONG", lang, g["text"], "->", hit[0].name, hit[0].country)
            elif verbose:
                print("MISSED", lang, g["text"], "in", d["text"], [(p.text, p.start) for p in pred])
        if verbose:
            for p in pred:
                if not any(p.start == g["start"] and p.end == g["end"] for g in d["places"]):
                    print("EXTRA", lang, p.text, "->", p.name, "in", d["text"])
    out = {}
    for lang, v in c.items():
        out[lang] = {"recall": v["found"] / v["gold"], "precision": v["found"] / max(1, v["pred"]),
                     "resolved_right": v["right"] / max(1, v["found"]), "names": v["gold"]}
    return out


if __name__ == "__main__":
    for lang, v in evaluate("-v" in sys.argv).items():
        print(f"{lang}: {v['names']} names, recall {v['recall']:.3f}, precision {v['precision']:.3f}, "
              f"found names resolved right {v['resolved_right']:.3f}")
