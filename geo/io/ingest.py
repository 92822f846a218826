"""Turning files, HTML pages and JSON lines into Articles.

Scraped pages arrive with their furniture (site name, photo captions, share buttons, comment widgets).
Whatever names sit there would end up on the map, so it is removed here, once, with general rules
rather than rules for one site. Every failure is an IngestError that names the file, so that a batch
can report what it skipped and carry on.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from geo.io import validate
from geo.parse.language import detect_language
from geo.limits import MAX_FILE_BYTES, MAX_LINE_BYTES, MAX_TEXT_CHARS
from geo.types import Article
from geo.io.validate import FieldError, printable

MAX_BYTES = MAX_FILE_BYTES  # larger files are almost certainly not one article (geo/limits.py)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


class IngestError(Exception):
    """An input that cannot become an Article; the message says which file (and line) and why."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        where = printable(path) if path is not None else ""  # file names may hold newlines or escape codes
        if line is not None:
            where = f"{where}, line {line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message
        self.path = str(path) if path is not None else None
        self.line = line


def checked(text: str, *, title: str | None = None, source: str | None = None, url: str | None = None,
            published: str | None = None, language: str | None = None) -> Article:
    """An Article with every field normalised and bounded (geo/io/validate.py), or an IngestError.

    Every way in (text, HTML, files, JSON lines, the Add article page) ends here, so what the
    store holds can always be drawn and filtered. The Article is made once, from the clean text
    (its id hashes the text, which a lone surrogate would not survive).
    """
    try:
        text = validate.storable_text(text)
        check_length(text)
        return Article(text=text, title=validate.title(title), source=validate.source(source),
                       url=validate.url(url), published=validate.iso_date(published),
                       language=validate.language(language))
    except FieldError as exc:
        raise IngestError(str(exc)) from None


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
    check_length(text)
    page = _clean(text)
    return checked(
        page.body,
        title=title or page.title,
        source=source or page.site,
        url=url,
        published=published,
        language=language or detect_language(page.body),
    )


def check_length(text: str) -> None:
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
        if date:
            try:
                date = validate.iso_date(date)
            except FieldError:
                date = None  # a page's own date that cannot be true (year 0001) is no date
        body = "\n\n".join(paragraphs)
        check_length(body)  # before detecting the language of megabytes
        return checked(
            body,
            title=title,
            source=(doc.sitename or "").strip() or None,
            url=url or doc.url,
            published=date,
            language=doc.language or language or detect_language(body),
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


def read_file_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, read no further than the limit.

    Links are refused: a folder of articles holding a link to /etc/passwd must not publish it to
    every viewer. The size is checked on what is read, not on what stat() says: files under /proc
    report size 0 whatever they hold.
    """
    if path.is_symlink():
        raise IngestError("is a symbolic link; give the file it points to instead", path=path)
    if not path.exists():
        raise IngestError("no such file", path=path)
    if not path.is_file():
        raise IngestError("not a regular file", path=path)
    if path.stat().st_size > max_bytes:
        raise IngestError(f"file is {path.stat().st_size:,} bytes, over the limit of {max_bytes:,} bytes", path=path)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(f"cannot read it ({exc.strerror or exc})", path=path) from None
    if len(data) > max_bytes:
        raise IngestError(f"file is over the limit of {max_bytes:,} bytes", path=path)
    if not data.strip():
        raise IngestError("file is empty", path=path)
    for bom, codec in _WIDE_BOMS:  # UTF-16/32 text is full of NUL bytes but is text
        if data.startswith(bom):
            rest = data[len(bom):]
            if codec == "utf-16" and b"\x00" not in rest and _is_utf8(rest):
                return rest  # a UTF-16 mark in front of UTF-8 text (an editor's mistake): the text is UTF-8
            try:
                return data.decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                raise IngestError(f"starts like {codec} text but does not decode as it", path=path) from None
    if b"\x00" in data:
        raise IngestError("binary file (contains NUL bytes), not text or HTML", path=path)
    return data


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_article(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Article:
    """One article from a .txt/.text/.md or .html/.htm file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_symlink():
        raise IngestError("is a symbolic link; give the file it points to instead", path=path)
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        hint = " (use iter_jsonl for JSON lines)" if suffix in JSONL_SUFFIXES else ""
        raise IngestError(
            f"unsupported file type {suffix or '(no suffix)'!r}; expected .txt, .text, .md, .html or .htm{hint}",
            path=path,
        )
    text = _decode(read_file_bytes(path, max_bytes), path)
    try:
        if suffix in HTML_SUFFIXES:
            return article_from_html(text)
        return article_from_text(text)
    except IngestError as exc:
        raise IngestError(exc.reason, path=path) from None


# --------------------------------------------------------------------------- JSON lines


def _jsonl_records(source: str | Path | TextIO | BinaryIO) -> Iterator[tuple[int, dict | IngestError]]:
    """(line number, record) of a JSONL file or stream, with bad lines as errors in place."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_symlink():
            yield 0, IngestError("is a symbolic link; give the file it points to instead", path=path)
            return
        if not path.is_file():
            yield 0, IngestError("no such file", path=path)
            return
        with path.open("rb") as fh:
            yield from _jsonl_stream(fh, path)
    else:
        yield from _jsonl_stream(getattr(source, "buffer", source), getattr(source, "name", "<stream>"))


def bounded_lines(fh: BinaryIO | TextIO, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | str | None]]:
    """(line number, line) of a stream, None in place of a line longer than the limit (never held whole)."""
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        newline = "\n" if isinstance(line, str) else b"\n"
        if len(line) > limit and not line.endswith(newline):
            while line and not line.endswith(newline):  # skip the rest of it, a bounded piece at a time
                line = fh.readline(1 << 20)
            yield lineno, None
        else:
            yield lineno, line


def parse_jsonl_line(raw: bytes | str | None, *, path: str | Path, line: int) -> dict | IngestError:
    """One line of a JSONL file as a record, or the reason it is not one (naming the file and line).

    The one place a line is read, by `ingest`, `geoparse` and the batch workers alike: a line that
    fails here fails alone, never its neighbours.
    """
    def error(message: str) -> IngestError:
        return IngestError(message, path=path, line=line)

    if raw is None:
        return error(f"line is longer than {MAX_LINE_BYTES:,} bytes (one article; set CONFLICTMAP_MAX_FILE_MB)")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig" if line == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            return error(f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
    elif line == 1:
        raw = raw.removeprefix("\ufeff")
    if "\x00" in raw:
        return error("binary data (NUL bytes), not JSON")
    try:
        rec = json.loads(raw)
    except json.JSONDecodeError as exc:
        return error(f"bad JSON ({exc.msg}, column {exc.colno})")
    except RecursionError:
        return error("JSON nested too deeply")
    if not isinstance(rec, dict):
        return error(f"expected a JSON object, got {type(rec).__name__}")
    return rec


def _jsonl_stream(fh: BinaryIO | TextIO, name: str | Path) -> Iterator[tuple[int, dict | IngestError]]:
    for lineno, line in bounded_lines(fh):
        if line is not None and not line.strip():
            continue
        yield lineno, parse_jsonl_line(line, path=name, line=lineno)


def iter_jsonl(source: str | Path | TextIO) -> Iterator[dict]:
    """One dict per non-blank line; raises IngestError (with the line number) at the first bad line."""
    for _, rec in _jsonl_records(source):
        if isinstance(rec, IngestError):
            raise rec
        yield rec


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


# --------------------------------------------------------------------------- batches


def expand_paths(paths: Iterable[str | Path], suffixes: frozenset[str] | set[str] = ARTICLE_SUFFIXES) -> Iterator[Path]:
    """Files as given, and folders as their files with these suffixes (recursively, hidden ones skipped).

    Links inside a folder are not followed but listed, so that reading them reports why they are
    skipped; a folder linked to itself cannot loop.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir() and not p.is_symlink():
            found: list[Path] = []
            for root, dirs, files in os.walk(p, followlinks=False):
                here = Path(root)
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                linked = [d for d in dirs if (here / d).is_symlink()]
                dirs[:] = [d for d in dirs if d not in linked]
                found.extend(here / d for d in linked)
                found.extend(here / f for f in files
                             if not f.startswith(".") and Path(f).suffix.lower() in suffixes)
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
