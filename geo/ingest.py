"""Turning files, HTML pages and JSON lines into Articles.

Scraped pages arrive with their furniture (site name, photo captions, share buttons, comment widgets).
Whatever names sit there would end up on the map, so it is removed here, once, with general rules
rather than rules for one site. Every failure is an IngestError that names the file, so that a batch
can report what it skipped and carry on.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from geo.language import detect_language
from geo.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS
from geo.types import Article

MAX_BYTES = MAX_FILE_BYTES  # larger files are almost certainly not one article (geo/limits.py)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


class IngestError(Exception):
    """An input that cannot become an Article; the message says which file (and line) and why."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        where = str(path) if path is not None else ""
        if line is not None:
            where = f"{where}, line {line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message
        self.path = str(path) if path is not None else None
        self.line = line


# --------------------------------------------------------------------------- plain text

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
class _Page:
    """What the text cleaner found: the body, and the headline and site name if the page showed them."""

    body: str
    title: str | None
    site: str | None


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


_SCRIPT_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}  # scripts mixed in one language


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0] if name else ""
    return _SCRIPT_FAMILY.get(first, first)


def _dominant_script(text: str) -> str:
    counts = Counter(_script(c) for c in text[:20000] if c.isalpha())
    return counts.most_common(1)[0][0] if counts else ""


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


def _is_furniture(line: str, site: str | None, script: str) -> bool:
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
    if script and n_words <= 12:
        letters = Counter(_script(c) for c in line if c.isalpha())
        if letters and letters.most_common(1)[0][0] != script:
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


def _clean(text: str) -> _Page:
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    site = _detect_site(lines)
    script = _dominant_script(text)
    drop = [bool(ln) and _is_furniture(ln, site, script) for ln in lines]
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
        return _Page(text.strip(), title, site)
    return _Page(_join_kept(lines, drop) or text.strip(), title, site)


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
    _check_length(text)
    page = _clean(text)
    return Article(
        text=page.body,
        title=title or page.title,
        source=source or page.site,
        url=url,
        published=published,
        language=language or detect_language(page.body),
    )


def _check_length(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(f"text of {len(text):,} characters is over the limit of {MAX_TEXT_CHARS:,} "
                          "(set CONFLICTMAP_MAX_TEXT_CHARS to raise it)")


# --------------------------------------------------------------------------- HTML

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol tr table section article header footer nav aside main "
    "blockquote pre figure figcaption dd dt br hr address".split()
)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def article_from_html(html: str | bytes, *, url: str | None = None) -> Article:
    """An Article from a web page: trafilatura's main text and metadata, offline."""
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
        date = doc.date if doc.date and _ISO_DATE.match(doc.date) else None
        _check_length("\n\n".join(paragraphs))
        return Article(
            text="\n\n".join(paragraphs),
            title=title,
            source=(doc.sitename or "").strip() or None,
            url=url or doc.url,
            published=date[:10] if date else None,
            language=doc.language or language or detect_language("\n\n".join(paragraphs)),
        )
    text, title = _visible_text(html)
    if not text.strip():
        raise IngestError("no text found in the HTML page")
    return article_from_text(text, title=title, url=url, language=language)


# --------------------------------------------------------------------------- files


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM); otherwise whatever charset detection is confident about."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        raise IngestError(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}); "
            "install charset-normalizer to read other encodings, or convert the file to UTF-8",
            path=path,
        ) from None
    best = from_bytes(data).best()
    if best is None:
        raise IngestError(
            f"cannot decode the text (not UTF-8, and no other encoding fits; {utf8_error.reason} "
            f"at byte {utf8_error.start})",
            path=path,
        )
    return str(best)


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
              (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    if not path.exists():
        raise IngestError("no such file", path=path)
    if not path.is_file():
        raise IngestError("not a regular file", path=path)
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes", path=path)
    data = path.read_bytes()
    if not data.strip():
        raise IngestError("file is empty", path=path)
    for bom, codec in _WIDE_BOMS:  # UTF-16/32 text is full of NUL bytes but is text
        if data.startswith(bom):
            try:
                return data.decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                raise IngestError(f"starts like {codec} text but does not decode as it", path=path) from None
    if b"\x00" in data:
        raise IngestError("binary file (contains NUL bytes), not text or HTML", path=path)
    return data


def read_article(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Article:
    """One article from a .txt/.text/.md or .html/.htm file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        hint = " (use iter_jsonl for JSON lines)" if suffix in JSONL_SUFFIXES else ""
        raise IngestError(
            f"unsupported file type {suffix or '(no suffix)'!r}; expected .txt, .text, .md, .html or .htm{hint}",
            path=path,
        )
    text = _decode(_read_bytes(path, max_bytes), path)
    try:
        if suffix in HTML_SUFFIXES:
            return article_from_html(text)
        return article_from_text(text)
    except IngestError as exc:
        raise IngestError(exc.reason, path=path) from None


# --------------------------------------------------------------------------- JSON lines


def _jsonl_records(source: str | Path | TextIO) -> Iterator[tuple[int, dict | IngestError]]:
    """(line number, record) of a JSONL file or stream, with bad lines as errors in place."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            yield 0, IngestError("no such file", path=path)
            return
        with path.open("r", encoding="utf-8-sig", newline=None) as fh:
            yield from _jsonl_stream(fh, path)
    else:
        yield from _jsonl_stream(source, getattr(source, "name", "<stream>"))


def _jsonl_stream(fh: TextIO, name: str | Path) -> Iterator[tuple[int, dict | IngestError]]:
    lineno = 0
    try:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            if "\x00" in line:
                yield lineno, IngestError("binary data (NUL bytes), not JSON", path=name, line=lineno)
                return
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield lineno, IngestError(f"bad JSON ({exc.msg}, column {exc.colno})", path=name, line=lineno)
                continue
            if not isinstance(rec, dict):
                err = IngestError(f"expected a JSON object, got {type(rec).__name__}", path=name, line=lineno)
                yield lineno, err
                continue
            yield lineno, rec
    except UnicodeDecodeError as exc:
        yield lineno + 1, IngestError(f"not valid UTF-8 ({exc.reason})", path=name, line=lineno + 1)


def iter_jsonl(source: str | Path | TextIO) -> Iterator[dict]:
    """One dict per non-blank line; raises IngestError (with the line number) at the first bad line."""
    for _, rec in _jsonl_records(source):
        if isinstance(rec, IngestError):
            raise rec
        yield rec


def _opt_str(rec: dict, *keys: str) -> str | None:
    for key in keys:
        value = rec.get(key)
        if value is not None and str(value).strip():
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
    if meta["published"] and _ISO_DATE.match(meta["published"]):
        meta["published"] = meta["published"][:10]
    if isinstance(text, str) and text.strip():
        _check_length(text)
        meta["language"] = meta["language"] or detect_language(text)
        return Article(text=text, **meta)
    if isinstance(html, str) and html.strip():
        page = article_from_html(html, url=meta["url"])
        given = {k: v for k, v in meta.items() if v}
        return Article(**{**_fields(page), **given})
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


# --------------------------------------------------------------------------- batches


def expand_paths(paths: Iterable[str | Path], suffixes: frozenset[str] | set[str] = ARTICLE_SUFFIXES) -> Iterator[Path]:
    """Files as given, and folders as their files with these suffixes (recursively, hidden ones skipped)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = (
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in suffixes
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            yield from sorted(found)
        else:
            yield p


def iter_articles(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES) -> Iterator[Article | IngestError]:
    """Articles from files, folders (recursively) and JSONL files; failures are yielded, not raised."""
    for path in expand_paths(paths):
        if path.suffix.lower() not in JSONL_SUFFIXES:
            try:
                yield read_article(path, max_bytes=max_bytes)
            except IngestError as exc:
                yield exc
            continue
        for lineno, rec in _jsonl_records(path):
            if isinstance(rec, IngestError):
                yield rec
                continue
            try:
                yield articles_from_jsonl_record(rec)
            except IngestError as exc:
                yield IngestError(exc.reason, path=path, line=lineno)
