"""The command line contract (`python -m geo geoparse`), through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from geo.config import ROOT


def run(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_seed_article_passes_the_reference_check(shared, tmp_path):
    out = tmp_path / "seed.jsonl"
    res = run("geoparse", str(shared / "seed" / "sputnik_palmyra_2017.txt"), "-o", str(out))
    assert res.returncode == 0, res.stderr
    check = subprocess.run([sys.executable, str(shared / "eval" / "check_seed.py"), str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_jsonl_on_stdin_keeps_order_ids_and_offsets():
    docs = [{"id": "b", "text": "Shelling hit Homs."}, {"id": "a", "text": ""}, {"id": 3, "text": "Rain in Aleppo, Syria."}]
    res = run("geoparse", "-", stdin="\n".join(json.dumps(d) for d in docs) + "\n")
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["b", "a", 3]
    assert lines[1]["mentions"] == []
    for doc, line in zip(docs, lines):
        for m in line["mentions"]:
            assert doc["text"][m["start"]:m["end"]] == m["text"]
            assert set(m) >= {"start", "end", "text", "name", "lat", "lon", "geonameid", "country", "feature", "score"}
    assert [m["text"] for m in lines[2]["mentions"]] == ["Aleppo", "Syria"]


def test_html_file_writes_the_extracted_text(tmp_path):
    page = tmp_path / "report.html"
    page.write_text("<html><head><title>Report</title><script>var x=1;</script></head><body><nav>Home</nav>"
                    "<article><h1>Report</h1><p>Shelling hit the outskirts of Idlib on Monday, residents said, "
                    "and families fled towards the Turkish border near Bab al-Hawa.</p></article></body></html>",
                    encoding="utf-8")
    res = run("geoparse", str(page))
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout)
    assert rec["id"] == "report"
    assert "var x" not in rec["text"]
    assert any(rec["text"][m["start"]:m["end"]] == "Idlib" for m in rec["mentions"])


def test_errors_are_clear_and_non_zero(tmp_path):
    res = run("geoparse", str(tmp_path / "missing.txt"))
    assert res.returncode != 0 and "no such file" in res.stderr
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    res = run("geoparse", str(binary))
    assert res.returncode != 0 and "binary" in res.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "ok"}\n{not json\n', encoding="utf-8")
    res = run("geoparse", str(bad))
    assert res.returncode != 0 and "line 2" in res.stderr
    assert "Traceback" not in res.stderr


def test_help_everywhere():
    for args in (["--help"], ["geoparse", "--help"], ["ingest", "--help"], ["gazetteer", "build", "--help"]):
        res = run(*args)
        assert res.returncode == 0 and "usage" in res.stdout.lower()


def test_ingest_stores_each_article_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Clashes were reported near Raqqa on Sunday.", encoding="utf-8")
    (folder / "two.txt").write_text("Clashes were reported near Raqqa on Sunday.", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    res = run("ingest", str(folder), "--db", db)
    assert res.returncode == 0, res.stderr
    assert "1 added, 1 already stored" in res.stderr
    from geo.store import Store

    store = Store(db)
    assert store.counts()["articles"] == 1
    assert [m.text for m in store.mentions(store.articles()[0].id)] == ["Raqqa"]
    # The map's frames are kept beside the store for the next server start, as the store now is.
    from geo.store import snapshot

    assert "map snapshot up to date" in res.stderr
    kept = snapshot.current(store, snapshot.folder_for(db, tmp_path / "cache"))
    assert kept.saved and list(kept.data.mentions["gazetteer_name"]) == ["Ar Raqqah"]
    assert list(kept.data.mentions["name"]) == ["Raqqa"]


def test_events_flag_adds_typed_events_with_evidence_offsets():
    text = "Russian jets struck rebel positions near Idlib. The army plans to attack Hama."
    res = run("geoparse", "--events", "-", stdin=json.dumps({"id": 1, "text": text}) + "\n")
    assert res.returncode == 0, res.stderr
    events = json.loads(res.stdout)["events"]
    assert [(e["type"], e["modality"]) for e in events] == [("Explosions/Remote violence", "fact"), ("Battles", "intent")]
    first = events[0]
    assert text[first["evidence_start"]:first["evidence_end"]].startswith("Russian jets struck")
    assert text[first["place_mention_start"]:].startswith("Idlib")
