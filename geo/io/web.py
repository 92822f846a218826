"""The one place the input edge goes online: fetching an http(s) URL, bounded, only when asked to.

Callers use `web.fetch_url` through the module, so that tests replace it in one place (no network
in tests).
"""

from __future__ import annotations

from geo.io.errors import IngestError
from geo.io.files import MAX_BYTES

FETCH_TIMEOUT = 30  # seconds
OFFLINE = "not fetched: fetching from the web is off (pass online=True, or --online)"


def is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def fetch_url(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of an http(s) URL (online only; the tests never call it)."""
    import urllib.error
    import urllib.request

    if not is_url(url):
        raise IngestError("only http(s) URLs are fetched", path=url)
    request = urllib.request.Request(url, headers={"User-Agent": "conflict-map batch ingest"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked above
            data = response.read(max_bytes + 1)
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        raise IngestError(f"cannot fetch ({exc})", path=url) from None
    if len(data) > max_bytes:
        raise IngestError(f"over the limit of {max_bytes:,} bytes", path=url)
    return data
