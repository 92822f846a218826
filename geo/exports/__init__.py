"""Briefing exports: data files (GeoJSON, CSV, KML, GeoPackage), a standalone HTML map, and briefing
pictures (PNG, PDF) from headless Chromium or matplotlib. Every export returns bytes."""

from geo.exports.browser import BrowserUnavailable
from geo.exports.data import to_csv, to_geojson, to_gpkg, to_kml
from geo.exports.html import to_html
from geo.exports.layout import SIZES, Briefing, LayoutError, banner_colours, build_layout
from geo.exports.render import Rendered, render
from geo.exports.source import DATA_FORMATS, export, prefiltered

FORMATS = ("png", "pdf", "html", *DATA_FORMATS)

__all__ = [
    "DATA_FORMATS",
    "FORMATS",
    "SIZES",
    "Briefing",
    "BrowserUnavailable",
    "LayoutError",
    "Rendered",
    "banner_colours",
    "build_layout",
    "export",
    "prefiltered",
    "render",
    "to_csv",
    "to_geojson",
    "to_gpkg",
    "to_html",
    "to_kml",
]
