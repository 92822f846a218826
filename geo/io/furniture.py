"""Page furniture taken out of scraped text: site names, captions, share buttons, teasers, widgets.

Whatever names sit in a page's furniture would end up on the map, so it is removed here, once,
with general rules rather than rules for one site. The headline and the site name are kept aside
as the article's title and source.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from geo.text import dominant_script, script

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]»]*$")
_NO_TITLE_END = re.compile(r"[.,;:…]$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_DASH_PREFIX = re.compile(r"^[-–—|•·]\s*")
_LIST_ITEM = re.compile(r"^([-*•]\s|\d{1,2}[.)]\s)")
_SUFFIX = re.compile(r"\s[-–—|]\s+([^\W\d_][^-–—|]{1,60})$")
_CREDIT = re.compile(
    r"^(©|\(c\)\s|copyright\b|(photo|image|picture|video)s?\s*(:|/|by\b|credit)|credits?\s*:|file photo\b)",
    re.IGNORECASE,
)
# Words that, on a short line, mean page chrome rather than prose.
_UI_TERMS = re.compile(
    r"\b(subscribe|subscription|log ?in|log ?out|sign ?in|sign ?up|register|newsletters?|share|"
    r"comments?|discussion|advertisements?|advert|sponsored|loader|loading|chats?|news ?feed|"
    r"read more|related|see also|more stories|follow us|cookies?|privacy|terms of (use|service)|"
    r"all rights reserved|tweet|whatsapp|telegram|facebook|twitter|skip to|top stories|most read|trending)\b",
    re.IGNORECASE,
)
# A call to action phrased as a sentence ("Never miss a story - sign up to our channel!").
_CTA = re.compile(r"\b(sign up|subscribe|follow us|join us|join our|download our|never miss)\b", re.IGNORECASE)
_CTA_OWNER = re.compile(r"\b(our|us|we|we'll|channel|newsletter|app)\b", re.IGNORECASE)
_SMALL_WORDS = frozenset(
    "a an the of in on at to for and or but as by with from into near over after vs via is are".split()
)


@dataclass(frozen=True)
class Cleaned:
    """What the cleaner found: the body, and the headline and site name if the page showed them."""

    body: str
    title: str | None
    site: str | None


def strip_furniture(text: str) -> Cleaned:
    """The text without its page furniture (paragraph breaks kept), and the headline and site it showed.

    Text with no furniture comes back as it was, only stripped.
    """
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    site = _detect_site(lines)
    main_script = dominant_script(text)
    drop = [bool(ln) and _is_furniture(ln, site, main_script) for ln in lines]
    seen: set[str] = set()
    for i, ln in enumerate(lines):  # repeated lines: captions, teasers shown twice
        if ln and not drop[i]:
            drop[i] = ln in seen
            seen.add(ln)
    scraped = site is not None or any(drop)
    head = _find_headline(lines, drop)
    if head is not None:
        drop[: head + 1] = [True] * (head + 1)  # site names, sections, taglines, the headline itself
    if scraped:
        _drop_scraped_extras(lines, drop)
    title = _strip_site(lines[head], site).lstrip("#").strip() if head is not None else None  # "# Title" in .md
    if not any(drop):
        return Cleaned(text.strip(), title, site)
    return Cleaned(_join_kept(lines, drop) or text.strip(), title, site)


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _is_body(line: str) -> bool:
    """A prose line: several words and a sentence ending (or simply long)."""
    return len(line.split()) >= 6 and (bool(_SENTENCE_END.search(line)) or len(line) >= 150)


def _is_title_like(line: str) -> bool:
    """A headline: a few words, reasonable length, no final period."""
    n = len(line.split())
    if not (3 <= n <= 30 and 10 <= len(line) <= 200):
        return False
    if _NO_TITLE_END.search(line) or _DASH_PREFIX.match(line) or _CREDIT.match(line):
        return False
    return not (line.endswith(("?", "!")) and n > 20)


def _is_title_case(line: str) -> bool:
    content = [w for w in _words(line) if w.lower() not in _SMALL_WORDS]
    return len(content) >= 3 and sum(w[0].isupper() for w in content) / len(content) >= 0.8


def _detect_site(lines: list[str]) -> str | None:
    """The site name: a "- Site" line near the top, or a " - Site" suffix shared by several lines."""
    first = next((ln for ln in lines if ln), "")
    if _DASH_PREFIX.match(first):
        name = _DASH_PREFIX.sub("", first).strip()
        words = _words(name)
        if 1 <= len(words) <= 5 and all(w[0].isupper() for w in words) and not _SENTENCE_END.search(name):
            return name
    suffixes = Counter(m.group(1).strip() for ln in lines if (m := _SUFFIX.search(ln)))
    for name, n in suffixes.most_common():
        if n >= 2 and len(name.split()) <= 5 and not _SENTENCE_END.search(name):
            return name
    return None


def _is_furniture(line: str, site: str | None, main_script: str) -> bool:
    """Page chrome that can be recognised from the line alone."""
    bare = _DASH_PREFIX.sub("", line).strip()
    if site and (bare.casefold() == site.casefold() or _ends_with_site(line, site)):
        return True
    if _CREDIT.match(line):
        return True
    if not any(c.isalpha() for c in line):
        return len(line) <= 20  # counters, lone numbers, separators
    n_words = len(line.split())
    if n_words <= 6 and not _SENTENCE_END.search(line) and _UI_TERMS.search(line):
        return True
    if len(line) <= 200 and _CTA.search(line) and _CTA_OWNER.search(line):
        return True
    if main_script and n_words <= 12:
        letters = Counter(script(c) for c in line if c.isalpha())
        if letters and letters.most_common(1)[0][0] != main_script:
            return True  # a short line in another script: a widget label, a language menu
    return False


def _ends_with_site(line: str, site: str) -> bool:
    m = _SUFFIX.search(line)
    return bool(m) and m.group(1).strip().casefold() == site.casefold()


def _strip_site(title: str, site: str | None) -> str:
    if site and _ends_with_site(title, site):
        return title[: _SUFFIX.search(title).start()].strip()  # type: ignore[union-attr]
    return title


def _find_headline(lines: list[str], drop: list[bool]) -> int | None:
    """Index of the first title-like line near the top that is followed by prose."""
    kept = [i for i, ln in enumerate(lines) if ln and not drop[i]]
    for pos, i in enumerate(kept[:6]):
        if len(lines[i]) > 250:
            return None  # already in the body
        if _is_title_like(lines[i]) and pos + 1 < len(kept) and _is_body(lines[kept[pos + 1]]):
            return i
    return None


def _drop_scraped_extras(lines: list[str], drop: list[bool]) -> None:
    """Rules that only hold on a page known to be scraped: teasers inside the body, trailing widgets."""
    body = [i for i, ln in enumerate(lines) if ln and not drop[i] and _is_body(ln)]
    for i, ln in enumerate(lines):  # related-story teasers: headlines between paragraphs
        if ln and not drop[i] and _is_title_like(ln) and _is_title_case(ln) and not _is_body(ln):
            drop[i] = True
    if body:
        for i in range(body[-1] + 1, len(lines)):
            ln = lines[i]
            if ln and not _SENTENCE_END.search(ln) and len(ln.split()) <= 8 and not _LIST_ITEM.match(ln):
                drop[i] = True


def _join_kept(lines: list[str], drop: list[bool]) -> str:
    """Kept lines, with a paragraph break wherever a blank or dropped line was."""
    paragraphs, current = [], []
    for ln, dropped in zip(lines, drop):
        if ln and not dropped:
            current.append(ln)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)
