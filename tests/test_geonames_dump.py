"""Building the index from GeoNames dump files: a small file in GeoNames' format written here."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from geo.config import ROOT
from geo.gazetteer import Gazetteer, build_index
from geo.gazetteer.geonames_dump import DumpError, dump_records, records_with_dumps
from geo.gazetteer.sources import GazetteerRecord


def row(gid, name, alts, lat, lon, fclass, fcode, cc, pop=0):
    cols = [str(gid), name, name, ",".join(alts), str(lat), str(lon), fclass, fcode, cc, "", "00", "", "", "",
            str(pop), "", "0", "Asia/Damascus", "2020-01-01"]
    return "\t".join(cols)


ROWS = [
    row(9000001, "Jibal al Qalamun", ["Qalamoun Mountains", "Qalamun"], 33.95, 36.6, "T", "MTS", "SY"),
    row(9000002, "Tiyas Air Base", ["T4 Airbase"], 34.5226, 37.6299, "S", "AIRB", "SY"),
    row(9000003, "Damascus-Homs Highway", ["M5"], 34.0, 36.7, "R", "RD", "SY"),
    row(170654, "Damascus", ["Dimashq"], 33.51, 36.29, "P", "PPLC", "SY", 1569394),
]


@pytest.fixture()
def dump(tmp_path):
    path = tmp_path / "SY.txt"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def test_feature_classes_map_to_product_features(dump):
    recs = {r.name: r for r in dump_records(dump)}
    assert recs["Jibal al Qalamun"].feature == "mountain"
    assert recs["Tiyas Air Base"].feature == "air base"
    assert recs["Damascus-Homs Highway"].feature == "road"
    assert recs["Damascus"].feature == "city" and recs["Damascus"].population == 1569394
    assert "Qalamun" in recs["Jibal al Qalamun"].alternates


def test_zip_dump_and_dedup_against_the_base(tmp_path, dump):
    zpath = tmp_path / "SY.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(dump, "SY.txt")
        zf.writestr("readme.txt", "not a table")
    base = [GazetteerRecord("Damascus", 33.51, 36.29, "city", "SY", 1569394, geonameid=170654)]
    build_index(records_with_dumps(base, [zpath]), tmp_path / "idx")
    g = Gazetteer(tmp_path / "idx")
    assert len(g) == 4  # Damascus once
    assert [c.feature for c in g.candidates("Qalamun")] == ["mountain"]


def test_bad_dumps_say_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tonly\tthree\n", encoding="utf-8")
    with pytest.raises(DumpError, match="line 1: 3 columns"):
        list(dump_records(bad))
    notzip = tmp_path / "XX.zip"
    notzip.write_bytes(b"nope")
    with pytest.raises(DumpError, match="not a zip"):
        list(dump_records(notzip))


def test_cli_rejects_a_missing_dump(tmp_path):
    res = subprocess.run([sys.executable, "-m", "geo", "gazetteer", "build", str(tmp_path / "none.zip"),
                          "--out", str(tmp_path / "idx")], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 2 and "no such file" in res.stderr
