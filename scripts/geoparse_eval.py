"""Development aid: accuracy and calibration on the gold corpora in one process (no speed figures).

Usage: PYTHONPATH=. .venv/bin/python scripts/geoparse_eval.py [GOLD.jsonl ...]
Scores with ../shared/eval/score.py's own functions, then prints how often mentions with
score >= 0.8 / 0.9 are right (within 161 km of an overlapping gold toponym).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from geo.config import ROOT
from geo.geodesy import haversine_km
from geo.parse.pipeline import default_geoparser

SHARED_EVAL = ROOT.parent / "shared" / "eval"


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED_EVAL / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def band_rates(docs: list[dict], preds: dict[str, list[dict]], cuts=(0.9, 0.8)) -> dict[float, tuple[int, float]]:
    """Mentions at or above each cut, and the share of them that are right."""
    rows = []
    for d in docs:
        gold = [t for t in d["toponyms"] if t.get("lat") is not None and not t.get("ignore")]
        ignored = [t for t in d["toponyms"] if t.get("ignore")]
        for p in preds[str(d["id"])]:
            if any(min(t["end"], p["end"]) > max(t["start"], p["start"]) for t in ignored):
                continue
            ov = [t for t in gold if min(t["end"], p["end"]) > max(t["start"], p["start"])]
            right = bool(ov) and haversine_km(ov[0]["lat"], ov[0]["lon"], p["lat"], p["lon"]) <= 161
            rows.append((p["score"], right))
    out = {}
    for c in cuts:
        sel = [r for s, r in rows if s >= c]
        out[c] = (len(sel), sum(sel) / max(1, len(sel)))
    return out


def main(paths: list[str]) -> None:
    score = _scorer()
    parser = default_geoparser()
    for path in paths or sorted(str(p) for p in (SHARED_EVAL / "dev").glob("*.jsonl")):
        docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        preds = {str(d["id"]): [m.to_json() for m in parser.parse(d["text"])] for d in docs}
        r = score.score({str(d["id"]): d for d in docs}, {k: {"mentions": v} for k, v in preds.items()})
        bands = band_rates(docs, preds)
        print(f"{Path(path).stem:12} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f} "
              f"acc@161 {r['acc_at_161km']:.3f} e2e {r['end_to_end_acc_at_161km']:.3f} AUC {r['auc']:.3f} | "
              + " ".join(f">={c}: n={n} {rate:.3f}" for c, (n, rate) in bands.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
