"""Plain-text helpers used by several stages (sentences around a mention)."""

from __future__ import annotations

import re

# A sentence ends at . ! ? or a line break, followed by space and a capital/quote/digit, or at a blank line.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[A-Z0-9\u0400-\u04FF\u0600-\u06FF])|\n\s*\n|\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets covering the text, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence that contains text[start:end]."""
    for s, e in sentence_spans(text):
        if s <= start < e or (s <= start and end <= e):
            return s, max(e, end)
    return start, end
