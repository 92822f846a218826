"""Fit the confidence model (data/models/confidence.json) on gold corpora.

Usage: PYTHONPATH=. .venv/bin/python scripts/fit_confidence.py ../shared/eval/dev/*.jsonl
A mention is right when it overlaps a gold toponym resolved within 161 km; predictions on
nothing are wrong (so the score covers recognition too). Prints the reliability per score band.
"""
from __future__ import annotations

import json
import sys

from geo.parse.confidence import MODEL_FILE, fit
from geo.geodesy import haversine_km
from geo.parse.pipeline import Geoparser, default_geoparser


def labelled_rows(parser: Geoparser, path: str) -> tuple[list[dict[str, float]], list[bool]]:
    """Features and right/wrong labels of every mention the parser makes on one gold corpus."""
    rows, labels = [], []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        gold = [t for t in d["toponyms"] if t.get("lat") is not None]
        for dec in parser.resolver.decide(d["text"], parser.recognizer.find(d["text"])):
            m = dec.mention
            ov = [t for t in gold if min(t["end"], m.end) > max(t["start"], m.start)]
            if ov and ov[0].get("ignore"):
                continue
            rows.append(dec.features)
            labels.append(bool(ov) and haversine_km(ov[0]["lat"], ov[0]["lon"], m.lat, m.lon) <= 161)
    return rows, labels


def main(paths: list[str]) -> None:
    parser = Geoparser(default_geoparser().gazetteer, calibrator=None)
    rows, labels = [], []
    for path in paths:
        r, y = labelled_rows(parser, path)
        rows += r
        labels += y
    model = fit(rows, labels)
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
    scores = [model.score(r) for r in rows]
    for lo in (0.9, 0.8, 0.7, 0.5, 0.0):
        sel = [y for s, y in zip(scores, labels) if s >= lo]
        print(f"score >= {lo:.1f}: {len(sel):5d} mentions, {sum(sel) / max(1, len(sel)):.3f} right")
    print(f"fitted on {len(rows)} mentions; written to {MODEL_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
