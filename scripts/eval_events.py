"""Precision and recall of event type and event location on annotated sentences.

Usage: PYTHONPATH=. .venv/bin/python scripts/eval_events.py [tests/data/events_gold.jsonl] [-v]
       PYTHONPATH=. .venv/bin/python scripts/eval_events.py tests/data/events_gold_multilingual.jsonl
Events count when their modality matches; type is matched per sentence, location when the
event's place mention is the annotated surface. Rows with a "lang" key are also scored per language.
"""
import json
import sys
from pathlib import Path

from geo.events.extract import EventExtractor
from geo.parse.pipeline import default_geoparser


def evaluate(path: Path, verbose: bool = False, lang: str | None = None) -> dict[str, float]:
    """Scores over the file's rows (only those in `lang` when given)."""
    parser, extractor = default_geoparser(), EventExtractor()
    tp_t = fp_t = fn_t = tp_l = fp_l = fn_l = 0
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        if lang is not None and d.get("lang", "en") != lang:
            continue
        text = d["text"]
        places = parser.parse(text)
        pred = [(e.type, e.modality, text[e.place_mention_start:e.place_mention_start + len(next(
            (p.text for p in places if p.start == e.place_mention_start), ""))] if e.place_mention_start is not None else None)
            for e in extractor.extract(text, places)]
        gold = [(g["type"], g["modality"], g["place"]) for g in d["events"]]
        for kind in ("type", "loc"):
            key = (lambda x: (x[0], x[1])) if kind == "type" else (lambda x: x)
            left = [key(g) for g in gold]
            tp = 0
            for p in pred:
                if key(p) in left:
                    left.remove(key(p))
                    tp += 1
            if kind == "type":
                tp_t += tp; fp_t += len(pred) - tp; fn_t += len(left)
            else:
                tp_l += tp; fp_l += len(pred) - tp; fn_l += len(left)
        if verbose and sorted(map(str, pred)) != sorted(map(str, gold)):
            print("TEXT", text, "\n  gold", gold, "\n  pred", pred)
    return {"type_precision": tp_t / max(1, tp_t + fp_t), "type_recall": tp_t / max(1, tp_t + fn_t),
            "location_precision": tp_l / max(1, tp_l + fp_l), "location_recall": tp_l / max(1, tp_l + fn_l)}


def languages(path: Path) -> list[str]:
    """The languages named by the file's rows, in order of appearance (rows without one are English)."""
    return list(dict.fromkeys(json.loads(line).get("lang", "en") for line in path.open(encoding="utf-8")))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    gold = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "tests" / "data" / "events_gold.jsonl"
    langs = languages(gold)
    for k, v in evaluate(gold, "-v" in sys.argv).items():
        print(f"{k:20} {v:.3f}")
    if len(langs) > 1:
        print()
        print(f"{'':4} {'type P':>7} {'type R':>7} {'loc P':>7} {'loc R':>7}")
        for lang in langs:
            s = evaluate(gold, lang=lang)
            print(f"{lang:4} {s['type_precision']:7.3f} {s['type_recall']:7.3f} "
                  f"{s['location_precision']:7.3f} {s['location_recall']:7.3f}")
