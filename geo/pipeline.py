"""The geoparser: recognition then resolution, over one shared gazetteer index."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dataclasses import replace

from geo.confidence import Calibrator, load_calibrator
from geo.geocoders import OnlineFallback
from geo.config import INDEX_DIR
import re

from geo.gazetteer import Gazetteer, NameHit
from geo.lexicon import Lexicon, load_lexicon
from geo.multilingual import MultilingualRecognizer, script_of
from geo.recognize import Match, Recognizer, _overlaps
from geo.resolve import Resolver
from geo.types import Mention, ResolvedMention

# Where an unknown capitalised name is most likely a place: right after a locative preposition.
_LOCATIVE = re.compile(r"\b(?:in|near|at|outside|around|from|towards?|into|village of|town of|city of)\s+"
                       r"((?:[A-Z][\w'’\-]+)(?:\s+[A-Z][\w'’\-]+){0,3})")


class Geoparser:
    """text → resolved place mentions, with offsets into the text as given."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None,
                 calibrator: Calibrator | None = None, online: OnlineFallback | None = None):
        self.gazetteer = gazetteer
        self.online = online
        self.calibrator = calibrator if calibrator is not None else load_calibrator()
        self.recognizer = Recognizer(gazetteer, lexicon or load_lexicon())
        self.multilingual = MultilingualRecognizer(gazetteer, self.recognizer.lexicon)
        self.resolver = Resolver(gazetteer)

    def parse(self, text: str) -> list[ResolvedMention]:
        if not text or not text.strip():
            return []
        matches = self.recognizer.find(text)
        if script_of(text):
            taken = sorted((m.mention.start, m.mention.end) for m in matches)
            extra = [m for m in self.multilingual.find(text) if not _overlaps(taken, m.mention.start, m.mention.end)]
            matches = sorted(matches + extra, key=lambda m: m.mention.start)
        if self.online is not None:
            matches = sorted(matches + self._online_matches(text, matches), key=lambda m: m.mention.start)
        decisions = self.resolver.decide(text, matches)
        if self.calibrator is None:
            return [d.mention for d in decisions]
        return [replace(d.mention, score=self.calibrator.score(d.features)) for d in decisions]


    def _online_matches(self, text: str, matches: list[Match]) -> list[Match]:
        """Names after locative prepositions that the local gazetteer did not know, asked online."""
        taken = [(m.mention.start, m.mention.end) for m in matches] + self.recognizer.lexicon.not_place_spans(text)
        out = []
        for rx in _LOCATIVE.finditer(text):
            s, e = rx.span(1)
            if any(min(e, te) > max(s, ts) for ts, te in taken):
                continue
            cand = self.online.candidate(rx.group(1))
            if cand is not None:
                out.append(Match(Mention(s, e, rx.group(1)), (NameHit(cand, 0),)))
                taken.append((s, e))
        return out


@lru_cache(maxsize=2)
def default_geoparser(index_dir: Path = INDEX_DIR) -> Geoparser:
    """The geoparser over the embedded index; raises GazetteerMissing if it was never built."""
    return Geoparser(Gazetteer(index_dir))
