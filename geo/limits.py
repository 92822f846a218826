"""Input limits, documented and configurable through the environment (read once, at import).

| variable | default | what it bounds |
|---|---|---|
| CONFLICTMAP_MAX_FILE_MB | 20 | one input file or upload (larger files are almost never one article) |
| CONFLICTMAP_MAX_TEXT_CHARS | 2,000,000 | the text of one article after extraction |
| CONFLICTMAP_MAX_BATCH | 100,000 | articles in one batch request (ingest, feeds, URL lists) |
| CONFLICTMAP_MAX_TITLE_CHARS | 1,000 | an article's title (every page lists titles: one huge title is sent on every visit) |
| CONFLICTMAP_MAX_SOURCE_CHARS | 300 | an article's source name |
| CONFLICTMAP_MAX_URL_CHARS | 4,096 | an article's URL |

A JSON line holds one article, so it is bounded like one file (CONFLICTMAP_MAX_FILE_MB).
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
MAX_LINE_BYTES = MAX_FILE_BYTES
MAX_TITLE_CHARS = _int("CONFLICTMAP_MAX_TITLE_CHARS", 1_000)
MAX_SOURCE_CHARS = _int("CONFLICTMAP_MAX_SOURCE_CHARS", 300)
MAX_URL_CHARS = _int("CONFLICTMAP_MAX_URL_CHARS", 4_096)
