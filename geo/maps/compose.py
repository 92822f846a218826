"""Which layers a map state draws, bottom to top: the one recipe for the dashboard's map and the exports.

`map_layers(state, view, sources)` returns (cache key, builder) pairs. The Map page renders each builder's
feature group once for every session under its key (pages/map.py); the HTML export and the briefing
pictures add the same groups to their own base map (geo.exports.html), so a file draws what the screen
draws: the same places, events, roads and legend.

A view is anything with the filtered mention rows (`frame`), their places (geo.store.frames.places),
what happened at each (geo.store.frames.event_summary) and a `key` that names it (the dashboard's View;
`Rows.of(frame)` for an export).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple, Protocol

import folium
import geopandas as gpd
import pandas as pd

from geo.maps import layers as maplayers
from geo.maps.base import mention_bounds
from geo.maps.html import popup_html
from geo.maps.legend import legend_layer
from geo.maps.style import place_radius
from geo.store import frames as mapdata
from geo.view import timebins
from geo.view.event_points import event_points
from geo.view.state import MapState


class ViewLike(Protocol):
    frame: pd.DataFrame
    places: pd.DataFrame
    events: pd.DataFrame
    event_points: pd.DataFrame  # one row per event (geo.view.event_points)
    span: tuple | None  # the first and last day of the timeline (geo.view.timebins.span)
    key: tuple


@dataclass(frozen=True)
class Rows:
    """A view made from mention rows alone: what an export is given (Store.mention_frame() rows, or the
    dashboard's geo.store.frames rows, already filtered)."""

    frame: pd.DataFrame
    places: pd.DataFrame
    events: pd.DataFrame
    key: tuple = ()

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Rows:
        """Adds what the store's full read lacks: a place id per (name, lat, lon, feature), each row's day."""
        frame = frame.dropna(subset=["lat", "lon"])
        if "place_id" not in frame:
            ids = frame.groupby(["name", "lat", "lon", "feature"], dropna=False, sort=False).ngroup()
            frame = frame.assign(place_id=ids.to_numpy())
        if "day" not in frame:
            frame = frame.assign(day=MapState.days(frame))
        return cls(frame, mapdata.places(frame), mapdata.event_summary(frame))

    @cached_property
    def event_points(self) -> pd.DataFrame:
        return event_points(self.frame)

    @cached_property
    def span(self) -> tuple | None:
        return timebins.span(self.frame)


def _nothing():
    return None


@dataclass(frozen=True)
class Sources:
    """Where the reference layers come from. Each is read only when its layer is on (roads and towns cost
    a first visit time to load); each gives None when there is none."""

    airbases: Callable[[], gpd.GeoDataFrame | None] = _nothing
    roads: Callable[[], gpd.GeoDataFrame | None] = _nothing
    cities: Callable[[], pd.DataFrame | None] = _nothing
    local_tiles: Callable[[], object | None] = _nothing  # geo.maps.tiles.LocalTiles

    @classmethod
    def given(cls, *, airbases=None, roads=None, cities=None, local_tiles=None) -> Sources:
        """Sources already loaded (an export's)."""
        return cls(lambda: airbases, lambda: roads, lambda: cities, lambda: local_tiles)


class Layer(NamedTuple):
    key: tuple  # everything the group depends on (for a layer of the store's data: the view's key)
    build: Callable[[], folium.FeatureGroup | None]


def place_popups(frame: pd.DataFrame, places: pd.DataFrame) -> list[str]:
    """Each place's popup (geo.maps.html.popup_html: its articles and quoted sentences), in `places` order."""
    if "sentence" not in frame:
        frame = frame.assign(sentence="")
    by_place = dict(list(frame.groupby("place_id", sort=False)))
    return [popup_html(by_place[p]) for p in places["place_id"]]


def _places(draw: Callable, view: ViewLike, popups: bool) -> folium.FeatureGroup:
    if popups and not view.places.empty:
        return draw(view.places, place_popups(view.frame, view.places))
    return draw(view.places)


def _radii(places: pd.DataFrame) -> dict:
    """Each place's circle radius in pixels (place id -> radius), as the places layer draws it."""
    if places.empty:
        return {}
    return dict(zip(places["place_id"].tolist(), place_radius(places["mentions"], places["mentions"].max()).tolist()))


def selection(state: MapState, places: pd.DataFrame) -> folium.FeatureGroup | None:
    """The ring around the selected place or air base (with the air base's radius), None without one."""
    if state.selected_at is None:
        return None
    lat, lon = state.selected_at
    if state.selected_kind == "air base":
        return maplayers.selection_layer(lat, lon, radius_px=5, radius_km=state.radius_km)
    row = mapdata.nearest_place(places, lat, lon, name=state.selected)
    radius = 8.0
    if row is not None and not places.empty:
        radius = float(place_radius([row["mentions"]], places["mentions"].max())[0])
    return maplayers.selection_layer(lat, lon, radius_px=radius)


def map_layers(state: MapState, view: ViewLike, sources: Sources = Sources(), *,
               bounds: list[list[float]] | None = None, popups: bool = False) -> list[Layer]:
    """The feature groups `state` draws for `view`, bottom to top.

    `bounds`: where the places are (geo.maps.base.mention_bounds of the view's rows; computed when not
    given): air bases' civil airports and the smaller towns are drawn around them. `popups`: a click on a
    place opens its articles (an exported map, which has no panel beside it).
    """
    on = set(state.layers)
    if bounds is None:
        bounds = mention_bounds(view.frame)
    roads = sources.roads() if "roads" in on else None
    cities = sources.cities() if "cities" in on else None
    airbases = sources.airbases() if "air bases" in on else None
    drawn = on - {name for name, data in (("roads", roads), ("cities", cities), ("air bases", airbases)) if data is None}
    area = tuple(map(tuple, bounds)) if bounds else None
    out = [Layer(("tiles", state.basemap), lambda: maplayers.tile_layer(state.basemap, sources.local_tiles()))]
    if "countries" in on:
        out.append(Layer(("countries", view.key), lambda: maplayers.choropleth_layer(mapdata.country_counts(view.frame))))
    if "heatmap" in on:
        out.append(Layer(("heatmap", view.key), lambda: maplayers.heat_layer(view.places)))
    if roads is not None:
        out.append(Layer(("roads",), lambda: maplayers.roads_layer(roads)))
    if cities is not None:
        out.append(Layer(("cities", area), lambda: maplayers.cities_layer(cities, bounds)))
    if airbases is not None:  # two groups: the air bases (~100 kB, the same whatever the filters) are
        # made and sent to the map once, the few civil airports around the places on each change
        bases = airbases["kind"].eq("air base")
        out.append(Layer(("air bases",), lambda: maplayers.airfields_layer(airbases[bases], None)))
        out.append(Layer(("airports", area), lambda: maplayers.airfields_layer(airbases[~bases], bounds)))
    if "clusters" in on or "places" in on:  # clusters: the places, grouped when crowded
        draw = maplayers.clusters_layer if "clusters" in on else maplayers.places_layer
        name = "clusters" if "clusters" in on else "places"
        out.append(Layer((name, view.key, popups), lambda: _places(draw, view, popups)))
    if "events" in on:  # one symbol per event; around the place's circle when that is drawn
        ring = "places" in on or "clusters" in on
        out.append(Layer(("events", view.key, ring), lambda: maplayers.events_layer(
            view.event_points, around=_radii(view.places) if ring else None)))
    if "time" in on:  # in the timeline's bins (the whole span's, also under a brushed range)
        step = timebins.resolve(state.step, *(view.span or (None, None)))
        out.append(Layer(("time", view.key, step), lambda: maplayers.time_layer(
            timebins.player_cells(view.frame, view.places, step), view.places)))
    if state.selected_at is not None:
        out.append(Layer(("selection", view.key, state.selected, state.selected_at, state.selected_kind,
                          state.radius_km), lambda: selection(state, view.places)))
    schematic = bool(roads is not None and maplayers.schematic(roads).any())
    out.append(Layer(("legend", view.key, tuple(sorted(drawn)), schematic),
                     lambda: legend_layer(legend_features(view.places), drawn, roads_schematic=schematic)))
    return out


def legend_features(places: pd.DataFrame) -> list[str]:
    """The place types the key lists: those present, the most mentioned place's first."""
    return places["feature"].fillna("other").unique().tolist() if not places.empty else []
