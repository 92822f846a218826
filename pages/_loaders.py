"""The pages' cached loaders: the store, the gazetteer and its layers, the map's frames, the map assets.

Thin wrappers: the work happens in geo/. Each is opened once per server process (st.cache_resource)
and shared read-only by every session.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from sqlalchemy.engine import make_url

from geo.config import CACHE_DIR, DATA_DIR, INDEX_DIR, STATIC_DIR, database_url
from geo.gazetteer import GazetteerMissing
from geo.maps.assets import DEFAULT_BASE_URL, has_bundle, missing_assets
from geo.maps.tiles import find_local_tiles
from geo.store import Store, snapshot
from geo.store import frames as mapdata

log = logging.getLogger(__name__)


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
    """Towns of 20,000 people or more (name, gazetteer_name, lat, lon, population, country), for labels and the
    cities layer: `name` is the display name (Palmyra), `gazetteer_name` the gazetteer's (Tadmur)."""
    gazetteer = get_gazetteer()
    if gazetteer is None:
        return None
    return gazetteer.frame(["city"], min_population=20_000, columns=["name", "lat", "lon", "population", "country"],
                           display=True)


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


def snapshot_folder(store: Store) -> Path | None:
    """Where the store's frames are kept between server starts (geo.store.snapshot), None for none."""
    return snapshot.folder_for(str(store.url), CACHE_DIR)


_SAVER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cm-snapshot")
_saving: dict[Path, tuple] = {}  # folder -> the newest version given to the saver


def _keep(now: snapshot.Current, folder: Path | None) -> None:
    """Write the frames as the store's snapshot, in the background (a page never waits on it); of
    versions given in quick succession only the newest is written."""
    if folder is None or now.saved:
        return
    _saving[folder] = now.data.version

    def save() -> None:
        if _saving.get(folder) != now.data.version:
            return  # a newer version came meanwhile
        try:
            snapshot.save(now, folder)
        except OSError as e:  # a read-only folder, a full disk: the next start reads the store
            log.warning("map snapshot not written to %s: %s", folder, e)

    _SAVER.submit(save)


@st.cache_resource(show_spinner="Reading the articles…", max_entries=2)
def _map_data(version: tuple, _store: Store) -> mapdata.MapData:
    last = _last_map_data().get(version[0])
    folder = snapshot_folder(_store)
    # The first read after a start comes from the snapshot (a tenth of a second at 100,000 articles) when
    # it holds the store as it is or was before an ingest; after that, only what was added is read.
    now = snapshot.current(_store, folder) if last is None else snapshot.refreshed(_store, last)
    _keep(now, folder)
    _last_map_data()[version[0]] = now.data
    return now.data


_visit_started = threading.Event()


def visit_started() -> bool:
    """Whether a page has run in this process (the server's warm-up then leaves the rest to it)."""
    return _visit_started.is_set()


def get_map_data(store: Store, *, fresh: bool = False) -> mapdata.MapData:
    """The whole store as frames (geo.store.frames), read again only when articles were added or removed
    (after an ingest, only the new articles are read: geo.store.frames.refresh), and kept on disk between
    server starts (geo.store.snapshot; serve.py reads them before the first visitor comes).

    A resource, not cache_data: the frames are shared read-only instead of unpickled on every rerun.
    The store's version is looked up once per run (prepare_state asks with fresh=True).
    """
    _visit_started.set()
    version = st.session_state.get("cm_version")
    if fresh or version is None or version[0] != str(store.url):
        version = mapdata.store_version(store)
        st.session_state["cm_version"] = version
    return _map_data(version, store)


def map_data_now(store: Store) -> mapdata.MapData:
    """The store's frames as it is now, outside any session (the server's warm-up): the same cache
    entry the first session will ask for."""
    return _map_data(mapdata.store_version(store), store)


@st.cache_data(show_spinner=False)
def missing_asset_files() -> list[str]:
    """The Leaflet and plugin files scripts/fetch_assets.sh has not installed (maps stay blank offline)."""
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


@st.cache_resource(show_spinner=False, max_entries=2)
def _all_places(version: tuple, _data: mapdata.MapData) -> pd.DataFrame:
    return mapdata.places(_data.mentions)


def all_places(data: mapdata.MapData) -> pd.DataFrame:
    """Every place in the store, filters or not (to find a selected place the filters hide)."""
    return _all_places(data.version, data)
