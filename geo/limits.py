"""Input limits, documented and configurable through the environment (read once, at import).

| variable | default | what it bounds |
|---|---|---|
| CONFLICTMAP_MAX_FILE_MB | 20 | one input file or upload (larger files are almost never one article) |
| CONFLICTMAP_MAX_TEXT_CHARS | 2,000,000 | the text of one article after extraction |
| CONFLICTMAP_MAX_BATCH | 100,000 | articles in one batch request (ingest, feeds, URL lists) |
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


MAX_FILE_BYTES = _int("CONFLICTMAP_MAX_FILE_MB", 20) * 1024 * 1024
MAX_TEXT_CHARS = _int("CONFLICTMAP_MAX_TEXT_CHARS", 2_000_000)
MAX_BATCH_ARTICLES = _int("CONFLICTMAP_MAX_BATCH", 100_000)
