"""The embedded gazetteer: sources → compact SQLite index → candidates for a name."""

from geo.gazetteer.index import Gazetteer, GazetteerMissing, NameHit, build_index
from geo.gazetteer.normalize import norm

__all__ = ["Gazetteer", "GazetteerMissing", "NameHit", "build_index", "norm"]
