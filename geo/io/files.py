"""Reading input files safely: which files are articles, bounded reads, encodings, no links.

A folder of articles is untrusted: it may hold a link to /etc/passwd, a file under /proc that
reports size 0 whatever it holds, a UTF-16 export, a cp1252 page, or a binary blob with a .txt
name. Each is refused or decoded here, with a message that names the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from geo.io.errors import IngestError
from geo.limits import MAX_FILE_BYTES

MAX_BYTES = MAX_FILE_BYTES  # larger files are almost certainly not one article (geo/limits.py)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
              (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def link_refused(path: Path) -> IngestError:
    """The error for a symbolic link: what it points to is not published to every viewer."""
    return IngestError("is a symbolic link; give the file it points to instead", path=path)


def read_file_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, read no further than the limit.

    Links are refused: a folder of articles holding a link to /etc/passwd must not publish it to
    every viewer. The size is checked on what is read, not on what stat() says: files under /proc
    report size 0 whatever they hold.
    """
    if path.is_symlink():
        raise link_refused(path)
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


def decode(data: bytes, path: Path) -> str:
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
