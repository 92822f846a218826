"""What every page needs: the map state in the URL and the shared sidebar of filters (Streamlit glue).

Not a page itself (st.navigation lists the pages). The loaders are in pages/_loaders.py, what the filters
select and derive in geo/view/; both are re-exported here for the pages that import them from here.

The state of the view — filters, layers, basemap, centre, zoom, selection — is one geo.view.state.MapState,
kept in st.query_params so that a copied URL reproduces the view. The sidebar's widgets are initialised
from the URL when a session starts (or a link brings new parameters) and write it back when they change;
`current_state()` is what the pages read, `set_state()` what they write.
"""

from __future__ import annotations

import functools
import runpy
from dataclasses import fields
from pathlib import Path

import streamlit as st

from geo.io.ingest import article_from_upload as read_upload
from geo.maps.base import FOCUS_ZOOM
from geo.maps.html import esc
from geo.maps.layers import LAYER_LABELS
from geo.maps.style import EVENT_COLOURS
from geo.store import Store
from geo.store.frames import MapData
from geo.view.cache import SharedCache, text_size
from geo.view.filtered import View, filtered
from geo.view.options import (
    BASEMAP_LABELS,
    FilterOptions,
    compact,
    country_label,
    filter_options,
    picked_range,
    range_dates,
)
from geo.view.state import BASEMAPS, LAYERS, LEGACY_FOCUS_KEYS, STEPS, MapState, from_link, parse_focus
from pages._loaders import (
    all_places,
    asset_base,
    get_airbases,
    get_cities,
    get_gazetteer,
    get_geoparser,
    get_joiner,
    get_local_tiles,
    get_map_data,
    get_roads,
    get_store,
    missing_asset_files,
    plugin_bundle,
    public_url,
)

__all__ = [  # what the pages import from here, made elsewhere
    "SharedCache", "View", "all_places", "asset_base", "compact", "filtered", "get_airbases", "get_cities",
    "get_gazetteer", "get_geoparser", "get_joiner", "get_local_tiles", "get_map_data", "get_roads", "get_store",
    "parse_focus", "plugin_bundle", "public_url", "read_upload",
]

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"
MAP_PAGE = "pages/map.py"
ARTICLES_PAGE = "pages/articles.py"
ADD_PAGE = "pages/add_article.py"
STATE_KEYS = {f.name for f in fields(MapState)}


def ensure_dashboard() -> None:
    """Make sure this page runs inside dashboard.py's frame; call it first on every page.

    Until st.navigation has been called once in the server process, Streamlit treats a folder named
    pages/ beside the entry script as its legacy page list, and the first visit to /articles after a
    start would run the page alone (no shared sidebar, _shared listed as a page). Then run the
    dashboard here instead: its st.navigation ends the legacy mode and runs this page in the frame.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):
        runpy.run_path(str(DASHBOARD), run_name="__main__")
        st.stop()


_PIECES = SharedCache(entries=256, max_bytes=200_000_000, sizeof=text_size)


def shared(key: tuple, make):
    """A piece of a page (an HTML table, a chart, the map's base) that is the same for every session
    with the same `key`, made once (SharedCache). The key names the piece and what it depends on,
    incl. View.key or MapData.version for anything made from the store."""
    return _PIECES.get(key, make)


# ---------------------------------------------------------------------------------------- state in the URL


def _params() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params.keys()}


def _from_url(params: dict[str, str]) -> MapState:
    """MapState from query parameters, including the older ?place=&lat=&lon= focus links."""
    return from_link(params, FOCUS_ZOOM)


def _without_view(state: MapState) -> MapState:
    return state.with_(center=None, zoom=None)


def current_state() -> MapState:
    """The state the sidebar settled on in this run (or the URL's, before the sidebar ran)."""
    return st.session_state.get("cm_state") or _from_url(_params())


def set_state(state: MapState) -> None:
    """Make `state` the current one and put it in the URL (other pages' parameters are kept)."""
    st.session_state["cm_state"] = state
    keep = {k: v for k, v in _params().items() if k not in STATE_KEYS and k not in LEGACY_FOCUS_KEYS}
    wanted = keep | state.to_query_params()
    if wanted != _params():
        st.query_params.from_dict(wanted)
    st.session_state["cm_written"] = _without_view(state)


def fly_to(center: tuple[float, float], zoom: int) -> None:
    """Move the map (the view given to its frame changes only on purpose, never on a rerun)."""
    nonce = st.session_state.get("cm_view_nonce", 0) + 1
    st.session_state["cm_view_nonce"] = nonce
    # The frame only moves the map when the centre differs from the last one it was given.
    jitter = 1e-7 * (nonce % 2)
    st.session_state["cm_view"] = ((center[0] + jitter, center[1]), int(zoom))


def page_link_params(state: MapState, **changes) -> dict[str, str]:
    """Query parameters of a link to the Map page showing `state` with some changes."""
    return state.with_(**changes).to_query_params()


# ---------------------------------------------------------------------------------------- sidebar


@st.cache_resource(show_spinner=False, max_entries=2)
def _options(version: tuple, _data: MapData) -> FilterOptions:
    return filter_options(_data, EVENT_COLOURS)  # event types in the legend's order


def _init_widgets(state: MapState, opts: FilterOptions, *, only_missing: bool = False) -> None:
    """Put a state's filters and layers into the sidebar widgets' session keys (before they are drawn).

    only_missing: fill in keys Streamlit dropped (a widget not drawn in a run loses its value).
    """
    ss = st.session_state
    values: dict = {}
    picked = picked_range(state, opts)
    if picked is not None:
        values["f_dates"] = picked
    values["f_sources"] = [s for s in state.sources if s in opts.sources]
    values["f_languages"] = [x for x in state.languages if x in opts.languages]
    values["f_countries"] = [c for c in state.countries if c in opts.countries]
    values["f_features"] = [f for f in state.features if f in opts.features]
    values["f_event_types"] = [t for t in state.event_types if t in opts.event_types]
    values["f_actors"] = [x for x in state.actors if x in opts.actors]
    values["f_facts_only"] = bool(state.facts_only)
    values["f_min_score"] = float(state.min_score)
    values["f_query"] = state.query
    values["m_layers"] = [x for x in state.layers if x in LAYERS]
    values["m_basemap"] = state.basemap if state.basemap in BASEMAPS else "offline"
    values["m_step"] = state.step
    for key, value in values.items():
        if not only_missing or key not in ss:
            ss[key] = value


def _from_widgets(base: MapState, opts: FilterOptions) -> MapState:
    """The state the sidebar widgets' current values describe (view and selection from `base`)."""
    ss = st.session_state
    date_from, date_to = range_dates(ss.get("f_dates"), opts)
    basemap = ss.get("m_basemap", "offline")
    if basemap == "local" and get_local_tiles() is None:
        basemap = "offline"
    return base.with_(
        date_from=date_from, date_to=date_to, sources=tuple(ss.get("f_sources", ())),
        languages=tuple(ss.get("f_languages", ())),
        countries=tuple(ss.get("f_countries", ())), features=tuple(ss.get("f_features", ())),
        event_types=tuple(ss.get("f_event_types", ())), actors=tuple(ss.get("f_actors", ())),
        facts_only=bool(ss.get("f_facts_only", False)),
        min_score=float(ss.get("f_min_score", 0.0)), query=str(ss.get("f_query", "")).strip(),
        layers=tuple(x for x in LAYERS if x in ss.get("m_layers", ())), basemap=basemap,
        step=ss.get("m_step", base.step),
    )


def prepare_state(store: Store) -> MapState:
    """Settle this run's MapState — from the URL, the session and the sidebar's widget values — and
    write it to the URL. Draws nothing, so pages can draw the map before the sidebar (it paints sooner).
    """
    data = get_map_data(store, fresh=True)
    opts = _options(data.version, data)
    params = _params()
    ss = st.session_state
    if params or "cm_state" not in ss:
        url_state = _from_url(params)
        if "cm_state" not in ss or _without_view(url_state) != ss.get("cm_written"):
            # A new session, or a link that brought its own parameters: the URL wins.
            _init_widgets(url_state, opts)
            ss.pop("cm_view", None)
        base = url_state
    else:  # moved to another page (Streamlit drops the parameters): keep the session's state
        base = ss["cm_state"]
    _init_widgets(base, opts, only_missing=True)
    state = _from_widgets(base, opts)
    set_state(state)
    ss["cm_full_run"] = True  # the Map page's fragment (pages/map.py) knows the store's version is fresh
    return state


def sidebar(store: Store) -> None:
    """Store size, the filters and map settings shared by all pages (their values: prepare_state)."""
    data = get_map_data(store)
    opts = _options(data.version, data)
    state = current_state()
    with st.sidebar:
        counts = store.counts()
        # Two to a row: in a sidebar third, a metric's large type cuts "205k" to "2…".
        pairs = (("Articles", "articles"), ("Mentions", "mentions")), (("Places", "places"), ("Events", "events"))
        for pair in pairs:
            for col, (label, key) in zip(st.columns(2), pair):
                col.metric(label, compact(counts.get(key, 0)))  # no help icon: it leaves no room for the number
        if counts.get("articles") and not counts.get("events"):
            st.caption("No events found yet: articles stored before events were are read again by "
                       "`python -m geo events`.")

        st.subheader("Filters")
        if opts.has_range:
            st.slider("Dates", min_value=opts.first, max_value=opts.last, key="f_dates", format="YYYY-MM-DD",
                      help="The article's date, or the day it was added when it has none.")
        elif opts.first is not None:
            st.caption(f"All articles are of {opts.first.isoformat()}.")
        st.multiselect("Sources", opts.sources, key="f_sources", placeholder="All sources")
        if len(opts.languages) > 1:
            st.multiselect("Languages", opts.languages, key="f_languages", placeholder="All languages")
        st.multiselect("Countries", opts.countries, key="f_countries", format_func=country_label,
                       placeholder="All countries")
        st.multiselect("Place types", opts.features, key="f_features", placeholder="All place types")
        if opts.event_types:
            st.multiselect("Event types", opts.event_types, key="f_event_types", placeholder="Any event or none",
                           help="ACLED event types. Choosing one keeps only the places where such an event was "
                                "reported, in the sentence that names them.")
            st.multiselect("Actors", opts.actors, key="f_actors", placeholder="Any actor",
                           help="Only places of events by or against these actors.")
            st.checkbox("Only events that happened", key="f_facts_only",
                        help="Leave out events that were denied, threatened, planned or only possible.")
        st.slider("Minimum confidence", 0.0, 1.0, step=0.05, key="f_min_score",
                  help="How sure the geoparser is that the name means this place.")
        st.text_input("Search", key="f_query", placeholder="Words in the articles or place names")
        if state.article:
            title = data.articles["title"].get(state.article) if state.article in data.articles.index else None
            st.info(f"Only the places of one article: {esc(title) or '(untitled)'}", icon=":material/filter_alt:")
            if st.button("Show all articles", key="f_clear_article"):
                set_state(current_state().with_(article=None))
                st.rerun()
        view = filtered(data, state)
        st.markdown(f"**{len(view.article_ids):,}** articles · **{len(view.places):,}** places match",
                    help="Articles that pass the filters, and the places they name.")

        st.subheader("Map")
        st.multiselect("Layers", list(LAYERS), key="m_layers", format_func=LAYER_LABELS.get, placeholder="No layers")
        choices = [b for b in BASEMAPS if b != "local" or get_local_tiles() is not None]
        if st.session_state.get("m_basemap") not in choices:
            st.session_state["m_basemap"] = "offline"
        st.selectbox("Basemap", choices, key="m_basemap", format_func=BASEMAP_LABELS.get,
                     help="Offline needs nothing. Web basemaps need internet; local tiles are a z/x/y folder "
                          "in static/tiles (see the README).")
        # Always shown: the step sets the timeline's bars under the map as well as the time player's.
        st.radio("Time step (timeline bars and player)", STEPS, key="m_step", horizontal=True,
                 help="One bar of the timeline under the map, and one step of the time player (Time layer).")
        copy_link_button()
        st.caption(f"Database: `{public_url(store.url)}`")
        if missing_asset_files():
            st.warning("Map scripts are not installed, so maps stay blank offline. Run `make assets`.")


_COPY_LINK_BUTTON = """<button type="button" id="cm-copy-link" class="cm-copy-link"
  style="width:100%;padding:.35rem .6rem;border:1px solid rgba(49,51,63,.2);border-radius:.5rem;background:#fff;
         cursor:pointer;font:inherit">Copy link to this view</button>"""


def copy_link_button() -> None:
    """Copies the page URL, which holds the whole view (the map writes its centre and zoom into it)."""
    st.html(_COPY_LINK_BUTTON + page_script("copy_link.js"), unsafe_allow_javascript=True)


@functools.cache
def page_script(name: str) -> str:
    """A script of pages/js/ as a <script> element (the pages' JavaScript lives in .js files)."""
    return "<script>" + (Path(__file__).with_name("js") / name).read_text(encoding="utf-8") + "</script>"


# ---------------------------------------------------------------------------------------- small helpers


def places_table(places, height: int | str = "auto") -> None:
    """The places of geo.store.frames.places / geo.maps.view.places_frame as a table (text only, never HTML)."""
    shown = places.drop(columns=[c for c in ("lat", "lon", "place_id") if c in places])
    st.dataframe(
        shown,
        hide_index=True,
        height=height,
        column_config={
            "name": "Place",
            "feature": "Type",
            "country": "Country",
            "mentions": st.column_config.NumberColumn("Mentions", format="%d"),
            "articles": st.column_config.NumberColumn("Articles", format="%d"),
            "score": st.column_config.ProgressColumn("Best score", min_value=0.0, max_value=1.0, format="%.2f"),
            "last_day": st.column_config.DateColumn("Last mention"),
        },
    )
