"""JSON lines: one article a line, read a bounded line at a time.

A line that fails (too long, not UTF-8, bad JSON, not an object) fails alone, named by file and
line number, never its neighbours; no line longer than the limit is ever held whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from geo.io.errors import IngestError
from geo.io.files import link_refused
from geo.limits import MAX_LINE_BYTES


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


def jsonl_records(source: str | Path | TextIO | BinaryIO) -> Iterator[tuple[int, dict | IngestError]]:
    """(line number, record) of a JSONL file or stream, with bad lines as errors in place."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_symlink():
            yield 0, link_refused(path)
            return
        if not path.is_file():
            yield 0, IngestError("no such file", path=path)
            return
        with path.open("rb") as fh:
            yield from _records(fh, path)
    else:
        yield from _records(getattr(source, "buffer", source), getattr(source, "name", "<stream>"))


def _records(fh: BinaryIO | TextIO, name: str | Path) -> Iterator[tuple[int, dict | IngestError]]:
    for lineno, line in bounded_lines(fh):
        if line is not None and not line.strip():
            continue
        yield lineno, parse_jsonl_line(line, path=name, line=lineno)


def iter_jsonl(source: str | Path | TextIO) -> Iterator[dict]:
    """One dict per non-blank line; raises IngestError (with the line number) at the first bad line."""
    for _, rec in jsonl_records(source):
        if isinstance(rec, IngestError):
            raise rec
        yield rec
