"""Character spans of one text: whether a span overlaps or lies within spans already taken.

Recognition and the spelling pass both ask this of every candidate name, so the spans are kept sorted and
searched by bisection: a long text stays linear. The spans are short (names, outlets, organisations); one
that starts more than `_REACH` characters before a span is not looked at.
"""

from __future__ import annotations

import bisect

_REACH = 200  # longer than any name, outlet or organisation the spans hold


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of the sorted, short spans."""
    i = bisect.bisect_left(spans, (start - _REACH, 0))
    while i < len(spans) and spans[i][0] < end:
        if spans[i][1] > start:
            return True
        i += 1
    return False


def inside(spans: list[tuple[int, int, str]], start: int, end: int) -> tuple[int, int, str] | None:
    """The sorted span that [start, end) lies within ("Haram" in "Boko Haram"; "Sea of Azov" is not in
    "Azov"), if any; each span carries a label (an organisation's country)."""
    i = bisect.bisect_right(spans, (start, 1 << 62, "")) - 1
    while i >= 0 and spans[i][0] > start - _REACH:
        if spans[i][0] <= start and end <= spans[i][1]:
            return spans[i]
        i -= 1
    return None
