"""A web page's main text and metadata, offline: trafilatura first, the page's visible text else.

Only the extraction lives here; geo/io/ingest.py turns what is found into a checked Article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.io import validate
from geo.io.errors import IngestError
from geo.io.validate import FieldError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol tr table section article header footer nav aside main "
    "blockquote pre figure figcaption dd dt br hr address".split()
)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class HtmlPage:
    """What a page gave. main: trafilatura found the article (text is its paragraphs); otherwise text is
    the page's whole visible text, furniture and all, and only title and language are known."""

    text: str
    main: bool
    title: str | None = None
    site: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD, only a date that can be true
    language: str | None = None  # the page's own (trafilatura's, else <html lang>)


def extract_page(html: str | bytes, *, url: str | None = None) -> HtmlPage:
    """The page's text and metadata; IngestError when it holds no text at all."""
    import trafilatura

    if not html or not html.strip():
        raise IngestError("empty HTML")
    # lxml refuses NUL and control characters; they carry no text
    html = _CONTROL_BYTES.sub(b"", html) if isinstance(html, bytes) else _CONTROL.sub("", html)
    if not html.strip():
        raise IngestError("empty HTML")
    head = html[:5000] if isinstance(html, str) else html[:5000].decode("utf-8", "ignore")
    lang = _HTML_LANG.search(head)
    language = lang.group(1).lower() if lang else None
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        favor_precision=True,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        # Dates from markup, URL or a visible date line only: the extensive search guesses
        # "2017-01-01" from a "Copyright 2017" footer.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    paragraphs = _tree_paragraphs(doc.body) if doc is not None and doc.body is not None else []
    if not paragraphs and doc is not None and doc.text:
        paragraphs = [p for p in (_norm_lines(t) for t in doc.text.split("\n")) if p]
    if paragraphs:
        title = (doc.title or "").strip() or None
        if title and paragraphs[0].casefold() == title.casefold() and len(paragraphs) > 1:
            paragraphs = paragraphs[1:]  # the headline, already in Article.title
        return HtmlPage("\n\n".join(paragraphs), True, title=title, site=(doc.sitename or "").strip() or None,
                        url=url or doc.url, published=_true_date(doc.date), language=doc.language or language)
    text, title = _visible_text(html)
    if not text.strip():
        raise IngestError("no text found in the HTML page")
    return HtmlPage(text, False, title=title, language=language)


def _true_date(raw: str | None) -> str | None:
    """The page's own date, if it is one that can be true (year 0001 is no date)."""
    if not raw or not _ISO_DATE.match(raw):
        return None
    try:
        return validate.iso_date(raw)
    except FieldError:
        return None


def _norm_lines(text: str) -> str:
    lines = (_SPACES.sub(" ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _tree_paragraphs(body) -> list[str]:
    """Paragraphs of trafilatura's output tree, one per block element."""
    for lb in body.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    out = []
    for el in body:
        if el.tag == "list":
            parts = ["".join(item.itertext()) for item in el.findall("item")]
        elif el.tag == "table":
            parts = [" | ".join(_norm_lines("".join(c.itertext())) for c in row) for row in el.iter("row")]
        else:
            parts = ["".join(el.itertext())]
        para = _norm_lines("\n".join(parts))
        if para:
            out.append(para)
    return out


def _visible_text(html: str | bytes) -> tuple[str, str | None]:
    """Visible text of <body> and the <title>, for pages trafilatura finds no article in."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return "", None
    for el in doc.xpath("//script|//style|//noscript|//template|//svg|//iframe|//head/*[not(self::title)]"):
        el.drop_tree()
    title = doc.findtext(".//title")
    body = doc.find("body")
    if body is None:
        return "", title
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    text = "\n\n".join(ln for ln in _norm_lines(body.text_content()).split("\n"))
    return text, (title.strip() or None) if title else None
