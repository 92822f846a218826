"""The geoparser: recognition then resolution, over one shared gazetteer index."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dataclasses import replace

from geo.confidence import Calibrator, load_calibrator
from geo.config import INDEX_DIR
from geo.gazetteer import Gazetteer
from geo.lexicon import Lexicon, load_lexicon
from geo.recognize import Recognizer
from geo.resolve import Resolver
from geo.types import ResolvedMention


class Geoparser:
    """text → resolved place mentions, with offsets into the text as given."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None,
                 calibrator: Calibrator | None = None):
        self.gazetteer = gazetteer
        self.calibrator = calibrator if calibrator is not None else load_calibrator()
        self.recognizer = Recognizer(gazetteer, lexicon or load_lexicon())
        self.resolver = Resolver(gazetteer)

    def parse(self, text: str) -> list[ResolvedMention]:
        if not text or not text.strip():
            return []
        decisions = self.resolver.decide(text, self.recognizer.find(text))
        if self.calibrator is None:
            return [d.mention for d in decisions]
        return [replace(d.mention, score=self.calibrator.score(d.features)) for d in decisions]


@lru_cache(maxsize=2)
def default_geoparser(index_dir: Path = INDEX_DIR) -> Geoparser:
    """The geoparser over the embedded index; raises GazetteerMissing if it was never built."""
    return Geoparser(Gazetteer(index_dir))
