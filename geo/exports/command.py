"""`python -m geo export`: the map state its flags describe, the reference layers it loads, the run.

geo/cli.py declares the flags (importing this package costs a second, too much for every command's
parser) and calls `run`; a problem the user can fix is an ExportArgsError, printed without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo import config
from geo.view.state import LAYERS

LAYER_ALIASES = {"towns": "cities", "airbases": "air bases", "air-bases": "air bases", "heat": "heatmap",
                 "choropleth": "countries"}
CITY_MIN_POPULATION = 20_000  # as the dashboard's towns (pages/_loaders.get_cities)


class ExportArgsError(ValueError):
    """A flag the user can fix; the CLI prints the message and exits with 2."""


def layer_names(given: list[str]) -> tuple[str, ...]:
    """The --layer values as MapState layer names: comma-separated or repeated, aliases resolved, in order."""
    names = [LAYER_ALIASES.get(n.strip().lower(), n.strip().lower()) for g in given for n in g.split(",") if n.strip()]
    unknown = sorted(set(names) - set(LAYERS))
    if unknown:
        raise ExportArgsError(f"--layer: unknown {', '.join(unknown)} (use {', '.join(LAYERS)}; towns = cities)")
    return tuple(dict.fromkeys(names))


def state_from_args(args: argparse.Namespace):
    """The MapState the export flags describe: a dashboard link first, then each flag given overrides it."""
    from urllib.parse import parse_qsl, urlsplit

    import pandas as pd

    from geo.view.state import MapState

    state = MapState()
    if args.link:
        query = urlsplit(args.link).query if "?" in args.link or "://" in args.link else args.link
        state = MapState.from_query_params(dict(parse_qsl(query)))
    changes: dict = {}
    for flag in ("date_from", "date_to"):
        value = getattr(args, flag)
        if value:
            try:
                changes[flag] = pd.Timestamp(value).date().isoformat()
            except ValueError:
                raise ExportArgsError(f"--{flag.replace('_', '-')}: {value!r} is not a date (use YYYY-MM-DD)") from None
    if args.source:
        changes["sources"] = tuple(args.source)
    if args.country:
        changes["countries"] = tuple(c.upper() for c in args.country)
    if args.feature:
        changes["features"] = tuple(args.feature)
    if args.min_score is not None:
        if not 0 <= args.min_score <= 1:
            raise ExportArgsError("--min-score: give a number between 0 and 1")
        changes["min_score"] = args.min_score
    if args.query:
        changes["query"] = args.query
    if args.layer:
        changes["layers"] = layer_names(args.layer)
    if args.center:
        try:
            lat, lon = (float(x) for x in args.center.split(","))
        except ValueError:
            raise ExportArgsError("--center: give LAT,LON, e.g. 34.8,38.5") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ExportArgsError("--center: latitude -90..90, longitude -180..180")
        changes["center"] = (lat, lon)
    if args.zoom is not None:
        changes["zoom"] = max(2, min(18, args.zoom))
    if args.title:
        changes["title"] = args.title
    return state.with_(**changes)


def reference_layers(state, fmt: str, *, index_dir: Path = config.INDEX_DIR,
                     user_layers: Path = config.DATA_DIR / "layers" / "user") -> dict:
    """Air bases and roads for the map formats when the state shows them, towns always (the basemap's city
    names), as the dashboard loads them (pages/_loaders.py); a layer that cannot be loaded is left out with a
    warning."""
    if fmt not in ("png", "pdf", "html"):
        return {}
    on = set(state.layers)
    from geo.gazetteer import Gazetteer, GazetteerMissing

    layers: dict = {}
    try:
        gazetteer = Gazetteer(index_dir)
    except GazetteerMissing as e:
        print(f"warning: air bases, roads and towns left out: {e}", file=sys.stderr)
        return layers
    if "air bases" in on:
        from geo.layers.airbases import airbases_from

        layers["airbases"] = airbases_from(gazetteer)
    if "roads" in on:
        from geo.layers.roads import RoadDataError, load_roads

        try:
            layers["roads"] = load_roads(gazetteer, user_layers)
        except RoadDataError as e:
            print(f"warning: roads layer left out: {e}", file=sys.stderr)
    # Towns always: the basemap names the big cities (as the dashboard's does), the cities layer the rest.
    # Named as the dashboard names them (pages/_loaders.get_cities): Palmyra, not GeoNames' Tadmur.
    layers["cities"] = gazetteer.frame(["city"], min_population=CITY_MIN_POPULATION,
                                       columns=["name", "lat", "lon", "population", "country"], display=True)
    return layers


def _export_events(args: argparse.Namespace, fmt: str) -> int:
    """One row per stored event with ACLED's column names (events without a place too, flagged)."""
    from geo.exports.events import event_rows, store_items, to_csv
    from geo.store import Store

    if fmt != "csv":
        raise ExportArgsError("--events writes a table: use --format csv")
    rows = event_rows(store_items(Store(config.database_url(args.db))))
    _write(args.output, to_csv(rows))
    if args.output != "-":
        print(f"export: {len(rows):,} event(s) -> {args.output}", file=sys.stderr)
    return 0


def _write(output: str, data: bytes) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(output).write_bytes(data)


def output_format(args: argparse.Namespace) -> str:
    from geo import exports

    by_suffix = {".json": "geojson", ".htm": "html"}
    suffix = Path(args.output).suffix.lower()
    fmt = args.format or by_suffix.get(suffix, suffix.lstrip("."))
    if fmt not in exports.FORMATS:
        raise ExportArgsError(f"give --format ({', '.join(exports.FORMATS)}); cannot tell it from {args.output!r}")
    return fmt


def run(args: argparse.Namespace) -> int:
    """Export what the flags select, as the dashboard's Export page would, and say what was written."""
    from geo import exports
    from geo.exports.source import texts_from
    from geo.store import Store
    from geo.store import frames as mapdata

    fmt = output_format(args)
    if getattr(args, "events", False):
        return _export_events(args, fmt)
    state = state_from_args(args)
    store = Store(config.database_url(args.db))
    data_ = mapdata.load(store)  # the dashboard's in-memory read: sentences are cut only where quoted
    frame = state.apply(data_.mentions, texts=data_.texts)
    if frame.empty:
        print("warning: no mentions match these filters; the export is empty", file=sys.stderr)
    briefing = None
    try:
        if fmt in ("png", "pdf"):
            briefing = exports.Briefing.with_banner_colour(
                args.banner_colour, title=args.title or "Conflict Map", subtitle=args.subtitle or "",
                banner=args.banner or "", size=args.size or ("A4" if fmt == "pdf" else "1920x1080"),
            )
        out = exports.export(fmt, frame, state, filtered=True, texts=texts_from(store), briefing=briefing,
                             renderer=args.renderer, title=args.title or "", subtitle=args.subtitle or "",
                             **reference_layers(state, fmt))
    except (exports.BrowserUnavailable, exports.LayoutError) as e:
        raise ExportArgsError(str(e)) from None
    _write(args.output, out.data)
    note = ""
    if briefing is not None:
        note = f", {out.renderer} renderer, {briefing.size}"
        if out.blocked:
            note += f", {len(out.blocked)} outside request(s) blocked"
    places = frame.groupby(["name", "lat", "lon"]).ngroups if not frame.empty else 0
    print(f"{args.output}: {fmt}, {len(out.data):,} bytes, {len(frame)} mentions of {places} places{note}",
          file=sys.stderr)
    return 0
