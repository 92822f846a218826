"""The one error of the input edge: an input that cannot become an Article.

Every reader (files, pages, JSON lines, feeds, the web) raises it with the file (and line) it is
about, so that a batch can report what it skipped and carry on.
"""

from __future__ import annotations

from pathlib import Path

from geo.io.validate import printable


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

    def at(self, path: str | Path | None, line: int | None = None) -> IngestError:
        """The same reason, said of another place (a reader's error, reported for the file it was in)."""
        return IngestError(self.reason, path=path, line=line)
