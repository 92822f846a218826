"""Offline assets: every folium link is rewritten to static/vendor, unknown CDNs fail loudly."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import folium
import pytest
from folium import plugins

from geo.maps.assets import ASSETS, SUPPORT_FILES, UnknownAssetError, external_urls, localize, missing_assets

ROOT = Path(__file__).resolve().parents[1]
BASE = "/app/static/vendor"


def _map_with_plugins() -> folium.Map:
    m = folium.Map(tiles=None, maxZoom=18)
    cluster = plugins.MarkerCluster().add_to(m)
    folium.Marker((34.7, 36.7)).add_to(cluster)  # nested: found by the recursive walk
    plugins.HeatMap([[34.7, 36.7, 1.0]]).add_to(m)
    plugins.Fullscreen().add_to(m)
    plugins.MiniMap(tile_layer=None).add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.MousePosition().add_to(m)
    plugins.Draw().add_to(m)
    return m


def test_localize_rewrites_map_and_every_plugin():
    m = localize(_map_with_plugins(), BASE)
    urls = external_urls(m)
    assert len(urls) >= 20
    assert all(u.startswith(BASE + "/") for u in urls), [u for u in urls if not u.startswith(BASE)]
    html = m.get_root().render()
    assert not re.search(r'<script[^>]+src="https?://', html)
    assert not re.search(r'<link[^>]+href="https?://', html)


def test_localize_leaves_folium_class_defaults_alone():
    before = list(folium.Map.default_js)
    localize(folium.Map(tiles=None, maxZoom=18), BASE)
    assert folium.Map.default_js == before
    assert folium.Map().default_js[0][1].startswith("https://")


def test_localize_twice_is_harmless():
    m = localize(localize(folium.Map(tiles=None, maxZoom=18), BASE), BASE)
    assert dict(m.default_js)["leaflet"] == f"{BASE}/leaflet/leaflet.js"


def test_unknown_cdn_url_raises_with_the_url():
    m = folium.Map(tiles=None, maxZoom=18)
    plugins.Terminator().add_to(m)
    with pytest.raises(UnknownAssetError) as err:
        localize(m, BASE)
    assert any("leaflet.terminator" in u for u in err.value.urls)


def test_base_url_trailing_slash():
    m = localize(folium.Map(tiles=None, maxZoom=18), "/static/")
    assert dict(m.default_css)["leaflet_css"] == "/static/leaflet/leaflet.css"


def test_missing_assets_lists_everything_for_an_empty_dir(tmp_path):
    missing = missing_assets(tmp_path)
    assert "leaflet/leaflet.js" in missing
    assert len(missing) == len({a.local for a in ASSETS} | set(SUPPORT_FILES))


def test_missing_assets_empty_when_all_present(tmp_path):
    for rel in [a.local for a in ASSETS] + list(SUPPORT_FILES):
        f = tmp_path / "vendor" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("x")
    assert missing_assets(tmp_path) == []


def test_fetch_script_installs_every_asset():
    """The script's manifest and generated files cover every destination geo/maps/assets.py relies on."""
    script = (ROOT / "scripts" / "fetch_assets.sh").read_text()
    manifest = re.search(r"manifest='(.*?)'", script, re.S).group(1)
    dests = {line.split()[2] for line in manifest.splitlines() if line.strip()}
    generated = {"glyphicons/css/glyphicons.css", "folium/leaflet.awesome.rotate.css"}
    for rel in [a.local for a in ASSETS] + list(SUPPORT_FILES):
        assert rel in generated or any(rel == d or rel.startswith(d + "/") for d in dests), rel


def test_streamlit_serves_static_and_stays_quiet():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False


@pytest.mark.skipif(bool(missing_assets(ROOT / "static")), reason="static/vendor not installed (make assets)")
def test_installed_css_only_points_at_installed_files():
    """Fonts and images referenced by the vendored stylesheets exist too, and none is fetched remotely."""
    vendor = ROOT / "static" / "vendor"
    for asset in ASSETS:
        if not asset.local.endswith(".css"):
            continue
        css = (vendor / asset.local).read_text(encoding="utf-8", errors="replace")
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
            if ref.startswith(("data:", "#")):  # inline images, old IE behaviours
                continue
            assert not ref.startswith(("http:", "https:", "//")), (asset.local, ref)
            target = (vendor / asset.local).parent / ref.split("?")[0].split("#")[0]
            assert target.is_file(), (asset.local, ref)
