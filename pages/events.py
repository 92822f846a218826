"""Events page: what happened where under the sidebar's filters, as a table in ACLED's terms.

Each row is an event at a place (its date, type, sub-type, actors, fatalities, modality, location precision), with the
sentence it was read from as evidence and the article it came from. Evidence is cut from the texts of
the rows shown only; the Export page writes all of them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.store import frames as mapdata
from geo.exports.events import event_details
from pages._panel import MODALITY_WORDS
from pages._shared import current_state, ensure_dashboard, filtered, get_map_data, get_store

SHOWN = 500  # rows with evidence in the table; the counts cover all events
PRECISION = {1: "exact", 2: "near", 3: "region"}

ensure_dashboard()
store = get_store()
data = get_map_data(store)
state = current_state()
view = filtered(data, state)
table = mapdata.event_table(view.frame)

st.header("Events")
if table.empty:
    st.info("No event passes the filters. Events are found when articles are added; for articles stored "
            "before that, run `python -m geo events`.")
    st.stop()

facts = int((table["modality"] == "fact").sum())
st.caption(f"{len(table):,} events at places under the filters ({facts:,} reported as having happened; the rest "
           "denied, threatened, planned or only possible), newest first.")
by_type, by_actor = st.columns(2)
with by_type:
    st.markdown("**By event type**")
    st.dataframe(mapdata.counts_by(table, "event_type").rename(columns={"event_type": "Event type", "events": "Events"}),
                 hide_index=True, width="stretch")
with by_actor:
    st.markdown("**Most frequent actors**")
    st.dataframe(mapdata.counts_by(table, "actor1", also="actor2").rename(columns={"actor1": "Actor", "events": "Events"}),
                 hide_index=True, width="stretch")

shown = table.head(SHOWN)
texts = mapdata.article_texts(store, shown["article_id"].unique().tolist())
evidence = [
    texts.get(a, "")[int(s):int(e)].strip() if pd.notna(s) and pd.notna(e) else ""
    for a, s, e in zip(shown["article_id"], shown["evidence_start"], shown["evidence_end"])
]
details = event_details(store, shown["article_id"].unique().tolist())
found = [details.get((a, int(s), t), (None, None)) if pd.notna(s) else (None, None)
         for a, s, t in zip(shown["article_id"], shown["evidence_start"], shown["event_type"])]
gazetteer_names = shown["gazetteer_name"].fillna(shown["name"])  # shown beside a display name only where it differs
st.dataframe(
    pd.DataFrame({
        # the event's own date (ACLED's event_date), else the article's
        "Event date": [d or (str(day.date()) if pd.notna(day) else "") for (d, _), day in zip(found, shown["day"])],
        "Fatalities": pd.array([f for _, f in found], dtype="Int64"),  # blank: the text does not say
        "Article date": shown["day"].dt.date.to_numpy(),
        "Event type": shown["event_type"].to_numpy(),
        "Sub-event type": shown["event_subtype"].to_numpy(),
        "Actor 1": shown["actor1"].fillna("").to_numpy(),  # blank, as ACLED leaves an actor not named
        "Actor 2": shown["actor2"].fillna("").to_numpy(),
        "Reported as": shown["modality"].map(MODALITY_WORDS).fillna(shown["modality"]).to_numpy(),
        "Place": shown["name"].to_numpy(),  # the display name (Palmyra), the gazetteer's beside it where it differs
        "GeoNames name": gazetteer_names.where(gazetteer_names != shown["name"], "").to_numpy(),
        "Country": shown["country"].to_numpy(),
        "Precision": shown["precision"].map(PRECISION).to_numpy(),
        "Evidence": evidence,
        "Headline": shown["title"].fillna("(untitled)").to_numpy(),
        "Source": shown["source"].to_numpy(),
    }),
    hide_index=True,
    width="stretch",
    height=520,
)
if len(table) > SHOWN:
    st.caption(f"The newest {SHOWN:,} of {len(table):,} events; the Export page writes them all (GeoJSON, CSV, "
               "KML, GeoPackage with event type, actors and evidence).")
