"""The compact gazetteer index: one SQLite file of places and their normalised names.

Built once (`python -m geo gazetteer build`); opening it costs milliseconds and almost no memory,
so a cold start never parses the 80 MB of JSON the sources ship as.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from geo.gazetteer.normalize import norm, skeleton
from geo.gazetteer.sources import GazetteerRecord
from geo.types import ALTERNATE, NAME, VARIANT, Candidate, NameHit  # noqa: F401 (NameHit and the kinds: re-exported)

INDEX_FILE = "gazetteer.sqlite"
SCHEMA_VERSION = "6"  # 2: entries.names; 3: demonyms; 4: skeletons, meta holds the dumps' countries;
# 5: indexes names(key) and entries(country, feature) for the per-country name lists of fuzzy matching;
# 6: entries.display, the English display name (geo/gazetteer/display.py)

_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE entries (
    key INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    feature TEXT NOT NULL, country TEXT, admin1 TEXT, population INTEGER NOT NULL,
    geonameid INTEGER, source TEXT NOT NULL, code TEXT,
    names INTEGER NOT NULL DEFAULT 0,  -- how many distinct names the place is known by (a sign of how well known)
    display TEXT  -- the English name people write (Palmyra for Tadmur); NULL when it is the name
);
CREATE TABLE names (norm TEXT NOT NULL, key INTEGER NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE extents (key INTEGER PRIMARY KEY, radius_km REAL NOT NULL, spread_km REAL NOT NULL);
CREATE TABLE demonyms (word TEXT PRIMARY KEY, country TEXT NOT NULL);
CREATE TABLE skeletons (skel TEXT NOT NULL, key INTEGER NOT NULL);  -- transliteration-folded names (normalize.skeleton)
"""
# Places whose names get a transliteration key: towns and divisions (not airfields, seas, countries).
_SKELETON_FEATURES = frozenset({"city", "district", "region", "county"})


class GazetteerMissing(FileNotFoundError):
    """The index has not been built yet."""


def _name_rows(key: int, rec: GazetteerRecord) -> set[tuple[str, int, int]]:
    rows: dict[str, int] = {}

    def put(name: str, kind: int) -> None:
        k = norm(name)
        if len(k) < 2:
            return
        for key_form in (k, k[3:] if k.startswith("al ") and len(k) > 5 else None):
            if key_form is None:
                continue
            kk = kind if key_form == k else max(kind, VARIANT)
            if kk < rows.get(key_form, 9):
                rows[key_form] = kk

    put(rec.name, NAME)
    for a in rec.alternates:
        put(a, ALTERNATE)
    for v in rec.variants:
        put(v, VARIANT)
    return {(k, key, kind) for k, kind in rows.items()}


def build_index(records: Iterable[GazetteerRecord], out_dir: Path, demonyms: dict[str, str] | None = None,
                meta: dict[str, str] | None = None) -> Path:
    """Write the index atomically: a half-built file never replaces a good one. `demonyms`: "Syrian" → SY;
    `meta`: more facts to record (which GeoNames dumps, hence which countries' villages, the index holds)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / INDEX_FILE
    tmp = out_dir / f".{INDEX_FILE}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
    entries, names, extents, skels = [], [], [], []
    for key, rec in enumerate(records):
        rows = _name_rows(key, rec)
        if rec.feature in _SKELETON_FEATURES:
            skels.extend({(sk, key) for sk in map(skeleton, [rec.name, *rec.alternates, *rec.variants]) if sk})
        entries.append((key, rec.name, rec.lat, rec.lon, rec.feature, rec.country, rec.admin1,
                        rec.population, rec.geonameid, rec.source, rec.code, len(rows),
                        rec.display if rec.display and rec.display != rec.name else None))
        names.extend(rows)
        if rec.radius_km or rec.spread_km:
            extents.append((key, rec.radius_km, rec.spread_km))
        if len(entries) >= 50_000:
            con.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", entries)
            con.executemany("INSERT INTO names VALUES (?,?,?)", names)
            con.executemany("INSERT INTO skeletons VALUES (?,?)", skels)
            entries, names, skels = [], [], []
    con.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", entries)
    con.executemany("INSERT INTO names VALUES (?,?,?)", names)
    con.executemany("INSERT INTO skeletons VALUES (?,?)", skels)
    con.executemany("INSERT INTO extents VALUES (?,?,?)", extents)
    con.executemany("INSERT INTO demonyms VALUES (?,?)", sorted((demonyms or {}).items()))
    con.execute("CREATE INDEX names_norm ON names(norm)")
    con.execute("CREATE INDEX skeletons_skel ON skeletons(skel)")
    con.execute("CREATE INDEX names_key ON names(key)")
    con.execute("CREATE INDEX entries_country ON entries(country, feature)")
    con.executemany("INSERT INTO meta VALUES (?,?)", [("schema", SCHEMA_VERSION), ("built", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))]
                    + sorted((meta or {}).items()))
    con.commit()
    con.execute("ANALYZE")
    con.close()
    os.replace(tmp, final)
    return final


class Gazetteer:
    """Read-only access to a built index. Thread-safe for reads (one connection per thread)."""

    def __init__(self, path: Path):
        path = Path(path)
        if path.is_dir():
            path = path / INDEX_FILE
        if not path.exists():
            raise GazetteerMissing(f"gazetteer index not found at {path}: build it with `python -m geo gazetteer build`")
        self.path = path
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._cache: dict[str, list[NameHit]] = {}
        self._extents: dict[int, tuple[float, float]] | None = None
        self._demonyms: dict[str, str] | None = None

    @staticmethod
    def _candidate(row: Sequence) -> Candidate:
        key, name, lat, lon, feature, country, admin1, population, geonameid, source = row[:10]
        return Candidate(name=name, lat=lat, lon=lon, feature=feature, country=country, geonameid=geonameid,
                         population=population, admin1=admin1, source=source, key=key,
                         names=row[11] if len(row) > 11 else 0,
                         display_name=(row[12] if len(row) > 12 else None) or name)

    def lookup(self, keys: Iterable[str]) -> dict[str, list[NameHit]]:
        """Hits for each normalised key that names at least one place (keys from `norm`)."""
        out: dict[str, list[NameHit]] = {}
        todo = []
        for k in set(keys):
            if k in self._cache:
                if self._cache[k]:
                    out[k] = self._cache[k]
            else:
                todo.append(k)
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            found: dict[str, list[NameHit]] = {k: [] for k in chunk}
            q = ("SELECT n.norm, n.kind, e.* FROM names n JOIN entries e ON e.key = n.key "
                 f"WHERE n.norm IN ({','.join('?' * len(chunk))})")
            for row in self._con.execute(q, chunk):
                found[row[0]].append(NameHit(self._candidate(row[2:]), row[1]))
            for k, hits in found.items():
                if len(self._cache) < 200_000:
                    self._cache[k] = hits
                if hits:
                    out[k] = hits
        return out

    def _rows(self, q: str, params: Sequence) -> list:
        try:
            return self._con.execute(q, params).fetchall()
        except sqlite3.OperationalError:  # an index built before the table existed
            return []

    def lookup_spelling(self, name: str) -> list[NameHit]:
        """Places whose name has the same transliteration-folded key (normalize.skeleton): "Tal Abiad" finds
        Tell Abyad. Hits are VARIANT: a spelling match is weaker evidence than the name itself."""
        sk = skeleton(name)
        if not sk:
            return []
        rows = self._rows("SELECT e.* FROM skeletons s JOIN entries e ON e.key = s.key WHERE s.skel = ?", (sk,))
        return [NameHit(self._candidate(r), VARIANT) for r in rows]

    def names_in_country(self, country: str, shortest: int = 0, longest: int = 1 << 30) -> tuple[list[str], list[int]]:
        """Normalised names (of `shortest`..`longest` characters) and their keys for the towns, districts and
        regions of one country, for fuzzy matching: a close spelling has a close length, so only that band is
        compared. The lists asked for last are kept up to 1,000,000 names in all (about 80 MB): a server reads
        reports from a few theatres, and the United States alone holds 190,000 names."""
        cache: dict[str, tuple[list[str], list[int], list[int]]] = self.__dict__.setdefault("_country_names", {})
        if country in cache:
            cache[country] = cache.pop(country)  # most recently used last
        else:
            rows = sorted(self._rows(
                "SELECT n.norm, n.key FROM entries e JOIN names n ON n.key = e.key WHERE e.country = ? "
                "AND e.feature IN ('city', 'district', 'region') AND n.kind <= 2", (country,)),
                key=lambda r: len(r[0]))
            while cache and sum(len(v[0]) for v in cache.values()) + len(rows) > 1_000_000:
                cache.pop(next(iter(cache)))
            cache[country] = ([r[0] for r in rows], [r[1] for r in rows], [len(r[0]) for r in rows])
        names, keys, lengths = cache[country]
        lo, hi = bisect_left(lengths, shortest), bisect_right(lengths, longest)
        return names[lo:hi], keys[lo:hi]

    def entry(self, key: int) -> Candidate | None:
        rows = self._rows("SELECT * FROM entries WHERE key = ?", (key,))
        return self._candidate(rows[0]) if rows else None

    def meta(self) -> dict[str, str]:
        """What the index records about itself: schema, build time, the GeoNames dumps (countries) it holds."""
        return dict(self._rows("SELECT k, v FROM meta", ()))

    def extent(self, key: int) -> tuple[float, float]:
        """(radius, spread) in km of an area entry: how large it is, and how far apart the usual label points
        for it lie (0 for towns, and for indexes built before extents were recorded)."""
        if self._extents is None:
            try:
                rows = self._con.execute("SELECT key, radius_km, spread_km FROM extents").fetchall()
            except sqlite3.OperationalError:
                rows = []
            self._extents = {k: (r, s) for k, r, s in rows}
        return self._extents.get(key, (0.0, 0.0))

    def demonyms(self) -> dict[str, str]:
        """Demonym → country ("Syrian" → SY); empty for an index built before they were recorded."""
        if self._demonyms is None:
            try:
                self._demonyms = dict(self._con.execute("SELECT word, country FROM demonyms").fetchall())
            except sqlite3.OperationalError:
                self._demonyms = {}
        return self._demonyms

    def candidates(self, name: str) -> list[Candidate]:
        """Every place known by this name, most populous first."""
        hits = self.lookup([norm(name)]).get(norm(name), [])
        return sorted((h.candidate for h in hits), key=lambda c: -c.population)

    def by_feature(self, feature: str) -> list[Candidate]:
        rows = self._con.execute("SELECT * FROM entries WHERE feature = ?", (feature,))
        return [self._candidate(r) for r in rows]

    def frame(self, features: Sequence[str], *, min_population: int | None = None,
              columns: Sequence[str] | None = None, display: bool = False):
        """Entries of the given features as a DataFrame (for map layers and joins). `min_population` and
        `columns` are applied in SQL: a layer of big cities should not build a frame of every town first.

        With `display`, `name` is the display name (Palmyra: geo/gazetteer/display.py) and a `gazetteer_name`
        column after it holds the gazetteer's (Tadmur); both are the name for an index built before display
        names (schema < 6)."""
        import pandas as pd

        if display:
            cols = list(columns) if columns else None
            # Asked, not tried: SQLite reads a double-quoted name that is no column as a string.
            if "display" in {r[1] for r in self._rows("PRAGMA table_info(entries)", ())}:
                df = self.frame(features, min_population=min_population,
                                columns=[*cols, "display"] if cols and "display" not in cols else cols)
            else:  # an index built before display names (schema < 6)
                df = self.frame(features, min_population=min_population, columns=cols).assign(display=None)
            gazetteer_name = df["name"]
            df = df.assign(name=df.pop("display").where(lambda d: d.notna(), gazetteer_name))
            df.insert(df.columns.get_loc("name") + 1, "gazetteer_name", gazetteer_name)
            return df
        wanted = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        q = f"SELECT {wanted} FROM entries WHERE feature IN ({','.join('?' * len(features))})"
        params: list = list(features)
        if min_population is not None:
            q += " AND population >= ?"
            params.append(int(min_population))
        return pd.read_sql_query(q, self._con, params=params)

    def __len__(self) -> int:
        return self._con.execute("SELECT count(*) FROM entries").fetchone()[0]
