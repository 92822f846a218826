"""Text, files, web pages and JSON records turned into checked Articles.

Every way in (a file, a folder, a JSONL line, a feed entry, a fetched page, the Add article page)
ends in `checked`, so what the store holds can always be drawn and filtered. The readers it builds
on live beside it: geo/io/files.py (bounded reads, encodings), geo/io/furniture.py (scraped text),
geo/io/html.py (pages), geo/io/jsonl.py (JSON lines); their public names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from geo.io import validate
from geo.io.errors import IngestError
from geo.io.files import (
    ARTICLE_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_BYTES,
    TEXT_SUFFIXES,
    decode,
    expand_paths,
    link_refused,
    read_file_bytes,
)
from geo.io.furniture import strip_furniture
from geo.io.html import extract_page
from geo.io.jsonl import bounded_lines, iter_jsonl, jsonl_records, parse_jsonl_line
from geo.io.validate import FieldError
from geo.limits import MAX_TEXT_CHARS
from geo.parse.language import detect_language
from geo.types import Article

__all__ = [
    "ARTICLE_SUFFIXES", "HTML_SUFFIXES", "JSONL_SUFFIXES", "MAX_BYTES", "TEXT_SUFFIXES", "IngestError",
    "article_from_html", "article_from_text", "article_from_upload", "articles_from_jsonl_record", "bounded_lines",
    "check_length", "checked", "expand_paths", "iter_articles", "iter_jsonl", "parse_jsonl_line", "read_article",
    "read_file_bytes",
]


def checked(text: str, *, title: str | None = None, source: str | None = None, url: str | None = None,
            published: str | None = None, language: str | None = None) -> Article:
    """An Article with every field normalised and bounded (geo/io/validate.py), or an IngestError.

    The Article is made once, from the clean text (its id hashes the text, which a lone surrogate
    would not survive).
    """
    try:
        text = validate.storable_text(text)
        check_length(text)
        return Article(text=text, title=validate.title(title), source=validate.source(source),
                       url=validate.url(url), published=validate.iso_date(published),
                       language=validate.language(language))
    except FieldError as exc:
        raise IngestError(str(exc)) from None


def check_length(text: str) -> None:
    """IngestError for a text over the limit (before anything slow, such as language detection, reads it)."""
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(f"text of {len(text):,} characters is over the limit of {MAX_TEXT_CHARS:,} "
                          "(set CONFLICTMAP_MAX_TEXT_CHARS to raise it)")


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> Article:
    """An Article from plain or scraped text; page furniture is dropped, paragraph breaks kept.

    Given metadata wins over what is detected in the text (headline, site name).
    """
    if not text or not text.strip():
        raise IngestError("no text")
    check_length(text)
    page = strip_furniture(text)
    return checked(
        page.body,
        title=title or page.title,
        source=source or page.site,
        url=url,
        published=published,
        language=language or detect_language(page.body),
    )


def article_from_html(html: str | bytes, *, url: str | None = None) -> Article:
    """An Article from a web page: trafilatura's main text and metadata, offline (geo/io/html.py).

    A page trafilatura finds no article in is read as scraped text: its visible text without furniture.
    """
    page = extract_page(html, url=url)
    if not page.main:
        return article_from_text(page.text, title=page.title, url=url, language=page.language)
    check_length(page.text)  # before detecting the language of megabytes
    return checked(page.text, title=page.title, source=page.site, url=page.url, published=page.published,
                   language=page.language or detect_language(page.text))


def read_article(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Article:
    """One article from a .txt/.text/.md or .html/.htm file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_symlink():
        raise link_refused(path)
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        hint = " (use iter_jsonl for JSON lines)" if suffix in JSONL_SUFFIXES else ""
        raise IngestError(
            f"unsupported file type {suffix or '(no suffix)'!r}; expected .txt, .text, .md, .html or .htm{hint}",
            path=path,
        )
    text = decode(read_file_bytes(path, max_bytes), path)
    try:
        if suffix in HTML_SUFFIXES:
            return article_from_html(text)
        return article_from_text(text)
    except IngestError as exc:
        raise exc.at(path) from None


def _opt_str(rec: dict, *keys: str) -> str | None:
    for key in keys:
        value = rec.get(key)
        if value is None or isinstance(value, bool):
            continue
        if not isinstance(value, (str, int, float)):
            raise IngestError(f"'{key}' must be a string, got {type(value).__name__}")
        if str(value).strip():
            return str(value).strip()
    return None


def articles_from_jsonl_record(rec: dict) -> Article:
    """An Article from a record with "text" (kept verbatim, so offsets into it stay valid) or "html"."""
    text, html = rec.get("text"), rec.get("html")
    meta = {
        "title": _opt_str(rec, "title"),
        "source": _opt_str(rec, "source"),
        "url": _opt_str(rec, "url"),
        "published": _opt_str(rec, "published", "date"),
        "language": _opt_str(rec, "language"),
    }
    if isinstance(text, str) and text.strip():
        text = validate.storable_text(text)  # one character for one: offsets into it stay valid
        check_length(text)
        meta["language"] = meta["language"] or detect_language(text)
        return checked(text, **meta)
    if isinstance(html, str) and html.strip():
        page = article_from_html(validate.storable_text(html), url=meta["url"])
        given = {k: v for k, v in meta.items() if v}  # cleaned by checked() with the page's own fields
        return checked(**{**_fields(page), **given})
    if text is not None and not isinstance(text, str):
        raise IngestError(f"'text' must be a string, got {type(text).__name__}")
    raise IngestError("record has no 'text' (or 'html')")


def _fields(article: Article) -> dict:
    return {
        "text": article.text,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "language": article.language,
    }


def iter_articles(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES) -> Iterator[Article | IngestError]:
    """Articles from files, folders (recursively) and JSONL files; failures are yielded, not raised."""
    for path in expand_paths(paths):
        if path.suffix.lower() not in JSONL_SUFFIXES:
            try:
                yield read_article(path, max_bytes=max_bytes)
            except IngestError as exc:
                yield exc
            continue
        for lineno, rec in jsonl_records(path):
            if isinstance(rec, IngestError):
                yield rec
                continue
            try:
                yield articles_from_jsonl_record(rec)
            except IngestError as exc:
                yield exc.at(path, lineno)


def article_from_upload(name: str, data: bytes) -> Article:
    """An uploaded file checked as read_article checks a file (type, size, encoding); errors name the upload.

    read_article wants a path, so the upload goes to a temporary file (named by its suffix only).
    """
    import tempfile

    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return read_article(path)
        except IngestError as exc:
            raise IngestError(f"{name}: {exc.reason}") from None
