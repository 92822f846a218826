"""geo.maps.frame: the dashboard map cut into a base built once and layers swapped on each rerun."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.maps import frame as mapframe
from geo.maps import layers as maplayers
from geo.maps.base import base_map
from geo.maps.legend import legend_layer
from geo.maps.assets import PLUGIN_BUNDLE, bundle_scripts, localize

ROOT = Path(__file__).resolve().parents[1]
FRAME_HTML = ROOT / "pages" / "mapframe" / "index.html"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def countries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["Syria"]}, geometry=[box(35.7, 32.3, 42.4, 37.3)], crs="EPSG:4326")


def _places(names=("Homs", "Palmyra"), mentions=(5, 2)) -> pd.DataFrame:
    coords = {"Homs": (34.73, 36.72), "Palmyra": (34.56, 38.27), XSS: (33.5, 36.3)}
    return pd.DataFrame({"place_id": range(1, len(names) + 1), "name": list(names),
                         "lat": [coords[n][0] for n in names], "lon": [coords[n][1] for n in names],
                         "mentions": list(mentions), "articles": [1] * len(names), "feature": ["city"] * len(names)})


def _groups(places: pd.DataFrame, heat: bool = False) -> list:
    groups = [maplayers.places_layer(places)]
    if heat:
        groups.append(maplayers.heat_layer(places))
    groups.append(legend_layer(["city"], {"places", "heatmap"} if heat else {"places"}))
    for g in groups:
        localize(g)
    return groups


def test_base_is_the_map_once_with_local_assets_and_a_stable_name(countries):
    base = mapframe.base(base_map(countries=countries, view=((34.8, 38.5), 6)))
    assert base.map_name == "map_cm"
    assert 'id="map_cm"' in base.html
    assert 'var map_cm = L.map(' in base.script and '"map_cm"' in base.script
    assert "#map_cm" in base.header  # its size
    assert base.core_js == ["/app/static/vendor/leaflet/leaflet.js"]
    assert "/app/static/vendor/leaflet/leaflet.js" not in base.js
    assert base.css[0] == "/app/static/vendor/leaflet/leaflet.css"
    assert all(u.startswith("/app/static/vendor/") for u in base.css + base.js)
    # Outside the block that waits for the first paint (and so for the plugins), the map's script uses
    # Leaflet only: the frame runs it before the plugins have loaded.
    start = base.script.index("window.CM.plugins.afterPaint(map_cm, function () {")
    end = base.script.index("});", base.script.index("window.CM.plugins.offlineMiniMap("))
    eager = base.script[:start] + base.script[end:]
    for plugin in ("L.Control.Draw", "L.Control.Measure", "L.Control.MiniMap", "L.Control.MousePosition",
                   "L.Control.FullScreen", "L.control.fullscreen", "L.heatLayer", "plugins.offlineMiniMap("):
        assert plugin not in eager, plugin
    assert not re.search(r"<script[^>]*src=", base.header)  # scripts are loaded by the frame, not the header
    # The digest follows what the frame would build: the same for a rebuilt map, new for another view.
    again = mapframe.base(base_map(countries=countries, view=((34.8, 38.5), 6)))
    moved = mapframe.base(base_map(countries=countries, view=((33.5, 36.3), 8)))
    assert again.digest == base.digest and moved.digest != base.digest


def test_layers_are_one_script_per_group_and_the_same_for_the_same_data():
    a = mapframe.layers(_groups(_places()))
    b = mapframe.layers(_groups(_places()))
    assert a == b  # the frame re-evaluates nothing when nothing changed
    assert len(a.scripts) == 2
    for i, script in enumerate(a.scripts):
        assert script.rstrip().endswith(f"return feature_group_g{i}_0;")
        assert "addTo(map_cm)" in script.replace(" ", "")
    changed = mapframe.layers(_groups(_places(mentions=(5, 3))))
    assert changed.scripts[0] != a.scripts[0]  # the places' sizes changed
    assert changed.scripts[1] == a.scripts[1]  # the legend did not: the frame keeps it


def test_a_frame_is_sent_what_it_holds_as_digests_only(countries):
    """A rerun sends the base and unchanged layers as digests (geo.maps.frame.Sent); a new token in the
    frame's value (a frame that lost them) gets the whole message again."""
    base = mapframe.base(base_map(countries=countries))
    first = mapframe.layers(_groups(_places()))
    sent = mapframe.Sent()
    base_arg, layers_arg = sent.message(base, first)
    assert base_arg["script"] == base.script and base_arg["header"] == base.header
    assert [entry[1] for entry in layers_arg["scripts"]] == first.scripts
    # The same again: nothing but digests (and the small lists of URLs the frame checks).
    base_arg, layers_arg = sent.message(base, first)
    assert "script" not in base_arg and "header" not in base_arg and base_arg["digest"] == base.digest
    assert layers_arg["scripts"] == [[d] for d in first.digests]
    # A filter changed the places only: that script travels, the legend's does not.
    changed = mapframe.layers(_groups(_places(mentions=(5, 3))))
    _, layers_arg = sent.message(base, changed)
    assert layers_arg["scripts"][0] == [changed.digests[0], changed.scripts[0]]
    assert layers_arg["scripts"][1] == [changed.digests[1]]
    # The frame asked for everything (it is new): whole once, then digests again; an old token is not news.
    base_arg, layers_arg = sent.message(base, changed, need="n1")
    assert base_arg["script"] == base.script and all(len(entry) == 2 for entry in layers_arg["scripts"])
    base_arg, layers_arg = sent.message(base, changed, need="n1")
    assert "script" not in base_arg and all(len(entry) == 1 for entry in layers_arg["scripts"])


def test_a_frame_is_assumed_to_hold_only_the_last_scripts_it_was_sent(countries):
    base = mapframe.base(base_map(countries=countries))
    sent = mapframe.Sent()
    legend = legend_layer(["city"], {"places"})
    first = None
    for i in range(mapframe.SENT_KEEP + 1):  # one new places layer per filter, the legend the same
        layers = mapframe.layers([maplayers.places_layer(_places(mentions=(5, i + 1))), legend])
        first = first or layers
        sent.message(base, layers)
    _, layers_arg = sent.message(base, first)
    assert layers_arg["scripts"][0] == [first.digests[0], first.scripts[0]]  # forgotten: sent whole again
    assert layers_arg["scripts"][1] == [first.digests[1]]  # named on every message: still held


def test_the_frame_keeps_more_scripts_than_the_server_assumes():
    kept = int(re.search(r"var KNOWN_KEEP = (\d+);", FRAME_HTML.read_text()).group(1))
    assert kept > mapframe.SENT_KEEP


def test_layer_scripts_carry_names_as_escaped_text():
    script = mapframe.layers(_groups(_places(names=(XSS,), mentions=(1,)))).scripts[0]
    assert XSS not in script
    assert "onerror" in script  # the name is there, as text: &lt;img … &gt; inside a JSON string
    assert "<" not in script.split("window.CM.plugins.pointLayer(", 1)[1].split(");", 1)[0]


def test_layers_name_the_plugins_they_need():
    plain = mapframe.layers(_groups(_places()))
    heat = mapframe.layers(_groups(_places(), heat=True))
    assert plain.js == []
    assert heat.js and all(u.startswith("/app/static/vendor/") for u in heat.js)
    bundled = _groups(_places(), heat=True)
    for g in bundled:
        bundle_scripts(g)
    assert mapframe.layers(bundled).js == []  # the bundle the base loads has the heat plugin


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.preloads: list[str] = []
        self.css: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if tag == "link" and a.get("rel") == "stylesheet":
            self.css.append(a["href"])
        if tag == "link" and a.get("rel") == "preload":
            self.preloads.append(a["href"])


def test_the_frame_fetches_up_front_what_every_map_loads_first(countries):
    head = _Head()
    head.feed(FRAME_HTML.read_text(encoding="utf-8"))
    base = mapframe.base(base_map(countries=countries, bundle=True))
    assert head.scripts == base.core_js == ["/app/static/vendor/leaflet/leaflet.js"]  # runs before the map's script
    assert head.preloads == base.js == [f"/app/static/vendor/{PLUGIN_BUNDLE}"]  # after it
    assert head.css == base.css[:1]
