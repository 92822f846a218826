"""Confidence: a small logistic model over the resolver's evidence, so that a score means a rate.

The coefficients live in data/models/confidence.json and are fitted by `scripts/fit_confidence.py`
on gold corpora (a mention counts as right when recognised and within 161 km). Without a model file
the resolver's own probability is used unchanged.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo.config import MODELS_DIR

MODEL_FILE = MODELS_DIR / "confidence.json"


@dataclass(frozen=True)
class Calibrator:
    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def score(self, features: dict[str, float]) -> float:
        z = self.bias + sum(w * features.get(n, 0.0) for n, w in zip(self.names, self.weights))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict:
        return {"features": list(self.names), "weights": list(self.weights), "bias": self.bias}


def load_calibrator(path: Path = MODEL_FILE) -> Calibrator | None:
    if not path.exists():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    return Calibrator(tuple(d["features"]), tuple(d["weights"]), float(d["bias"]))


def fit(rows: list[dict[str, float]], labels: list[bool], *, l2: float = 1e-3, steps: int = 3000,
        lr: float = 0.5) -> Calibrator:
    """L2-regularised logistic regression by full-batch gradient descent (a few thousand rows)."""
    names = tuple(sorted(rows[0]))
    x = np.array([[r[n] for n in names] for r in rows], dtype=float)
    y = np.array(labels, dtype=float)
    w = np.zeros(x.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = p - y
        w -= lr * (x.T @ g / len(y) + l2 * w)
        b -= lr * g.mean()
    return Calibrator(names, tuple(float(v) for v in w), float(b))
