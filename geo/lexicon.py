"""Word lists that tell place names from people, organisations and adjectives.

The lists live in data/lexicon/ as plain text so analysts can extend them without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"


def _words(name: str, directory: Path = LEXICON_DIR) -> list[str]:
    out: list[str] = []
    for line in (directory / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _tokens(name: str, directory: Path) -> frozenset[str]:
    return frozenset(w for line in _words(name, directory) for w in line.split())


@dataclass(frozen=True)
class Lexicon:
    titles: frozenset[str]
    first_names: frozenset[str]
    org_heads: frozenset[str]
    place_heads: frozenset[str]
    demonyms: frozenset[str]
    not_places: ahocorasick.Automaton

    def not_place_spans(self, text: str) -> list[tuple[int, int]]:
        """Whole-word occurrences of outlet, organisation and ship names."""
        spans = []
        for end, length in self.not_places.iter_long(text):
            start = end - length + 1
            before = text[start - 1] if start > 0 else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if not before.isalnum() and not after.isalnum() and before not in "وبلفك":
                spans.append((start, end + 1))
        return spans


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    automaton = ahocorasick.Automaton()
    for phrase in _words("not_places.txt", directory):
        automaton.add_word(phrase, len(phrase))
    automaton.make_automaton()
    demonyms = set()
    for d in _tokens("demonyms.txt", directory):
        demonyms.update({d, d + "s", d + "es"})
    return Lexicon(
        titles=frozenset(t.rstrip(".") for t in _tokens("titles.txt", directory)),
        first_names=_tokens("first_names.txt", directory),
        org_heads=_tokens("org_heads.txt", directory),
        place_heads=_tokens("place_heads.txt", directory),
        demonyms=frozenset(demonyms),
        not_places=automaton,
    )
