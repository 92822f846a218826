"""Map page: the places the filtered articles name, with a panel of context beside the map.

Everything shown follows the shared sidebar's MapState, which lives in the URL. The map is one
map frame (pages/_mapframe.py) whose base (offline basemap, tools) never changes; the data layers are
feature groups swapped in place, so filters change what is drawn without reloading the map, and
panning or zooming runs no Python at all. A click on a place or an air base comes back as
`cm_clicked` (see geo.maps.elements.ViewSync) and selects it. The timeline is drawn inside the map's frame.

Many analysts share one server process (scripts/bench_sessions.py): the map, its timeline and the panel
are a fragment, so a click reruns only them, and what they show is made once for every session with the
same filters (pages._mapframe.rendered, pages._shared.shared).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.maps import frame as mapframe
from geo.maps.assets import bundle_scripts, localize
from geo.maps.base import DEFAULT_ZOOM, FIT_MAX_ZOOM, fit_view, start_bounds
from geo.maps.base import base_map as make_base_map
from geo.maps.compose import Sources, map_layers
from geo.maps.html import esc, places_html
from geo.maps.labels import place_names_layer
from geo.maps.style import EVENT_COLOURS
from geo.maps.timeline import timeline_key, timeline_svg
from geo.store import frames as mapdata
from geo.teams.auth import Action
from geo.view import timebins
from geo.view.brush import state_after_brush
from geo.view.clicks import state_after_click
from geo.view.hints import cleared, empty_hint
from geo.view.state import MapState
from pages._auth import current_user
from pages._mapframe import frame_key, joined, map_frame, rendered
from pages._panel import airfield_panel, article_banner, place_panel
from pages._shared import (
    ADD_PAGE,
    all_places,
    asset_base,
    current_state,
    ensure_dashboard,
    filtered,
    fly_to,
    get_airbases,
    get_cities,
    get_gazetteer,
    get_local_tiles,
    get_map_data,
    get_roads,
    get_store,
    plugin_bundle,
    set_state,
    shared,
)

MAP_HEIGHT = 620  # the map's least height; it takes MAP_FILL of the window's height (pages/_mapframe.py)
MAP_FILL = 0.75
# The map beside a narrow panel: with the dashboard's sidebar and margins (dashboard.py), a 1,600 px window
# gives the map 1,050 px (two thirds) and the panel 260 px; a wider window widens both.
MAP_PANEL = (4, 1)
TOP_PLACES = 15  # listed in the panel while nothing is selected


def base_map() -> mapframe.Base:
    """The map's unchanging part, made once per session (it opens at the session's first view; later
    moves go through the frame's center/zoom, see fly_to) and shared by the sessions that open alike."""
    view = st.session_state.get("cm_base_view")
    made = st.session_state.get("cm_base_map")
    if made is None or made[0] != view:
        base = shared(("base map", view, asset_base(), plugin_bundle()), lambda: mapframe.base(
            make_base_map(cities=get_cities(), asset_base=asset_base(), height=MAP_HEIGHT,
                          bundle=plugin_bundle(), view=view)))
        made = st.session_state["cm_base_map"] = (view, base)
    return made[1]


def _localized(group):
    """A layer's scripts and styles from this server (geo.maps.assets), in the plugin bundle when there is one."""
    if group is not None:
        localize(group, asset_base())
        if plugin_bundle():
            bundle_scripts(group, asset_base())
    return group


def _layers(state: MapState, view, bounds) -> mapframe.Layers:
    """The feature groups for this state, bottom to top (geo.maps.compose: the exports draw the same ones),
    each rendered once for all sessions under what it depends on (`rendered`)."""
    sources = Sources(airbases=get_airbases, roads=get_roads, cities=get_cities, local_tiles=get_local_tiles)
    parts = [rendered(layer.key, lambda build=layer.build: _localized(build()))
             for layer in map_layers(state, view, sources, bounds=bounds)]
    if "places" in state.layers:  # the main places named beside their circles (grouped places carry counts)
        parts.append(rendered(("place names", view.key), lambda: place_names_layer(view.places)))
    return joined(parts)


def top_places_html(places, limit: int) -> str:
    """The most mentioned places as two narrow columns, name and mentions, for the panel beside the map (the
    table under the map has them all); every name escaped."""
    rows = "".join(f'<tr><td>{esc(name)}</td><td class="n">{int(n):,}</td></tr>'
                   for name, n in zip(places["name"].head(limit), places["mentions"].head(limit)))
    return (f'<table class="cm-top-places"><thead><tr><th>Most mentioned</th><th class="n">Mentions</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _place_search(state: MapState, data) -> MapState:
    """Find the submitted place in the gazetteer and fly there; select it when the store has it.

    Runs before the map is drawn (it reads the form's session values); the form itself is drawn
    beside the map by `_search_form`, so the map's frame is the page's first element.
    """
    from geo.gazetteer.geocoders import OfflineGazetteer

    query = str(st.session_state.get("place_search") or "").strip()
    if not (st.session_state.get("place_search_go") and query):
        return state
    gazetteer = get_gazetteer()
    if gazetteer is None:
        st.session_state["cm_search_note"] = "The gazetteer index is not built, so places cannot be looked up."
        return state
    found = OfflineGazetteer(gazetteer).geocode(query, exactly_one=False)[:1]
    if not found:
        st.session_state["cm_search_note"] = f"No place called “{query}” in the gazetteer."
        return state
    hit = found[0]
    feature = hit.raw.get("feature")
    zoom = {"country": 6, "region": 7}.get(feature, 10)
    fly_to((hit.latitude, hit.longitude), zoom)
    state = state.with_(center=(round(hit.latitude, 4), round(hit.longitude, 4)), zoom=zoom)
    stored = mapdata.nearest_place(all_places(data), hit.latitude, hit.longitude, name=hit.raw.get("name"),
                                   tolerance_km=5)
    if stored is not None:
        state = state.with_(selected=str(stored["name"]), selected_at=(float(stored["lat"]), float(stored["lon"])),
                            selected_kind=None)
    st.session_state["cm_search_note"] = f"Found {hit.raw.get('name')} ({feature}, {hit.raw.get('country') or '—'})."
    return state


def _search_form() -> None:
    with (st.form("place_search_form", border=False, enter_to_submit=True),
          st.container(horizontal=True, gap="small", vertical_alignment="bottom")):
        st.text_input("Find a place", key="place_search", placeholder="Find a place, e.g. Palmyra",
                      label_visibility="collapsed", width="stretch")
        st.form_submit_button("", key="place_search_go", icon=":material/search:", help="Find the place")
    note = st.session_state.pop("cm_search_note", None)
    if note:
        st.caption(note)


def _selected_days(view, state: MapState):
    """Mentions per bin of the selected place over the whole timeline (None when no place of the store is
    selected)."""
    if not (state.selected and state.selected_kind is None and state.selected_at is not None):
        return None
    whole = view.overview
    return shared(("selected days", whole.key, state.step, state.selected, state.selected_at),
                  lambda: _place_days(whole, state))


def _place_days(view, state: MapState):
    row = mapdata.nearest_place(view.places, *state.selected_at, name=state.selected)
    timeline = view.timeline(state.step)
    if row is None or timeline.counts.empty:
        return None
    return timebins.counts(view.frame[view.frame["place_id"] == row["place_id"]], timeline.step,
                           bins=pd.DatetimeIndex(timeline.counts["day"]))


def _timeline_chart(view, mine, state: MapState) -> str:
    """Mentions per bin under the filters over all time, the brushed range marked, and in black those of
    the selected place: an SVG the map's frame draws under the map (as Markdown, its 1,000 bars cost the
    page a quarter second); geo/maps/js/timeline.js adds the cursor and the brush."""
    timeline = view.timeline(state.step)
    if timeline.counts.empty:
        return ""
    if mine is None and not any(state.window):
        return timeline.svg
    return shared(("timeline", view.overview.key, timeline.step, state.window, state.selected, state.selected_at),
                  lambda: timeline_svg(timeline.counts, step=timeline.step, highlight=mine, by_type=timeline.by_type,
                                       window=state.window))


def _timeline_caption(view, state: MapState, mine) -> None:
    timeline = view.timeline(state.step)
    counts, by_type = timeline.counts, timeline.by_type
    if counts.empty:
        return
    last = timebins.bin_end(counts["day"].iloc[-1], timeline.step)
    caption = (f"Mentions per {timeline.step}, {counts['day'].iloc[0]:%d %b %Y} to {last:%d %b %Y}, under the "
               "filters, each when it happened (an event's own date, else its article's)")
    kinds = [k for k in EVENT_COLOURS if k in by_type]
    if kinds:
        st.html(timeline_key(kinds))
        caption += ", coloured by the event that happened at the place (grey: no event)"
    if mine is not None and not mine.empty:
        caption += f"; in black, those of {state.selected}"
    if any(state.window):
        caption += f". The map shows {state.time_from or 'the start'} to {state.time_to or 'the end'} only"
    st.caption(caption + ". Hover a bar for its counts; drag across the bars to show only that time, "
                         "double-click them to show all.")
    if any(state.window) and st.button("Show all dates", key="cm_all_dates"):
        set_state(state.without_window())
        st.rerun()


def _brushed(base: mapframe.Base, state: MapState) -> MapState:
    """The state with the range brushed on the timeline (geo/maps/js/timeline.js). A new range reruns the
    whole page: every layer, the sidebar's counts and the places table follow it (and the URL keeps it)."""
    after = state_after_brush(st.session_state.get(frame_key("place_map", base)), state, st.session_state)
    if after.window != state.window:
        set_state(after)
        st.rerun()
    return after


# The sidebar's filter widgets and their values with nothing filtered (the dates: pages._shared fills them in).
_NO_FILTER = {"f_sources": [], "f_languages": [], "f_countries": [], "f_features": [], "f_event_types": [],
              "f_actors": [], "f_facts_only": False, "f_min_score": 0.0, "f_query": ""}


def _clear_filters() -> None:
    """Every filter off, before the widgets are drawn again (a button's callback runs first)."""
    for key, value in _NO_FILTER.items():
        st.session_state[key] = value
    st.session_state.pop("f_dates", None)  # filled again with the store's whole range
    set_state(cleared(current_state()))


def _nothing_under_the_filters(state: MapState) -> None:
    """Above the empty map: which filters leave it empty, and a button that clears them. Outside the map's
    fragment, so that the click reruns the whole page, sidebar included."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.warning(empty_hint(state), icon=":material/filter_alt_off:")
        st.button("Clear all filters", key="cm_clear_filters", on_click=_clear_filters, type="primary")


ensure_dashboard()
store = get_store()
data = get_map_data(store)
state = current_state()

if data.mentions.empty:
    st.info("No articles yet.")
    if current_user().can(Action.INGEST):  # a viewer's navigation has no Add article page
        st.page_link(ADD_PAGE, label="Add an article", icon=":material/add_circle:")
# Always there, empty or not: the map after it keeps its place in the page, so it is not drawn anew when the
# filters leave nothing and then something again.
with st.container():
    if not data.mentions.empty and filtered(data, state).places.empty:
        _nothing_under_the_filters(state)


@st.fragment
def map_and_panel() -> None:
    """The map, its timeline and the panel beside it. A click on the map, a place search or a widget of
    the panel reruns only this (a Streamlit fragment), not the sidebar and the rest of the page; a
    filter in the sidebar reruns the whole page. Everything is read again here, not taken from the
    page's run: a fragment's rerun comes after it."""
    full_run = st.session_state.pop("cm_full_run", False)  # set by prepare_state in every full run
    data = get_map_data(get_store(), fresh=not full_run)  # a correction made in the panel shows at once
    state = _place_search(current_state(), data)
    view = filtered(data, state)
    bounds = view.bounds
    if "cm_view" not in st.session_state:
        st.session_state.pop("cm_fit", None)
        if state.center is not None:
            st.session_state["cm_view"] = (state.center, state.zoom or DEFAULT_ZOOM)
        else:  # no view of its own: the map opens on all the places, fitted in the browser (at its real size);
            # the base opens near there (where pages/_warmup.py made the first visit's base map)
            st.session_state["cm_view"] = fit_view(bounds)
            st.session_state["cm_fit"] = (st.session_state["cm_view"], start_bounds(view.places))
        st.session_state["cm_base_view"] = st.session_state["cm_view"]
    # Given until the view is moved on purpose (fly_to): a frame drawn anew opens on the places again.
    fit_for, fit = st.session_state.get("cm_fit") or (None, None)
    fit = fit if fit_for == st.session_state["cm_view"] else None
    base = base_map()
    # A click on the map reruns this with the frame's value already in the session: the selection it
    # makes is drawn (ring, timeline, panel) in this same run.
    state = state_after_click(st.session_state.get(frame_key("place_map", base)), state, all_places(data),
                              get_airbases(), st.session_state)
    state = _brushed(base, state)  # a range dragged on the timeline
    set_state(state)
    article_banner(state, data)

    map_col, panel_col = st.columns(MAP_PANEL, gap="small", wrap=False)
    with map_col:
        center, zoom = st.session_state["cm_view"]
        mine = _selected_days(view, state)
        map_frame(base, _layers(state, view, bounds), center=center, zoom=zoom, height=MAP_HEIGHT, fill=MAP_FILL,
                  fit=fit, fit_max_zoom=FIT_MAX_ZOOM, key="place_map", below=_timeline_chart(view, mine, state))
        _timeline_caption(view, state, mine)
    with panel_col, st.container(key="cm_panel"):  # pages/css/layout.css keeps it readable in a small window
        _search_form()
        if state.selected_kind == "air base" and state.selected_at is not None:
            airfield_panel(state, view, data)
        elif state.selected and state.selected_at is not None:
            place_panel(state, view, data)
        else:
            st.markdown("#### Select a place")
            st.caption("Click a circle on the map to read what the articles say about it, or an air base to see "
                       "what happened around it. Filters are in the sidebar; the map tools are on its left edge.")
            if not view.places.empty:
                st.html(shared(("top places", view.key, TOP_PLACES), lambda: top_places_html(view.places, TOP_PLACES)))


map_and_panel()
view = filtered(data, current_state())  # the filters are the sidebar's: a click in the fragment keeps them

st.subheader(f"{len(view.places):,} places")
# Plain HTML rather than st.dataframe: a data grid would delay the map's first paint by a quarter second.
st.html(shared(("places html", view.key, 200), lambda: places_html(view.places, limit=200)))
if len(view.places):
    # The CSV is made when the button is pressed, not on every run.
    st.download_button(f"Download all {len(view.places):,} places (CSV)",
                       lambda places=view.places: places.to_csv(index=False).encode(),
                       "places.csv", "text/csv", key="places_csv")
