"""What the first visit after a server start needs, made before it comes (serve.py starts `warm_up` in a
background thread, so the server answers at once).

Without it the first visitor waited for the store to be read whole (seconds at 100,000 articles), for the
reference layers to load and for the map's code to run for the first time. Here the store's frames come
from their snapshot (geo.store.snapshot, a tenth of a second) into the cache the pages read, and the
view of a visit without parameters (the default filters) is made into geo.view's shared cache; both are
made by the very functions the pages call, so they hold what a visit would make. The map's base and
layers are built once and dropped: that compiles their templates and fills the View's own caches, while
the Map page still builds and keeps its own (it alone knows their sizes and keys). A visitor who comes
while this runs waits only for what is still being made (each cache makes a thing once).
"""

from __future__ import annotations

import ast
import importlib
import logging
import time
from pathlib import Path

from geo.maps import frame as mapframe
from geo.maps.base import FOCUS_ZOOM, base_map, fit_view
from geo.maps.compose import Sources, map_layers
from geo.view.filtered import filtered
from geo.view.state import from_link
from pages._loaders import (
    all_places,
    asset_base,
    get_airbases,
    get_cities,
    get_joiner,
    get_local_tiles,
    get_roads,
    get_store,
    map_data_now,
    plugin_bundle,
)

log = logging.getLogger(__name__)
PAGES = Path(__file__).resolve().parent


def warm_up() -> float:
    """Make what a first visit to the Map page without parameters reads; seconds it took. Never raises:
    whatever fails here, the visit makes itself."""
    t = time.perf_counter()
    try:
        _warm()
    except Exception:  # a warm-up must never take the server down
        log.exception("warm-up failed; the first visit will make what it needs")
    seconds = time.perf_counter() - t
    log.info("warm-up took %.2f s", seconds)
    return seconds


def _warm() -> None:
    store = get_store()
    data = map_data_now(store)  # first: a visitor who comes now waits for these
    state = from_link({}, FOCUS_ZOOM)  # a visit without parameters: the default filters and layers
    view = filtered(data, state)
    import_pages()
    store.counts()  # the sidebar's counts: the first query reads the tables' pages from disk
    getattr(view, "timeline_svg", None)  # the chart under the map, kept by the view itself
    all_places(data)
    sources = Sources(airbases=get_airbases, roads=get_roads, cities=get_cities, local_tiles=get_local_tiles)
    _rehearse(state, view, sources)
    get_joiner()  # what the panel shows around a place: the first click needs it


def import_pages() -> list[str]:
    """Import the library modules dashboard.py and the Map page import (read from their source, so that
    the list follows them); the names imported.

    Not the pages' own modules (pages.*): those are Streamlit glue, and some of it works only inside a
    script run. A component declared outside one is never registered (pages._mapframe's map would answer
    404 for good), so they are left to the first visit, whose run imports them as before.
    """
    names = []
    for script in (PAGES.parent / "dashboard.py", PAGES / "map.py"):
        for name in imported_by(script):
            if name.split(".")[0] == PAGES.name:
                continue
            try:
                importlib.import_module(name)
            except ImportError:  # the page will say so itself
                continue
            names.append(name)
    return names


def imported_by(script: Path) -> list[str]:
    """The absolute module names a script's top-level import statements name."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level and node.module != "__future__":
            names.append(node.module)
    return list(dict.fromkeys(names))


def _rehearse(state, view, sources: Sources) -> None:
    """Build the map's base and layers for `view` and drop them (see the module's docstring)."""
    bounds = view.bounds
    mapframe.base(base_map(cities=sources.cities(), asset_base=asset_base(), bundle=plugin_bundle(),
                           view=fit_view(bounds)))
    for layer in map_layers(state, view, sources, bounds=bounds):
        group = layer.build()
        if group is not None:
            mapframe.layers([group])
