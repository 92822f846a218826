"""Export: what the map shows, as a slide-ready picture or as data (same filters, same layers, same view).

The rows come from the map data the Map page keeps in memory (filtered in milliseconds), not from a
fresh read of the store; only the formats that quote sentences read article texts, and only those of
the rows they quote (geo.exports.source).

The view: panning the map runs no Python, so the map leaves its latest view in the browser
(`window.__cmView`, see geo.maps.elements.ViewSync). When the analyst comes here, a few lines of script put
that view into the URL and let Streamlit take the URL (a history event): one rerun of this page, so
the exports use the centre and zoom the analyst last saw — and panning still never reruns anything.
"""

from __future__ import annotations

import streamlit as st

from geo.teams.auth import Action
from geo.exports.source import export, texts_from
from geo.view.state import MapState
from geo.maps.html import esc
from pages._auth import require
from pages._shared import (
    current_state,
    ensure_dashboard,
    filtered,
    fly_to,
    get_airbases,
    get_cities,
    get_map_data,
    get_roads,
    get_store,
    page_script,
)

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

# pages/js/take_view.js takes the map's latest view (left by geo.maps.elements.ViewSync in this window) into the
# URL, then fires the history event on which Streamlit reruns the page with the URL's parameters. Python's
# own parameters are already in the URL when this runs, so only the view changes.


def take_view_from_map() -> None:
    """Bring the view the analyst left the map at (see the module docstring); draws nothing visible."""
    st.html(page_script("take_view.js"), unsafe_allow_javascript=True)


def keep_view_for_the_map(state: MapState) -> None:
    """A view taken from the browser becomes the session's map view too: back on the Map page, the map
    opens where the analyst left it rather than where Python last placed it."""
    given = st.session_state.get("cm_view")
    if state.center is None or given is None:
        return
    (lat, lon), zoom = given
    if abs(lat - state.center[0]) > 1e-4 or abs(lon - state.center[1]) > 1e-4 or (state.zoom or zoom) != zoom:
        fly_to(state.center, state.zoom or zoom)


def _view_caption(state: MapState) -> str:
    if state.center is None:
        return "View: fitted to the places (open the map and move it to choose another)."
    lat, lon = state.center
    zoom = f" at zoom {state.zoom}" if state.zoom is not None else ""
    return f"View: centre {lat:.4f}, {lon:.4f}{zoom}, as on the map."


st.title("Export")
take_view_from_map()
state = current_state()
keep_view_for_the_map(state)
store = get_store()
data = get_map_data(store)
view = filtered(data, state)
frame = view.frame
n_articles = int(frame["article_pos"].nunique()) if len(frame) else 0
st.caption(f"{len(frame):,} mentions of {len(view.places):,} places in {n_articles:,} articles match the current filters.")
st.caption(_view_caption(state))

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
        from geo.exports.layout import Briefing

        with st.spinner("Rendering..."):
            try:
                layers = {}
                if fmt in ("png", "pdf", "html"):  # the reference layers the map shows, as it shows them
                    layers["airbases"] = get_airbases() if "air bases" in state.layers else None
                    layers["roads"] = get_roads() if "roads" in state.layers else None
                    layers["cities"] = get_cities()  # the basemap's city names, and the towns layer when on
                briefing = None
                if fmt in ("png", "pdf"):
                    briefing = Briefing.with_banner_colour(colour, title=title, subtitle=subtitle, banner=banner,
                                                           size=size)
                payload = export(fmt, frame, state, filtered=True, texts=texts_from(store), briefing=briefing,
                                 renderer=renderer, title=title, subtitle=subtitle, **layers).data
            except Exception as e:  # noqa: BLE001 (shown to the user; nothing is lost)
                st.error(f"Export failed: {esc(e)}")
            else:
                st.session_state["cm_export"] = (payload, f"conflict-map.{fmt}", mime)
    if "cm_export" in st.session_state:
        payload, name, mime = st.session_state["cm_export"]
        st.download_button(f"Download {name} ({len(payload) / 1024:,.0f} KB)", payload, file_name=name, mime=mime)
