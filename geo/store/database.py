"""Moved: the store is split into the modules of geo.store (see its __init__); import from geo.store.

Kept only while callers move their import lines (``from geo.store import Store``).
"""

from geo.store import *
from geo.store import __all__  # noqa: F401
