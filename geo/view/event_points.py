"""One row per event at a place, as the map's event layer draws it: what, when, who, how many died, and
the sentence it was read from.

Made from any mention frame: the dashboard's (geo.store.frames, which carries each event's own date,
fatalities and evidence sentence) or the store's full read that an export is given (which has the
sentence around the mention instead, and the article's day for the date).
"""

from __future__ import annotations

import pandas as pd

from geo.view.filters import row_when

EVENT_POINT_COLUMNS = ["event_id", "place_id", "name", "lat", "lon", "when", "dated", "event_type", "event_subtype",
                       "modality", "fact", "actor1", "actor2", "fatalities", "evidence", "title", "source", "url",
                       "article_id"]


def event_points(frame: pd.DataFrame) -> pd.DataFrame:
    """The events of a mention frame (EVENT_POINT_COLUMNS), by place and then in time order.

    `when`: the event's own date, else its article's day (`dated` says which); `fact`: it happened (not
    denied, threatened, planned or only possible); `fatalities`: None where the text is silent.
    """
    if frame is None or frame.empty or "event_type" not in frame:
        return pd.DataFrame(columns=EVENT_POINT_COLUMNS)
    rows = frame[frame["event_type"].notna().to_numpy()]
    if rows.empty:
        return pd.DataFrame(columns=EVENT_POINT_COLUMNS)
    out = pd.DataFrame({c: rows[c].astype(object).to_numpy() if c in rows else None
                        for c in ("place_id", "name", "event_type", "event_subtype", "modality", "actor1", "actor2",
                                  "title", "source", "url", "article_id")})
    out["lat"], out["lon"] = rows["lat"].to_numpy(float), rows["lon"].to_numpy(float)
    out["when"] = row_when(rows).to_numpy()
    out["dated"] = rows["event_day"].notna().to_numpy() if "event_day" in rows else False
    out["fact"] = (rows["modality"].astype(object) == "fact").to_numpy()
    out["fatalities"] = rows["fatalities"].astype(object).where(rows["fatalities"].notna(), None).to_numpy() \
        if "fatalities" in rows else None
    evidence = "evidence" if "evidence" in rows else "sentence" if "sentence" in rows else None
    out["evidence"] = rows[evidence].astype(object).to_numpy() if evidence else None
    out["event_id"] = rows["event_id"].astype(object).to_numpy() if "event_id" in rows else range(len(rows))
    if "place_id" not in rows:  # one place per (name, lat, lon), as geo.store.frames.places counts them
        out["place_id"] = out.groupby(["name", "lat", "lon"], sort=False, dropna=False).ngroup().to_numpy()
    out = out.sort_values(["place_id", "when"], kind="stable", ignore_index=True)
    return out[EVENT_POINT_COLUMNS]
