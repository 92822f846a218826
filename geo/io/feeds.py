"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds read into entries, with the standard library's XML parser."""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from geo.io.errors import IngestError

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})

_ATOM = "http://www.w3.org/2005/Atom"
_RSS1 = "http://purl.org/rss/1.0/"
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_HTML_TAG = re.compile(r"<(p|div|br|a|span|strong|em|b|i|h[1-6]|ul|ol|li|img|figure|blockquote|table)\b", re.I)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FeedEntry:
    """One item of an RSS or Atom feed. full: content is the article, not a summary."""

    title: str | None
    link: str | None
    published: str | None  # YYYY-MM-DD
    content: str | None  # HTML or plain text
    full: bool
    source: str | None  # the feed's title

    @property
    def is_html(self) -> bool:
        """Whether the content is markup (read as a page) rather than plain text."""
        return bool(self.content) and bool(_HTML_TAG.search(self.content))


def looks_like_feed(data: bytes) -> bool:
    """Whether fetched bytes are a feed rather than a page (by their first kilobyte)."""
    head = data[:1000].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head) \
        or head.startswith((b"<rss", b"<feed"))


def parse_feed(data: bytes | str, where: str = "feed") -> list[FeedEntry]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order; IngestError if it is none of these."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise IngestError(f"not a readable feed (bad XML: {exc})", path=where) from None
    ns, kind = _local(root.tag)
    if kind == "feed" and ns == _ATOM:
        return _atom_entries(root)
    if kind == "rss":
        channel = _child(root, "channel")
        items = [] if channel is None else [c for c in channel if c.tag == "item"]
    elif kind == "RDF":
        channel = _child(root, "channel", (_RSS1,))
        items = [c for c in root if _local(c.tag) == (_RSS1, "item")]
    else:
        raise IngestError(f"not an RSS or Atom feed (root element <{kind}>)", path=where)
    source = _text(_child(channel, "title", ("", _RSS1))) if channel is not None else None
    out = []
    for item in items:
        full = _text(_child(item, "encoded", (_CONTENT,)))
        summary = _text(_child(item, "description", ("", _RSS1)))
        date = _text(_child(item, "pubDate")) or _text(_child(item, "date", (_DC,)))
        out.append(FeedEntry(_text(_child(item, "title", ("", _RSS1))), _text(_child(item, "link", ("", _RSS1))),
                             _day(date), full or summary, full is not None, source))
    return out


def _atom_entries(root: ET.Element) -> list[FeedEntry]:
    source = _text(root.find(f"{{{_ATOM}}}title"))
    out = []
    for e in root.findall(f"{{{_ATOM}}}entry"):
        content = _atom_content(e.find(f"{{{_ATOM}}}content"))
        summary = _atom_content(e.find(f"{{{_ATOM}}}summary"))
        date = _text(e.find(f"{{{_ATOM}}}published")) or _text(e.find(f"{{{_ATOM}}}updated"))
        out.append(FeedEntry(_text(e.find(f"{{{_ATOM}}}title")), _atom_link(e), _day(date),
                             content or summary, content is not None, source))
    return out


def _local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _child(el: ET.Element, name: str, namespaces: Sequence[str] = ("",)) -> ET.Element | None:
    for c in el:
        if isinstance(c.tag, str) and _local(c.tag) in {(ns, name) for ns in namespaces}:
            return c
    return None


def _text(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    value = "".join(el.itertext()).strip()
    return value or None


def _day(value: str | None) -> str | None:
    """YYYY-MM-DD from an ISO 8601 (Atom, dc:date) or RFC 822 (RSS pubDate) date."""
    if not value:
        return None
    if _ISO_DAY.match(value):
        return value[:10]
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _atom_content(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    if el.get("type") == "xhtml":  # inline XHTML: serialise it back to HTML without namespaces
        for sub in el.iter():
            if isinstance(sub.tag, str):
                sub.tag = _local(sub.tag)[1]
        return "".join(ET.tostring(c, encoding="unicode", method="html") for c in el).strip() or None
    return _text(el)


def _atom_link(entry: ET.Element) -> str | None:
    for link in entry.findall(f"{{{_ATOM}}}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href").strip()
    return None
