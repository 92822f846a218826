"""What every page needs: one cached Store, geoparser and airfields layer, and the shared sidebar.

Thin loaders only; the work happens in geo/. Not a page itself (st.navigation lists the pages).
"""

from __future__ import annotations

import runpy
import tempfile
from pathlib import Path

import geopandas as gpd
import streamlit as st
from sqlalchemy.engine import make_url

from geo.assets import DEFAULT_BASE_URL, missing_assets
from geo.config import STATIC_DIR, database_url
from geo.gazetteer import GazetteerMissing
from geo.ingest import IngestError, read_article
from geo.store import Store
from geo.types import Article

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"
MAP_PAGE = "pages/map.py"
ARTICLES_PAGE = "pages/articles.py"
ADD_PAGE = "pages/add_article.py"


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


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    """The store behind DATABASE_URL (or the embedded SQLite file), opened once per process."""
    return _store(database_url())


@st.cache_resource(show_spinner="Loading the gazetteer…")
def get_geoparser():
    """The default geoparser; slow the first time, then shared by all sessions."""
    from geo.pipeline import default_geoparser

    return default_geoparser()


@st.cache_resource(show_spinner="Loading airfields…")
def get_airbases() -> gpd.GeoDataFrame | None:
    """Air bases and airports of the gazetteer index, or None when the index is not built."""
    from geo.layers.airbases import load_airbases

    try:
        return load_airbases()
    except GazetteerMissing:
        return None


@st.cache_data(show_spinner=False)
def _missing_assets() -> list[str]:
    return missing_assets(STATIC_DIR)


def asset_base() -> str:
    """Where maps load Leaflet from: Streamlit's static folder (served with enableStaticServing)."""
    return DEFAULT_BASE_URL


def public_url(url: str) -> str:
    """A database URL fit to show: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can parse; show nothing secret
        return "(unparsable database URL)"


def sidebar(store: Store) -> None:
    """Store size and location, and a warning when the offline map assets are missing."""
    with st.sidebar:
        counts = store.counts()
        a, m, p = st.columns(3)
        a.metric("Articles", counts.get("articles", 0))
        m.metric("Mentions", counts.get("mentions", 0))
        p.metric("Places", counts.get("places", 0))
        st.caption(f"Database: `{public_url(store.url)}`")
        if _missing_assets():
            st.warning("Map scripts are not installed, so maps stay blank offline. Run `make assets`.")


def places_table(places, height: int | str = "auto") -> None:
    """The places of geo.mapview.places_frame as a table (st.dataframe shows text, never HTML)."""
    st.dataframe(
        places.drop(columns=["lat", "lon"]),
        hide_index=True,
        height=height,
        column_config={
            "name": "Place",
            "feature": "Type",
            "country": "Country",
            "mentions": st.column_config.NumberColumn("Mentions", format="%d"),
            "articles": st.column_config.NumberColumn("Articles", format="%d"),
            "score": st.column_config.ProgressColumn("Best score", min_value=0.0, max_value=1.0, format="%.2f"),
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
