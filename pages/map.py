"""Map page: every place the stored articles name, with the articles behind each one.

?lat=..&lon=..(&place=..) centres the map on one place (the Articles page links here that way).
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.mapview import build_map, places_frame
from pages._shared import (
    ADD_PAGE,
    asset_base,
    ensure_dashboard,
    get_airbases,
    get_store,
    parse_focus,
    places_table,
)

ensure_dashboard()
store = get_store()
frame = store.mention_frame()

with st.sidebar:
    st.subheader("Map")
    features = sorted(frame["feature"].dropna().unique())
    chosen = st.multiselect("Place types", features, default=features, key="map_features")
    sources = sorted(frame["source"].dropna().unique())
    chosen_sources = st.multiselect("Sources", sources, default=sources, key="map_sources")
    show_airfields = st.toggle("Air bases and airports", value=True, key="map_airfields")
    online_tiles = st.toggle(
        "OpenStreetMap background (needs internet)", value=False, key="map_tiles",
        help="Off: the offline Natural Earth outlines only. On: web tiles from openstreetmap.org.",
    )

shown = frame[frame["feature"].isin(chosen) & (frame["source"].isin(chosen_sources) | frame["source"].isna())]
focus = parse_focus(st.query_params)

if frame.empty:
    st.info("No articles yet.")
    st.page_link(ADD_PAGE, label="Add an article", icon=":material/add_circle:")
if focus:
    place = st.query_params.get("place")
    left, right = st.columns([4, 1])
    left.caption(f"Centred on {place or 'the selected place'} ({focus[0]:.4f}, {focus[1]:.4f}).")
    if right.button("Show all places", key="map_show_all"):
        st.query_params.clear()
        st.rerun()

fmap = build_map(
    shown,
    airbases=get_airbases() if show_airfields else None,
    tiles="OpenStreetMap" if online_tiles else None,
    asset_base=asset_base(),
    focus=focus,
)
# returned_objects=[]: panning and zooming stay in the browser instead of rerunning this script.
st_folium(fmap, height=620, use_container_width=True, returned_objects=[], key="place_map")

places = places_frame(shown)
st.subheader(f"{len(places)} places")
places_table(places)
