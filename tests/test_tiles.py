"""Local tile folders and MBTiles conversion for the map's "Local tiles" basemap."""

from __future__ import annotations

import json
import sqlite3

import folium
import pytest

from geo.maps.tiles import find_local_tiles, mbtiles_to_folder


def _mbtiles(path, fmt="png"):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name text, value text)")
    con.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
    con.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "Levant"), ("format", fmt), ("minzoom", "1"),
                                                          ("maxzoom", "2"), ("attribution", "© Us")])
    con.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [(1, 1, 0, b"a"), (2, 3, 0, b"b"), (2, 0, 3, b"c")])
    con.commit()
    con.close()


def test_no_tiles_no_basemap(tmp_path):
    assert find_local_tiles(tmp_path) is None
    (tmp_path / "tiles" / "3").mkdir(parents=True)
    assert find_local_tiles(tmp_path) is None  # folders without a single tile


def test_mbtiles_rows_are_flipped_and_the_folder_is_found(tmp_path):
    _mbtiles(tmp_path / "a.mbtiles")
    assert mbtiles_to_folder(tmp_path / "a.mbtiles", tmp_path / "static" / "tiles") == 3
    tiles = tmp_path / "static" / "tiles"
    assert (tiles / "1" / "1" / "1.png").read_bytes() == b"a"  # TMS row 0 at zoom 1 is XYZ row 1
    assert (tiles / "2" / "3" / "3.png").read_bytes() == b"b"
    assert (tiles / "2" / "0" / "0.png").read_bytes() == b"c"
    assert json.loads((tiles / "metadata.json").read_text())["attribution"] == "© Us"
    found = find_local_tiles(tmp_path / "static")
    assert found.url == "/app/static/tiles/{z}/{x}/{y}.png"
    assert (found.name, found.attribution, found.min_zoom, found.max_zoom) == ("Levant", "© Us", 1, 2)


def test_vector_mbtiles_are_refused(tmp_path):
    _mbtiles(tmp_path / "v.mbtiles", fmt="pbf")
    with pytest.raises(ValueError, match="pbf"):
        mbtiles_to_folder(tmp_path / "v.mbtiles", tmp_path / "out")


def test_local_tiles_become_a_basemap_layer(tmp_path):
    from geo.maps import layers as maplayers

    (tmp_path / "tiles" / "5" / "19").mkdir(parents=True)
    (tmp_path / "tiles" / "5" / "19" / "12.jpg").write_bytes(b"x")
    local = find_local_tiles(tmp_path)
    assert local.url.endswith("{y}.jpg") and (local.min_zoom, local.max_zoom) == (5, 5)
    group = maplayers.tile_layer("local", local)
    html = folium.Map(tiles=None).add_child(group).get_root().render()
    assert "/app/static/tiles/{z}/{x}/{y}.jpg" in html
    assert maplayers.tile_layer("local", None) is None  # asked for, but there is no folder
