"""What an article's fields may hold, checked once at the edge so nothing downstream has to.

A value stored once is read by every page for every user: a date Streamlit cannot draw, a NUL that
PostgreSQL refuses, a lone surrogate that UTF-8 cannot encode or a 50 MB title takes the whole
dashboard down, not one article. So each field is normalised or refused here, with a message
that names the field, and the store checks again for callers that bypass ingest.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from geo.limits import MAX_SOURCE_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS

# Dates every part of the stack can draw and filter (pandas, Streamlit's slider, PostgreSQL) and
# that a news article can carry: archives go back to the 19th century; nothing is published
# centuries ahead.
DATE_MIN = dt.date(1800, 1, 1)
DATE_MAX = dt.date(2200, 12, 31)
MAX_LANGUAGE_CHARS = 16

_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ]|Z)")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NUL = "\x00"
# Everything that moves a terminal's cursor or changes its colours, and line breaks: none of it
# belongs in a one-line field such as a title, a source name or a file name in a message.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")  # colour codes, window titles
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class FieldError(ValueError):
    """A field value that cannot be stored; the message names the field."""


def in_date_range(day: dt.date) -> bool:
    return DATE_MIN <= day <= DATE_MAX


def iso_date(raw: object, *, field: str = "published", strict: bool = False) -> str | None:
    """YYYY-MM-DD for a real calendar date in range, None for no value; FieldError otherwise.

    ISO dates and date-times are taken as they are; unless strict, spellings with a month name
    that feeds use ("Mon, 05 Dec 2016 10:00:00 GMT", "5 December 2016") are parsed by dateutil.
    All-digit forms other than ISO ("05/12/2016") are refused: day and month cannot be told apart.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    if len(text) > 64:
        raise FieldError(f"{field} is {len(text):,} characters long; expected a date such as 2017-03-02")
    m = _ISO_PREFIX.match(text)
    try:
        if m:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif strict or not re.search(r"[^\W\d_]{3}", text):
            raise ValueError(text)
        else:
            from dateutil import parser as date_parser

            day = date_parser.parse(text, default=dt.datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError):
        raise FieldError(f"{field} {printable(text, 40)!s} is not a calendar date (expected YYYY-MM-DD)") from None
    if not in_date_range(day):
        raise FieldError(f"{field} {day.isoformat()} is outside {DATE_MIN.year}–{DATE_MAX.year}")
    return day.isoformat()


def storable_text(text: str) -> str:
    """The text with NULs and lone surrogates replaced, one character for one, so offsets stay valid.

    PostgreSQL refuses NUL in text, and a lone surrogate (valid in JSON, "\\ud800") cannot be
    encoded as UTF-8 by any database driver.
    """
    if _NUL in text:
        text = text.replace(_NUL, "\ufffd")
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


def one_line(value: object, *, field: str, limit: int) -> str | None:
    """A metadata field as one clean line: controls dropped, whitespace folded; FieldError when too long."""
    if value is None:
        return None
    text = storable_text(str(value))
    if len(text) > limit * 4:  # don't even normalise megabytes
        raise FieldError(f"{field} is {len(text):,} characters long; the limit is {limit:,}")
    text = unicodedata.normalize("NFC", _CONTROLS.sub(" ", _ANSI.sub("", text)))
    text = " ".join(text.split())
    if len(text) > limit:
        raise FieldError(f"{field} is {len(text):,} characters long; the limit is {limit:,}")
    return text or None


def title(value: object) -> str | None:
    return one_line(value, field="title", limit=MAX_TITLE_CHARS)


def source(value: object) -> str | None:
    return one_line(value, field="source", limit=MAX_SOURCE_CHARS)


def url(value: object) -> str | None:
    return one_line(value, field="url", limit=MAX_URL_CHARS)  # shown only through safe_href (http/https)


def language(value: object) -> str | None:
    text = one_line(value, field="language", limit=MAX_LANGUAGE_CHARS)
    if text and not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*", text):
        raise FieldError(f"language {text!r} is not a language code such as 'en' or 'pt-BR'")
    return text


def printable(value: object, limit: int = 200) -> str:
    """A value (a file name, a user's input) safe to print in a terminal or a log line.

    Control and bidirectional-override characters are shown as escapes instead of acting on the
    terminal; long values are cut with an ellipsis.
    """
    text = storable_text(str(value))
    text = _CONTROLS.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_article(article) -> None:
    """FieldError unless the article is as ingest leaves it (for writers that bypass ingest)."""
    if storable_text(article.text) != article.text:
        raise FieldError("text holds NUL characters or lone surrogates")
    if iso_date(article.published) != article.published:
        raise FieldError(f"published {printable(article.published, 40)} is not a YYYY-MM-DD date")
    for name, check in (("title", title), ("source", source), ("url", url)):
        value = getattr(article, name)
        if value is not None and check(value) != value:
            raise FieldError(f"{name} holds line breaks or control characters")
