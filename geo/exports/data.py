"""Data exports of the mention frame: GeoJSON, CSV (with WKT), KML 2.2 and GeoPackage, each as bytes.

One feature per mention: the place (name as people write it, the gazetteer's name, type, country, GeoNames
id, coordinates), how the article wrote it and the sentence around it, the confidence score, and the article
(title, source, date, URL).
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.maps.html import esc
from geo.maps.style import FEATURE_COLOURS, OTHER_COLOUR

# Column order of every export; "text" is the mention as the article wrote it; the event fields say what
# happened there according to the sentence (ACLED terms; empty when the sentence reports no event there).
EVENT_FIELDS = ["event_type", "event_subtype", "actor1", "actor2", "modality"]
# "name" is the display name (Palmyra), "gazetteer_name" the gazetteer's (Tadmur; the same where none differs).
FIELDS = ["name", "gazetteer_name", "feature", "country", "geonameid", "lat", "lon", "score", "text", "sentence",
          "title", "source", "published", "url", "article_id", "start", "end"] + EVENT_FIELDS
KML_NS = "http://www.opengis.net/kml/2.2"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula
_TEXT_FIELDS = ("name", "gazetteer_name", "text", "sentence", "title", "source", "url")


def _value(v):
    """A plain Python value: None for every kind of missing, int/float/str otherwise."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    return v


def with_events(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with EVENT_FIELDS: the event (if any) whose place is the mention, from its sentence."""
    if frame.empty or "sentence" not in frame or all(f in frame for f in EVENT_FIELDS):
        return frame
    from geo.events.extract import EventExtractor
    from geo.types import ResolvedMention

    extractor = EventExtractor()
    cache: dict[tuple, tuple] = {}

    def event_of(sentence, mention, feature) -> tuple:
        key = (sentence, mention, feature)
        if key not in cache:
            cache[key] = (None,) * len(EVENT_FIELDS)
            at = sentence.find(mention) if isinstance(sentence, str) and isinstance(mention, str) else -1
            if at >= 0:
                place = ResolvedMention(start=at, end=at + len(mention), text=mention, name=mention, lat=0.0,
                                        lon=0.0, feature=feature or "city")
                for ev in extractor.extract(sentence, [place]):
                    if ev.place_mention_start == at:
                        cache[key] = (ev.type, ev.subtype, ev.actor1, ev.actor2, ev.modality)
                        break
        return cache[key]

    events = [event_of(s, t, f) for s, t, f in zip(frame["sentence"], frame["text"], frame["feature"])]
    return frame.assign(**{name: [e[i] for e in events] for i, name in enumerate(EVENT_FIELDS)})


def _column(values: pd.Series) -> list:
    """A column as plain Python values, every kind of missing as None (column-wise: 100,000 rows in
    a fraction of a second, where converting cell by cell took seconds)."""
    return [_value(v) for v in values.to_numpy(dtype=object, na_value=None)]


def records(frame: pd.DataFrame) -> list[dict]:
    """The frame's mentions as dicts with FIELDS, missing values as None; rows without coordinates left out."""
    table = with_events(frame)
    if "gazetteer_name" not in table and "name" in table:  # a frame from before display names
        table = table.assign(gazetteer_name=table["name"])
    table = table.reindex(columns=FIELDS)
    table = table[table["lat"].notna().to_numpy(bool) & table["lon"].notna().to_numpy(bool)]
    table = table.assign(lat=table["lat"].astype(float), lon=table["lon"].astype(float))
    columns = [_column(table[f]) for f in FIELDS]
    return [dict(zip(FIELDS, row)) for row in zip(*columns)]


def to_geodataframe(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """One point per mention (EPSG:4326) with FIELDS as columns."""
    recs = records(frame)
    gdf = gpd.GeoDataFrame(
        pd.DataFrame(recs, columns=FIELDS),
        geometry=gpd.points_from_xy([r["lon"] for r in recs], [r["lat"] for r in recs]),
        crs="EPSG:4326",
    )
    return gdf.astype({"geonameid": "Int64", "start": "Int64", "end": "Int64", "score": "float64"})


def to_geojson(frame: pd.DataFrame) -> bytes:
    """RFC 7946 FeatureCollection, coordinates [lon, lat], UTF-8."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
            "properties": r,
        }
        for r in records(frame)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def _cell(field: str, v) -> object:
    if v is None:
        return ""
    if field in _TEXT_FIELDS and isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v  # shown as text, never evaluated
    return v


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets detect the encoding): lat, lon, wkt, then the other fields.

    Text cells that a spreadsheet would evaluate as a formula get a leading apostrophe.
    """
    buf = io.StringIO()
    cols = ["lat", "lon", "wkt"] + [f for f in FIELDS if f not in ("lat", "lon")]
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(cols)
    for r in records(frame):
        r["wkt"] = f"POINT ({r['lon']!r} {r['lat']!r})"
        w.writerow([_cell(c, r[c]) for c in cols])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# ---------------------------------------------------------------------------------------- KML


def _kml_colour(hex_rgb: str, alpha: int = 0xE0) -> str:
    """#rrggbb → KML's aabbggrr."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def _sub(parent: ET.Element, tag: str, text: object = None, **attrib) -> ET.Element:
    el = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrib)
    if text is not None:
        el.text = str(text)
    return el


def _description(r: dict) -> str:
    """The balloon: Google Earth renders descriptions as HTML, so article text is HTML-escaped first
    (and then XML-escaped by ElementTree): a headline with markup shows as text."""
    parts = [f"<b>{esc(r['title']) or '(untitled)'}</b>"]
    meta = " · ".join(s for s in (esc(r["source"]), esc(r["published"])) if s)
    if meta:
        parts.append(f"<br><small>{meta}</small>")
    if r["sentence"]:
        parts.append(f"<p>{esc(r['sentence'])}</p>")
    place = " · ".join(s for s in (esc(r["feature"]), esc(r["country"])) if s)
    score = f"score {r['score']:.2f}" if isinstance(r["score"], float) else ""
    names = esc(r["name"])
    if r.get("gazetteer_name") and r["gazetteer_name"] != r["name"]:
        names += f" (gazetteer: {esc(r['gazetteer_name'])})"
    parts.append(f"<p><small>{names} ({place}) {score}</small></p>")
    if isinstance(r["url"], str) and r["url"].lower().startswith(("http://", "https://")):
        parts.append(f'<p><a href="{esc(r["url"])}">{esc(r["url"])}</a></p>')
    return "".join(parts)


def to_kml(frame: pd.DataFrame, *, name: str = "Conflict Map") -> bytes:
    """KML 2.2 (opens in Google Earth): a folder per place type, one placemark per mention.

    Each placemark carries every field as ExtendedData, and a balloon (description) with the headline,
    source, date and sentence.
    """
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", name)
    recs = records(frame)
    features = sorted({r["feature"] or "other" for r in recs})
    for feature in features:
        style = _sub(doc, "Style", id=f"feature-{features.index(feature)}")
        icon = _sub(style, "IconStyle")
        _sub(icon, "color", _kml_colour(FEATURE_COLOURS.get(feature, OTHER_COLOUR)))
        _sub(icon, "scale", "0.9")  # the viewer's own icon, tinted: the file points at nothing online
        balloon = _sub(style, "BalloonStyle")
        _sub(balloon, "text", "$[description]")  # not $[name]: only the escaped description is HTML
    for feature in features:
        folder = _sub(doc, "Folder")
        _sub(folder, "name", feature)
        for r in (r for r in recs if (r["feature"] or "other") == feature):
            pm = _sub(folder, "Placemark")
            _sub(pm, "name", r["name"] or "")
            _sub(pm, "description", _description(r))
            if r["published"]:
                _sub(_sub(pm, "TimeStamp"), "when", r["published"])
            _sub(pm, "styleUrl", f"#feature-{features.index(feature)}")
            ext = _sub(pm, "ExtendedData")
            for k in FIELDS:
                if k in ("lat", "lon") or r[k] is None:
                    continue
                _sub(_sub(ext, "Data", name=k), "value", r[k])
            _sub(_sub(pm, "Point"), "coordinates", f"{r['lon']!r},{r['lat']!r}")
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


# ---------------------------------------------------------------------------------------- GeoPackage


def to_gpkg(frame: pd.DataFrame, *, layer: str = "mentions") -> bytes:
    """A GeoPackage with one point layer (EPSG:4326), written through pyogrio into a temporary file."""
    gdf = to_geodataframe(frame)
    with tempfile.TemporaryDirectory(prefix="conflictmap-") as tmp:
        path = Path(tmp) / "export.gpkg"
        gdf.to_file(path, driver="GPKG", layer=layer, engine="pyogrio")
        return path.read_bytes()
