"""Export: what the map shows, as a slide-ready picture or as data (same filters, same layers)."""

from __future__ import annotations

import streamlit as st

from geo.auth import Action
from pages._auth import require
from pages._shared import current_state, ensure_dashboard, get_store

ensure_dashboard()

FORMATS = {
    "PNG picture (1920×1080)": ("png", "1920x1080", "image/png"),
    "PNG picture (2× for print)": ("png", "1920x1080@2x", "image/png"),
    "PDF (A4 landscape)": ("pdf", "A4", "application/pdf"),
    "PDF (Letter landscape)": ("pdf", "Letter", "application/pdf"),
    "Interactive HTML map (opens offline)": ("html", None, "text/html"),
    "GeoJSON": ("geojson", None, "application/geo+json"),
    "CSV (lat, lon, WKT)": ("csv", None, "text/csv"),
    "KML (Google Earth)": ("kml", None, "application/vnd.google-earth.kml+xml"),
    "GeoPackage": ("gpkg", None, "application/geopackage+sqlite3"),
}

st.title("Export")
state = current_state()
store = get_store()
frame = state.apply(store.mention_frame())
st.caption(f"{len(frame):,} mentions of {frame['name'].nunique() if len(frame) else 0:,} places in "
           f"{frame['article_id'].nunique() if len(frame) else 0:,} articles match the current filters.")

if require(Action.EXPORT):
    choice = st.selectbox("Format", list(FORMATS))
    fmt, size, mime = FORMATS[choice]
    title = st.text_input("Title", value=state.title or "Conflict Map", max_chars=200)
    subtitle = st.text_input("Subtitle", max_chars=300)
    col1, col2 = st.columns(2)
    banner = col1.text_input("Banner (top and bottom)", placeholder="e.g. UNCLASSIFIED", max_chars=80)
    colour = col2.selectbox("Banner colour", ["green", "blue", "red", "orange", "yellow", "purple", "grey", "black"])
    renderer = st.radio("Picture renderer", ["browser", "static"], horizontal=True,
                        help="browser: headless Chromium, as on screen; static: matplotlib, needs no browser")
    if st.button("Prepare file", type="primary", disabled=frame.empty):
        from geo.exports import data as data_exports
        from geo.exports.layout import Briefing
        from geo.exports.render import render

        with st.spinner("Rendering..."):
            try:
                if fmt in ("png", "pdf", "html"):
                    if fmt == "html":
                        from geo.exports.html import to_html

                        payload = to_html(frame, state, title=title, subtitle=subtitle)
                    else:
                        briefing = Briefing.with_banner_colour(colour, title=title, subtitle=subtitle,
                                                               banner=banner, size=size)
                        payload = render(frame, state, briefing, fmt, renderer=renderer).data
                else:
                    payload = getattr(data_exports, f"to_{fmt}")(frame)
            except Exception as e:  # noqa: BLE001 (shown to the user; nothing is lost)
                st.error(f"Export failed: {e}")
            else:
                st.session_state["cm_export"] = (payload, f"conflict-map.{fmt}", mime)
    if "cm_export" in st.session_state:
        payload, name, mime = st.session_state["cm_export"]
        st.download_button(f"Download {name} ({len(payload) / 1024:,.0f} KB)", payload, file_name=name, mime=mime)
