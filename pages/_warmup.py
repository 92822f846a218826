"""What the first visit after a server start needs, made before it comes (serve.py starts `warm_up` in a
background thread, so the server answers at once).

Without it the first visitor waited for the store to be read whole (seconds at 100,000 articles), for the
reference layers to load and for the map's code to run for the first time. Here the store's frames come
from their snapshot (geo.store.snapshot, a tenth of a second) into the cache the pages read, and the
view of a visit without parameters (the default filters) is made into geo.view's shared cache; both are
made by the very functions the pages call, so they hold what a visit would make. The map's base and
layers are built once and dropped, if no visit started meanwhile: that runs their code once (imports,
templates, the outlines the base map draws) and fills the View's own caches, while the Map page still
builds and keeps its own (it alone knows their sizes and keys). A visitor who comes while this runs waits
only for what is still being made (each cache makes a thing once).
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
    visit_started,
)

log = logging.getLogger(__name__)
PAGES = Path(__file__).resolve().parent
# Imported inside functions every first run calls, seen by comparing sys.modules before and after one:
# folium's plugins (the map's tools, by geo.maps.base: 0.17 s of the first base map's 0.3 s), Streamlit's
# emoji and icon names (st.set_page_config, st.Page), its "magic" and its components' Arrow support.
LAZY_IMPORTS = ("folium.plugins", "streamlit.emojis", "streamlit.material_icon_names",
                "streamlit.runtime.scriptrunner.magic_funcs", "streamlit.components.v1.component_arrow")


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
    # What the first visit reads, in the order it reads it, each made by the function the page calls and
    # kept where the page finds it (the loaders make a thing once: a visit that asks meanwhile waits for it).
    store = get_store()
    data = map_data_now(store)
    state = from_link({}, FOCUS_ZOOM)  # a visit without parameters: the default filters and layers
    view = filtered(data, state)
    import_pages()
    all_places(data)
    sources = Sources(airbases=get_airbases, roads=get_roads, cities=get_cities, local_tiles=get_local_tiles)
    for load in (get_airbases, get_cities, get_roads, get_local_tiles):
        load()
    getattr(view, "timeline_svg", None)  # the chart under the map, kept by the view itself
    store.counts()  # the sidebar's counts: the first query reads the tables' pages from disk
    # Then what only saves the first visit time if it is done before it comes: once a visit runs, the
    # rest would only compete with it for the interpreter (Python runs one thread at a time).
    for step in [*_rehearsal(state, view, sources), get_joiner]:
        if visit_started():
            log.info("a visit started: the rest of the warm-up is left to it")
            return
        step()


def import_pages() -> list[str]:
    """Import the library modules dashboard.py and the Map page import, directly or through the pages'
    own modules (read from their source, so that the list follows them); the names imported.

    Not the pages' own modules (pages.*): those are Streamlit glue, and some of it works only inside a
    script run. A component declared outside one is never registered (pages._mapframe's map would answer
    404 for good), so they are left to the first visit, whose run imports them as before.
    """
    names = []
    for name in [*library_imports([PAGES.parent / "dashboard.py", PAGES / "map.py"]), *LAZY_IMPORTS]:
        try:
            importlib.import_module(name)
        except ImportError:  # the page will say so itself
            continue
        names.append(name)
    return names


def library_imports(scripts: list[Path]) -> list[str]:
    """The modules outside pages/ that these scripts import (anywhere in them, also inside functions),
    directly or through the top-level imports of modules of pages/. A name may be an attribute rather
    than a module (`from pandas import DataFrame` gives pandas and pandas.DataFrame): importing it fails."""
    out: dict[str, None] = {}
    todo = [(script, True) for script in scripts]
    seen = set()
    while todo:
        script, nested = todo.pop(0)
        if script in seen or not script.exists():
            continue
        seen.add(script)
        for name in imported_by(script, nested=nested):
            if name.split(".")[0] == PAGES.name:
                todo.append((PAGES.parent.joinpath(*name.split(".")).with_suffix(".py"), False))
            else:
                out.setdefault(name, None)
    return list(out)


def imported_by(script: Path, *, nested: bool = False) -> list[str]:
    """The absolute module names a script's import statements name: its top-level ones, or all of them
    (`nested`: those inside functions too); `from a import b` names a and a.b."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree) if nested else tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level and node.module != "__future__":
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
    return list(dict.fromkeys(names))


def _rehearsal(state, view, sources: Sources) -> list:
    """Steps that build the map's base and each layer for `view` and drop them (see the module's
    docstring): their code runs once, the Map page still makes its own."""
    bounds = view.bounds

    def base() -> None:
        mapframe.base(base_map(cities=sources.cities(), asset_base=asset_base(), bundle=plugin_bundle(),
                               view=fit_view(bounds)))

    def render(layer) -> None:
        group = layer.build()
        if group is not None:
            mapframe.layers([group])

    return [base] + [lambda layer=layer: render(layer) for layer in map_layers(state, view, sources, bounds=bounds)]
