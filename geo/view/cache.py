"""A small process-wide cache of results every session would otherwise make alike."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class SharedCache:
    """The last few results of work every session would otherwise repeat alike (a view of the store, a
    map layer rendered for some filters), kept once for the whole server process and shared read-only.

    Streamlit runs all sessions' scripts in one process whose threads take turns on one interpreter
    lock, so ten analysts cost ten times the work of one unless they share it (scripts/bench_sessions.py).
    Keys hold the store's version (geo.store.frames.MapData.version) wherever the result depends on the
    store, so an ingest or a delete makes new entries and the old ones age out. At most `entries`
    results and about `max_bytes` of them (a result's size: `sizeof`) are kept, least recently used
    first out. Two sessions asking for a missing key at the same moment may both make it: no lock is held
    while making, so one slow result never stalls the others.
    """

    def __init__(self, entries: int, max_bytes: int = 0, sizeof: Callable[[Any], int] = lambda value: 0):
        self.entries, self.max_bytes, self.sizeof = entries, max_bytes, sizeof
        self._items: OrderedDict = OrderedDict()  # key -> (value, size)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept under `key`, made by `make()` (and kept) when there is none."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = make()
        size = self.sizeof(value)
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, size)
                self._bytes += size
            while len(self._items) > self.entries or (self.max_bytes and self._bytes > self.max_bytes
                                                      and len(self._items) > 1):
                _, (_, gone) = self._items.popitem(last=False)
                self._bytes -= gone
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def text_size(value: object) -> int:
    """The size of a rendered piece (HTML, SVG, bytes) for SharedCache's byte budget; 0 for anything else."""
    return len(value) if isinstance(value, (str, bytes)) else 0
