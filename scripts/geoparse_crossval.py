"""Development aid: cross-validated confidence — fit the model on one gold corpus, measure it on another.

Usage: PYTHONPATH=. .venv/bin/python scripts/geoparse_crossval.py A.jsonl B.jsonl [...]
For each corpus, the model is fitted on all the others and the share of right mentions with score
>= 0.8 / 0.9 is printed for the held-out one (the model file is not touched).
"""
from __future__ import annotations

import sys
from pathlib import Path

from geo.parse.confidence import fit
from geo.parse.pipeline import Geoparser, default_geoparser

from fit_confidence import labelled_rows  # the same labels the model is fitted on


def main(paths: list[str]) -> None:
    parser = Geoparser(default_geoparser().gazetteer, calibrator=None)
    data = {p: labelled_rows(parser, p) for p in paths}
    for held in paths:
        train_x = [r for p in paths if p != held for r in data[p][0]]
        train_y = [y for p in paths if p != held for y in data[p][1]]
        model = fit(train_x, train_y)
        scores = [model.score(r) for r in data[held][0]]
        parts = []
        for cut in (0.9, 0.8):
            sel = [y for s, y in zip(scores, data[held][1]) if s >= cut]
            parts.append(f">={cut}: n={len(sel)} right={sum(sel) / max(1, len(sel)):.3f}")
        print(f"held out {Path(held).stem:12} (fitted on {len(train_y)} mentions): " + "  ".join(parts))


if __name__ == "__main__":
    main(sys.argv[1:])
