"""The map's state in one place: view, filters, layers and selection.

The dashboard keeps it in the URL (share links), exports render it, and the store's mention frame is
filtered by it, so what a briefer exports is exactly what the analyst sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace

import pandas as pd

DEFAULT_LAYERS = ("places", "air bases", "roads")


@dataclass(frozen=True)
class MapState:
    center: tuple[float, float] | None = None  # (lat, lon); None = fit to the places
    zoom: int | None = None
    date_from: str | None = None  # ISO dates, inclusive; article date, falling back to ingest date
    date_to: str | None = None
    sources: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    min_score: float = 0.0
    query: str = ""
    layers: tuple[str, ...] = DEFAULT_LAYERS
    selected: str | None = None  # a place name
    title: str = ""

    # ----------------------------------------------------------------- URL round trip
    def to_query_params(self) -> dict[str, str]:
        """Only what differs from the default, as strings (st.query_params takes these)."""
        default = MapState()
        out: dict[str, str] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v == getattr(default, f.name):
                continue
            if f.name == "center":
                out["center"] = f"{v[0]:.4f},{v[1]:.4f}"
            elif isinstance(v, tuple):
                out[f.name] = "|".join(v)
            else:
                out[f.name] = str(v)
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, str]) -> MapState:
        """Lenient: a malformed value falls back to the default instead of breaking the page."""
        kw: dict = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None or raw == "":
                continue
            raw = str(raw)
            try:
                if f.name == "center":
                    lat, lon = (float(x) for x in raw.split(","))
                    if -90 <= lat <= 90 and -180 <= lon <= 180:
                        kw["center"] = (lat, lon)
                elif f.name == "zoom":
                    kw["zoom"] = max(1, min(18, int(raw)))
                elif f.name == "min_score":
                    kw["min_score"] = max(0.0, min(1.0, float(raw)))
                elif f.name in ("sources", "countries", "features", "layers"):
                    kw[f.name] = tuple(x for x in raw.split("|") if x)
                elif f.name in ("date_from", "date_to"):
                    kw[f.name] = pd.Timestamp(raw).date().isoformat()
                else:
                    kw[f.name] = raw[:500]
            except (ValueError, TypeError):
                continue
        return cls(**kw)

    def with_(self, **changes) -> MapState:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)

    # ----------------------------------------------------------------- filtering
    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The store's mention frame (one row per mention) restricted to what this state shows."""
        if frame.empty:
            return frame
        keep = pd.Series(True, index=frame.index)
        if self.date_from or self.date_to:
            day = pd.to_datetime(frame["published"], errors="coerce")
            day = day.fillna(pd.to_datetime(frame["ingested_at"], errors="coerce", utc=True).dt.tz_localize(None))
            day = day.dt.normalize()
            if self.date_from:
                keep &= day >= pd.Timestamp(self.date_from)
            if self.date_to:
                keep &= day <= pd.Timestamp(self.date_to)
        if self.sources:
            keep &= frame["source"].isin(self.sources)
        if self.countries:
            keep &= frame["country"].isin(self.countries)
        if self.features:
            keep &= frame["feature"].isin(self.features)
        if self.min_score > 0:
            keep &= frame["score"] >= self.min_score
        if self.query:
            q = self.query.casefold()
            hay = (frame["title"].fillna("") + " " + frame["sentence"].fillna("") + " " + frame["name"].fillna("")
                   + " " + frame["text"].fillna(""))
            keep &= hay.str.casefold().str.contains(q, regex=False)
        return frame[keep]
