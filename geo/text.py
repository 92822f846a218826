"""Plain-text helpers used by several stages (sentences around a mention, the script a text is written in)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable

# A sentence ends at . ! ? or a line break, followed by space and a capital/quote/digit, or at a blank line.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[A-Z0-9\u0400-\u04FF\u0600-\u06FF])|\n\s*\n|\n")


# A wire dateline: a place opens a line and the line goes on with the agency in brackets or a dash, perhaps
# after a qualifier or a date ("WASHINGTON —", "Washington (CNN)", "KYIV, Ukraine (AP) —",
# "Washington, Dec 3 (Reuters) -"). Datelines name cities, and are written in capitals.
_DATELINE_TAIL = re.compile(r"^(?:,[^\n(—–]{1,40}?)?\s*(?:\([A-Z][A-Za-z .&/'’-]{0,25}\)|[—–]|--?\s)")


def is_dateline(text: str, start: int, end: int) -> bool:
    """text[start:end] opens a line of the text and the line goes on as a wire dateline does."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return False
    return bool(_DATELINE_TAIL.match(text[end:end + 60]))


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


def runs(n: int, member: Callable[[int, bool], bool], joined: Callable[[int, int], bool]) -> list[list[int]]:
    """Maximal runs of the items 0..n-1 that belong to a name, each joined to the one before it.

    member(i, joined_to_run) says whether item i can be part of a name (some items only inside one);
    joined(i, j) whether item j directly follows item i (one space, no sentence break).
    """
    out: list[list[int]] = []
    cur: list[int] = []
    for i in range(n):
        linked = bool(cur) and joined(cur[-1], i)
        if not member(i, linked):
            if cur:
                out.append(cur)
            cur = []
        elif linked:
            cur.append(i)
        else:
            if cur:
                out.append(cur)
            cur = [i]
    if cur:
        out.append(cur)
    return out


# --------------------------------------------------------------------------- scripts

# The letters of the scripts that have their own lexicons (Russian and Ukrainian; Arabic and Persian).
CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
ARABIC_LETTERS = "\u0621-\u063A\u0641-\u064A\u0671-\u06D3"
ARABIC = re.compile(rf"[{ARABIC_LETTERS}]")

_SCRIPT_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}  # scripts mixed in one language


def scripts_in(text: str) -> set[str]:
    """Which of "cyrillic" and "arabic" the text has letters of: the cheap test that picks lexicons."""
    found = set()
    if CYRILLIC.search(text):
        found.add("cyrillic")
    if ARABIC.search(text):
        found.add("arabic")
    return found


def script(ch: str) -> str:
    """A character's script as the first word of its Unicode name ("LATIN", "CYRILLIC", "ARABIC", "CJK"...)."""
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0] if name else ""
    return _SCRIPT_FAMILY.get(first, first)


def dominant_script(text: str, sample: int = 20000) -> str:
    """The script most letters of the text's first `sample` characters are in ("" without letters)."""
    counts = Counter(script(c) for c in text[:sample] if c.isalpha())
    return counts.most_common(1)[0][0] if counts else ""
