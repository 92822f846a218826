"""Serve folium's JavaScript and CSS from our own static folder instead of public CDNs.

folium hard-codes CDN URLs in each element's `default_js` / `default_css`. Offline those never load and
the map stays blank, so `localize` points every one of them at the copies `scripts/fetch_assets.sh`
installs under `static/vendor/`. A URL we have no copy of raises instead of silently reaching out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import Element

DEFAULT_BASE_URL = "/app/static/vendor"  # where Streamlit serves ./static/vendor with enableStaticServing


@dataclass(frozen=True)
class Asset:
    """One file folium asks a CDN for, and where our copy lives under static/vendor."""

    name: str  # the name folium gives the link in default_js / default_css
    cdn: str
    local: str


_FA = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0"
_AWESOME = "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2"
_CLUSTER = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0"

ASSETS: tuple[Asset, ...] = (
    # folium.Map
    Asset("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js", "leaflet/leaflet.js"),
    Asset("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css", "leaflet/leaflet.css"),
    Asset("jquery", "https://code.jquery.com/jquery-3.7.1.min.js", "jquery/jquery.min.js"),
    Asset(
        "bootstrap",
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
        "bootstrap/js/bootstrap.bundle.min.js",
    ),
    Asset(
        "bootstrap_css",
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css",
        "bootstrap/css/bootstrap.min.css",
    ),
    Asset(
        "glyphicons_css",
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
        "glyphicons/css/glyphicons.css",
    ),
    Asset("awesome_markers_font_css", f"{_FA}/css/all.min.css", "fontawesome-free/css/all.min.css"),
    Asset("awesome_markers", f"{_AWESOME}/leaflet.awesome-markers.js", "awesome-markers/leaflet.awesome-markers.js"),
    Asset("awesome_markers_css", f"{_AWESOME}/leaflet.awesome-markers.css", "awesome-markers/leaflet.awesome-markers.css"),
    Asset(
        "awesome_rotate_css",
        "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css",
        "folium/leaflet.awesome.rotate.css",
    ),
    # plugins
    Asset("markerclusterjs", f"{_CLUSTER}/leaflet.markercluster.js", "leaflet.markercluster/leaflet.markercluster.js"),
    Asset("markerclustercss", f"{_CLUSTER}/MarkerCluster.css", "leaflet.markercluster/MarkerCluster.css"),
    Asset(
        "markerclusterdefaultcss",
        f"{_CLUSTER}/MarkerCluster.Default.css",
        "leaflet.markercluster/MarkerCluster.Default.css",
    ),
    Asset(
        "leaflet-heat.js",
        "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js",
        "leaflet.heat/leaflet-heat.js",
    ),
    Asset(
        "Control.Fullscreen.js",
        "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js",
        "leaflet.fullscreen/Control.FullScreen.js",
    ),
    Asset(
        "Control.FullScreen.css",
        "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css",
        "leaflet.fullscreen/Control.FullScreen.css",
    ),
    Asset(
        "Control_MiniMap_js",
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js",
        "leaflet-minimap/Control.MiniMap.js",
    ),
    Asset(
        "Control_MiniMap_css",
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css",
        "leaflet-minimap/Control.MiniMap.css",
    ),
    Asset(
        "leaflet_measure_js",
        "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js",
        "leaflet-measure/leaflet-measure.min.js",
    ),
    Asset(
        "leaflet_measure_css",
        "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css",
        "leaflet-measure/leaflet-measure.css",
    ),
    Asset(
        "Control_MousePosition_js",
        "https://cdn.jsdelivr.net/gh/ardhi/Leaflet.MousePosition/src/L.Control.MousePosition.min.js",
        "leaflet-mouse-position/L.Control.MousePosition.js",
    ),
    Asset(
        "Control_MousePosition_css",
        "https://cdn.jsdelivr.net/gh/ardhi/Leaflet.MousePosition/src/L.Control.MousePosition.min.css",
        "leaflet-mouse-position/L.Control.MousePosition.css",
    ),
    Asset(
        "leaflet_draw_js",
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.js",
        "leaflet-draw/leaflet.draw.js",
    ),
    Asset(
        "leaflet_draw_css",
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.css",
        "leaflet-draw/leaflet.draw.css",
    ),
)

# Files the stylesheets above pull in by relative URL; a missing one shows as a broken icon, not an error.
SUPPORT_FILES: tuple[str, ...] = (
    "leaflet/images/layers.png",
    "leaflet/images/marker-icon.png",
    "leaflet/images/marker-shadow.png",
    "fontawesome-free/webfonts/fa-solid-900.woff2",
    "fontawesome-free/webfonts/fa-regular-400.woff2",
    "fontawesome-free/webfonts/fa-brands-400.woff2",
    "glyphicons/fonts/glyphicons-halflings-regular.woff2",
    "awesome-markers/images/markers-soft.png",
    "awesome-markers/images/markers-shadow.png",
    "leaflet.fullscreen/icon-fullscreen.svg",
    "leaflet-minimap/images/toggle.svg",
    "leaflet-measure/images/rulers.png",
    "leaflet-draw/images/spritesheet.svg",
)

# The plugin scripts the dashboard map loads, concatenated by fetch_assets.sh into one file (same order).
PLUGIN_BUNDLE = "conflictmap/plugins.js"
BUNDLED: tuple[str, ...] = (
    "leaflet.fullscreen/Control.FullScreen.js",
    "leaflet-measure/leaflet-measure.min.js",
    "leaflet-draw/leaflet.draw.js",
    "leaflet-mouse-position/L.Control.MousePosition.js",
    "leaflet-minimap/Control.MiniMap.js",
    "leaflet.heat/leaflet-heat.js",
)

LOCAL_BY_CDN: dict[str, str] = {a.cdn: a.local for a in ASSETS}
LOCAL_BY_NAME: dict[str, str] = {a.name: a.local for a in ASSETS}


class UnknownAssetError(RuntimeError):
    """The map wants a CDN file we have no local copy of; offline it would fail to load."""

    def __init__(self, urls: list[str]):
        self.urls = urls
        super().__init__("no local copy for: " + ", ".join(urls) + " (add it to geo/maps/assets.py and fetch_assets.sh)")


def iter_elements(element: Element) -> Iterator[Element]:
    """The element and all its descendants, depth first."""
    yield element
    for child in list(element._children.values()):
        yield from iter_elements(child)


def external_urls(fmap: Element) -> list[str]:
    """Every JS/CSS URL the map and its children would load, in order, without duplicates."""
    seen: dict[str, None] = {}
    for el in iter_elements(fmap):
        for _, url in [*getattr(el, "default_js", []), *getattr(el, "default_css", [])]:
            seen.setdefault(url, None)
    return list(seen)


def _local_url(url: str, base_url: str) -> str | None:
    if url.startswith(base_url.rstrip("/") + "/"):
        return url  # already localized
    local = LOCAL_BY_CDN.get(url)
    return None if local is None else f"{base_url.rstrip('/')}/{local}"


def localize(fmap: folium.Map, base_url: str = DEFAULT_BASE_URL) -> folium.Map:
    """Point the JS/CSS links of the map and every element inside it at our local copies.

    Links are replaced on each instance (folium keeps the defaults in class attributes shared by all
    maps). Call it after the last element was added; raises UnknownAssetError for URLs we do not host.
    """
    unknown: list[str] = []
    for el in iter_elements(fmap):
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if not links:
                continue
            rewritten = []
            for name, url in links:
                local = _local_url(url, base_url)
                if local is None:
                    unknown.append(url)
                    local = url
                rewritten.append((name, local))
            setattr(el, attr, rewritten)
    if unknown:
        raise UnknownAssetError(list(dict.fromkeys(unknown)))
    return fmap


def missing_assets(static_dir: Path | str) -> list[str]:
    """Vendor files (relative to static_dir/vendor) that are not installed; empty when all is in place."""
    vendor = Path(static_dir) / "vendor"
    wanted = [a.local for a in ASSETS] + list(SUPPORT_FILES)
    return [p for p in dict.fromkeys(wanted) if not (vendor / p).is_file()]


def bundle_scripts(element: Element, base_url: str = DEFAULT_BASE_URL) -> Element:
    """Load the bundled plugins (PLUGIN_BUNDLE) with one script tag instead of one each.

    Call it after `localize`, and only when the bundle is installed (see `has_bundle`). The plugins'
    own links are dropped from the element and everything in it; a map also gets the bundle's link,
    right after Leaflet's (a feature group added to such a map later needs only the dropping).
    """
    base = base_url.rstrip("/")
    bundled = {f"{base}/{rel}" for rel in BUNDLED}
    for el in iter_elements(element):
        links = getattr(el, "default_js", None)
        if links:
            kept = [(n, u) for n, u in links if u not in bundled]
            if len(kept) != len(links):
                setattr(el, "default_js", kept)
    if isinstance(element, folium.Map):
        js = list(element.default_js)
        at = next((i + 1 for i, (n, _) in enumerate(js) if n == "leaflet"), 0)
        js.insert(at, ("conflictmap_plugins", f"{base}/{PLUGIN_BUNDLE}"))
        element.default_js = js
    return element


def has_bundle(static_dir: Path | str) -> bool:
    """The plugin bundle is installed and not older than any of its parts."""
    vendor = Path(static_dir) / "vendor"
    bundle = vendor / PLUGIN_BUNDLE
    if not bundle.is_file():
        return False
    built = bundle.stat().st_mtime
    return all((vendor / rel).is_file() and (vendor / rel).stat().st_mtime <= built for rel in BUNDLED)
