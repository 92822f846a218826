"""What every page needs: cached loaders, the map state in the URL, and the shared sidebar of filters.

Thin loaders only; the work happens in geo/. Not a page itself (st.navigation lists the pages).

The state of the view — filters, layers, basemap, centre, zoom, selection — is one geo.view.state.MapState,
kept in st.query_params so that a copied URL reproduces the view. The sidebar's widgets are initialised
from the URL when a session starts (or a link brings new parameters) and write it back when they change;
`current_state()` is what the pages read, `set_state()` what they write.
"""

from __future__ import annotations

import functools
import runpy
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, fields
from functools import cached_property
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from sqlalchemy.engine import make_url

from geo.store import frames as mapdata
from geo.maps.assets import DEFAULT_BASE_URL, has_bundle, missing_assets
from geo.config import DATA_DIR, INDEX_DIR, STATIC_DIR, database_url
from geo.gazetteer import GazetteerMissing
from geo.io.ingest import IngestError, read_article
from geo.view.state import BASEMAPS, LAYERS, STEPS, MapState
from geo.maps.base import FOCUS_ZOOM, mention_bounds
from geo.maps.html import esc
from geo.maps.layers import LAYER_LABELS
from geo.maps.style import EVENT_COLOURS
from geo.maps.timeline import timeline_svg
from geo.store.database import Store
from geo.maps.tiles import find_local_tiles
from geo.types import Article

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"
MAP_PAGE = "pages/map.py"
ARTICLES_PAGE = "pages/articles.py"
ADD_PAGE = "pages/add_article.py"
STATE_KEYS = {f.name for f in fields(MapState)}
LEGACY_FOCUS_KEYS = ("place", "lat", "lon")  # links from before MapState: ?place=..&lat=..&lon=..
BASEMAP_LABELS = {
    "offline": "Offline: Natural Earth outlines",
    "local": "Local tiles (static/tiles)",
    "osm": "OpenStreetMap (needs internet)",
    "satellite": "Satellite, Esri World Imagery (needs internet)",
}
COUNTRY_NAMES = {"SY": "Syria", "IQ": "Iraq", "UA": "Ukraine", "RU": "Russia", "TR": "Türkiye", "LB": "Lebanon",
                 "JO": "Jordan", "IL": "Israel", "IR": "Iran", "US": "United States", "GB": "United Kingdom"}


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


# ---------------------------------------------------------------------------------------- loaders


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    """The store behind DATABASE_URL (or the embedded SQLite file), opened once per process."""
    return _store(database_url())


@st.cache_resource(show_spinner="Loading the gazetteer…")
def get_geoparser():
    """The default geoparser; slow the first time, then shared by all sessions."""
    from geo.parse.pipeline import default_geoparser

    return default_geoparser()


@st.cache_resource(show_spinner=False)
def get_gazetteer():
    """The embedded gazetteer index (read-only), or None when it is not built."""
    from geo.gazetteer import Gazetteer

    try:
        return Gazetteer(INDEX_DIR)
    except GazetteerMissing:
        return None


@st.cache_resource(show_spinner="Loading airfields…")
def get_airbases() -> gpd.GeoDataFrame | None:
    """Air bases and airports of the gazetteer index, or None when the index is not built."""
    from geo.layers.airbases import airbases_from

    gazetteer = get_gazetteer()
    return airbases_from(gazetteer) if gazetteer is not None else None


@st.cache_resource(show_spinner=False)
def get_cities() -> pd.DataFrame | None:
    """Towns of 20,000 people or more (name, lat, lon, population, country), for labels and the cities layer."""
    gazetteer = get_gazetteer()
    if gazetteer is None:
        return None
    return gazetteer.frame(["city"], min_population=20_000, columns=["name", "lat", "lon", "population", "country"])


@st.cache_resource(show_spinner=False)
def get_roads() -> gpd.GeoDataFrame | None:
    """The user's roads file (data/layers/user) or else the schematic corridors."""
    from geo.layers.roads import RoadDataError, load_roads

    gazetteer = get_gazetteer()
    if gazetteer is None:
        return None
    try:
        return load_roads(gazetteer, DATA_DIR / "layers" / "user")
    except RoadDataError:
        return None


@st.cache_resource(show_spinner=False)
def get_joiner():
    """Nearby air bases, roads, larger city and country (geo.layers.joins), or None without the gazetteer."""
    from geo.layers.joins import default_joiner

    gazetteer = get_gazetteer()
    return default_joiner(gazetteer, DATA_DIR / "layers" / "user") if gazetteer is not None else None


@st.cache_resource(show_spinner=False)
def get_local_tiles():
    """A tile folder under static/tiles (see geo.maps.tiles), or None."""
    return find_local_tiles(STATIC_DIR)


@st.cache_resource(show_spinner=False)
def _last_map_data() -> dict[str, mapdata.MapData]:
    """The frames last read per store URL: a new version of the store is read as what was added since."""
    return {}


@st.cache_resource(show_spinner="Reading the articles…", max_entries=2)
def _map_data(version: tuple, _store: Store) -> mapdata.MapData:
    last = _last_map_data().get(version[0])
    data = mapdata.load(_store) if last is None else mapdata.refresh(_store, last)
    _last_map_data()[version[0]] = data
    return data


def get_map_data(store: Store, *, fresh: bool = False) -> mapdata.MapData:
    """The whole store as frames (geo.store.frames), read again only when articles were added or removed
    (after an ingest, only the new articles are read: geo.store.frames.refresh).

    A resource, not cache_data: the frames are shared read-only instead of unpickled on every rerun.
    The store's version is looked up once per run (prepare_state asks with fresh=True).
    """
    version = st.session_state.get("cm_version")
    if fresh or version is None or version[0] != str(store.url):
        version = mapdata.store_version(store)
        st.session_state["cm_version"] = version
    return _map_data(version, store)


@st.cache_data(show_spinner=False)
def _missing_assets() -> list[str]:
    return missing_assets(STATIC_DIR)


@st.cache_resource(show_spinner=False)
def plugin_bundle() -> bool:
    """Whether scripts/fetch_assets.sh installed the one-file plugin bundle (the map loads faster)."""
    return has_bundle(STATIC_DIR)


def asset_base() -> str:
    """Where maps load Leaflet from: Streamlit's static folder (served with enableStaticServing)."""
    return DEFAULT_BASE_URL


def public_url(url: str) -> str:
    """A database URL fit to show: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can parse; show nothing secret
        return "(unparsable database URL)"


# ---------------------------------------------------------------------------------------- filtering


@dataclass(frozen=True)
class View:
    """The mentions and articles the filters let through, with what the pages derive from them."""

    frame: pd.DataFrame  # mention rows (geo.store.frames.MENTION_COLUMNS)
    article_ids: pd.Index  # matching articles, newest first (incl. articles without places unless place filters)
    places: pd.DataFrame  # geo.store.frames.places(frame)
    key: tuple = ()  # (store version, filters): what anything made from this view can be kept under (shared)

    @cached_property
    def bounds(self) -> list[list[float]] | None:
        """Where most of the mentions are (geo.maps.view.mention_bounds), once per view."""
        return mention_bounds(self.frame)

    @cached_property
    def days(self) -> pd.DataFrame:
        """Mentions per day (geo.store.frames.timeline), once per view."""
        return mapdata.timeline(self.frame, "day")

    @cached_property
    def days_by_type(self) -> pd.DataFrame:
        """Mentions per day by event type (geo.store.frames.event_timeline), once per view."""
        return mapdata.event_timeline(self.frame, "day", days=self.days)

    @cached_property
    def timeline_svg(self) -> str:
        """The timeline chart without a selected place: the same for every visitor with these filters."""
        return timeline_svg(self.days, by_type=self.days_by_type)

    @cached_property
    def events(self) -> pd.DataFrame:
        """geo.store.frames.event_summary(frame), computed once per view (views are shared and cached)."""
        return mapdata.event_summary(self.frame)


class SharedCache:
    """The last few results of work every session would otherwise repeat alike (a view of the store, a
    map layer rendered for some filters), kept once for the whole server process and shared read-only.

    Streamlit runs all sessions' scripts in one process whose threads take turns on one interpreter
    lock, so ten analysts cost ten times the work of one unless they share it (scripts/bench_sessions.py).
    Keys hold the store's version (geo.store.frames.MapData.version) wherever the result depends on the
    store, so an ingest or a delete makes new entries and the old ones age out. At most `entries`
    results and about `max_bytes` of them (a result's size: `sizeof`) are kept, least recently used
    first out. Two sessions asking for a missing key at the same moment may both make it: no lock is held
    while making, so one slow result never stalls the others.
    """

    def __init__(self, entries: int, max_bytes: int = 0, sizeof=lambda value: 0):
        self.entries, self.max_bytes, self.sizeof = entries, max_bytes, sizeof
        self._items: OrderedDict = OrderedDict()  # key -> (value, size)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key, make):
        """The value kept under `key`, made by `make()` (and kept) when there is none."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = make()
        size = self.sizeof(value)
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, size)
                self._bytes += size
            while len(self._items) > self.entries or (self.max_bytes and self._bytes > self.max_bytes
                                                      and len(self._items) > 1):
                _, (_, gone) = self._items.popitem(last=False)
                self._bytes -= gone
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_VIEWS = SharedCache(entries=8)
_PIECES = SharedCache(entries=256, max_bytes=200_000_000,
                      sizeof=lambda v: len(v) if isinstance(v, (str, bytes)) else 0)


def shared(key: tuple, make):
    """A piece of a page (an HTML table, a chart, the map's base) that is the same for every session
    with the same `key`, made once (SharedCache). The key names the piece and what it depends on,
    incl. View.key or MapData.version for anything made from the store."""
    return _PIECES.get(key, make)


def filtered(data: mapdata.MapData, state: MapState) -> View:
    """The view for these filters; the last few are kept (shared by sessions, read-only)."""
    key = (data.version, state.filters)
    return _VIEWS.get(key, lambda: _filter(data, state, key))


def _filter(data: mapdata.MapData, state: MapState, key: tuple) -> View:
    mentions, articles = data.mentions, data.articles
    pos = mentions["article_pos"].to_numpy()
    article_hit = None
    if state.query:  # as MapState.mask(texts=...) does, with row positions instead of ids (much faster)
        q = state.query.casefold()
        article_hit = data.texts.str.contains(q, regex=False).fillna(False).to_numpy(bool)
        names = [n for n in mentions["name"].dropna().unique() if q in str(n).casefold()]
        mask = state.with_(query="").mask(mentions).to_numpy(bool)
        mask = mask & (article_hit[pos] | mentions["name"].isin(names).to_numpy(bool))
    else:
        mask = state.mask(mentions).to_numpy(bool)
    frame = mentions if mask.all() else mentions[mask]
    has_places = np.zeros(len(articles), bool)
    has_places[frame["article_pos"].to_numpy()] = True
    if state.countries or state.features or state.min_score > 0 or state.event_types or state.actors \
            or state.facts_only:
        keep = has_places
    else:  # the same filters on the article table, so articles without places count too
        keep = MapState(date_from=state.date_from, date_to=state.date_to, sources=state.sources,
                        article=state.article, languages=state.languages).mask(articles).to_numpy(bool)
        if article_hit is not None:
            keep = keep & (article_hit | has_places)
    return View(frame, articles.index[keep], mapdata.places(frame), key)


@st.cache_resource(show_spinner=False, max_entries=2)
def _all_places(version: tuple, _data: mapdata.MapData) -> pd.DataFrame:
    return mapdata.places(_data.mentions)


def all_places(data: mapdata.MapData) -> pd.DataFrame:
    """Every place in the store, filters or not (to find a selected place the filters hide)."""
    return _all_places(data.version, data)


# ---------------------------------------------------------------------------------------- state in the URL


def _params() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params.keys()}


def _from_url(params: dict[str, str]) -> MapState:
    """MapState from query parameters, including the older ?place=&lat=&lon= focus links."""
    state = MapState.from_query_params(params)
    focus = parse_focus(params)
    if focus and state.selected_at is None:
        state = state.with_(selected=params.get("place") or None, selected_at=focus, selected_kind=None,
                            center=state.center or focus, zoom=state.zoom or FOCUS_ZOOM)
    return state


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
def _options(version: tuple, _data: mapdata.MapData) -> dict:
    m, a = _data.mentions, _data.articles
    days = a["day"].dropna()
    return {
        "sources": sorted(a["source"].dropna().unique().tolist()),
        "languages": sorted(a["language"].dropna().unique().tolist()),
        "countries": sorted(m["country"].dropna().unique().tolist()),
        "features": sorted(m["feature"].dropna().unique().tolist()),
        "event_types": [t for t in EVENT_COLOURS if t in set(m["event_type"].dropna().unique())],
        "actors": sorted(set(m["actor1"].dropna().unique()) | set(m["actor2"].dropna().unique())),
        "first": days.min().date() if not days.empty else None,
        "last": days.max().date() if not days.empty else None,
    }


def compact(n: int) -> str:
    """A count short enough for a sidebar metric (three to a row): 950, 2k, 12k, 205k, 1.2M."""
    n = int(n)
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{round(n / 1000)}k"
    return f"{n / 1e6:.1f}M"


def _country_label(code: str) -> str:
    return f"{code} · {COUNTRY_NAMES[code]}" if code in COUNTRY_NAMES else code


def _init_widgets(state: MapState, opts: dict, *, only_missing: bool = False) -> None:
    """Put a state's filters and layers into the sidebar widgets' session keys (before they are drawn).

    only_missing: fill in keys Streamlit dropped (a widget not drawn in a run loses its value).
    """
    ss = st.session_state
    first, last = opts["first"], opts["last"]
    values: dict = {}
    if first is not None and first < last:
        lo = date.fromisoformat(state.date_from) if state.date_from else first
        hi = date.fromisoformat(state.date_to) if state.date_to else last
        lo, hi = max(min(lo, last), first), max(min(hi, last), first)
        values["f_dates"] = (min(lo, hi), max(lo, hi))
    values["f_sources"] = [s for s in state.sources if s in opts["sources"]]
    values["f_languages"] = [x for x in state.languages if x in opts["languages"]]
    values["f_countries"] = [c for c in state.countries if c in opts["countries"]]
    values["f_features"] = [f for f in state.features if f in opts["features"]]
    values["f_event_types"] = [t for t in state.event_types if t in opts["event_types"]]
    values["f_actors"] = [x for x in state.actors if x in opts["actors"]]
    values["f_facts_only"] = bool(state.facts_only)
    values["f_min_score"] = float(state.min_score)
    values["f_query"] = state.query
    values["m_layers"] = [x for x in state.layers if x in LAYERS]
    values["m_basemap"] = state.basemap if state.basemap in BASEMAPS else "offline"
    values["m_step"] = state.step
    for key, value in values.items():
        if not only_missing or key not in ss:
            ss[key] = value


def _from_widgets(base: MapState, opts: dict) -> MapState:
    """The state the sidebar widgets' current values describe (view and selection from `base`)."""
    ss = st.session_state
    date_from = date_to = None
    picked = ss.get("f_dates")
    if isinstance(picked, (tuple, list)) and len(picked) == 2 and opts["first"] is not None:
        if picked[0] > opts["first"]:
            date_from = picked[0].isoformat()
        if picked[1] < opts["last"]:
            date_to = picked[1].isoformat()
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
        if opts["first"] is not None and opts["first"] < opts["last"]:
            st.slider("Dates", min_value=opts["first"], max_value=opts["last"], key="f_dates", format="YYYY-MM-DD",
                      help="The article's date, or the day it was added when it has none.")
        elif opts["first"] is not None:
            st.caption(f"All articles are of {opts['first'].isoformat()}.")
        st.multiselect("Sources", opts["sources"], key="f_sources", placeholder="All sources")
        if len(opts["languages"]) > 1:
            st.multiselect("Languages", opts["languages"], key="f_languages", placeholder="All languages")
        st.multiselect("Countries", opts["countries"], key="f_countries", format_func=_country_label,
                       placeholder="All countries")
        st.multiselect("Place types", opts["features"], key="f_features", placeholder="All place types")
        if opts["event_types"]:
            st.multiselect("Event types", opts["event_types"], key="f_event_types", placeholder="Any event or none",
                           help="ACLED event types. Choosing one keeps only the places where such an event was "
                                "reported, in the sentence that names them.")
            st.multiselect("Actors", opts["actors"], key="f_actors", placeholder="Any actor",
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
        if "time" in state.layers:
            st.radio("Time player step", STEPS, key="m_step", horizontal=True)
        copy_link_button()
        st.caption(f"Database: `{public_url(store.url)}`")
        if _missing_assets():
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


def read_upload(name: str, data: bytes) -> Article:
    """read_article checks type, size and encoding; it wants a path, so the upload goes to a temp file."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return read_article(path)
        except IngestError as exc:
            raise IngestError(f"{name}: {exc.reason}") from None


def parse_focus(params) -> tuple[float, float] | None:
    """(lat, lon) from ?lat=..&lon=.. query parameters, if both are valid coordinates."""
    try:
        lat, lon = float(params.get("lat", "")), float(params.get("lon", ""))
    except (TypeError, ValueError):
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon
    return None
