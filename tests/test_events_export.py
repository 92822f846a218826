"""Events with their ACLED fields in the store and in `python -m geo export --events --format csv`."""

import csv
import io
import json

from geo.cli import main
from geo.store import Store


def test_events_are_stored_with_their_fields_and_exported_with_acled_columns(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "published": "2021-03-10", "text": (
        "On Monday, gunmen attacked Maiduguri, killing 7 traders. Protesters gathered in Kano.")}) + "\n"
        + json.dumps({"id": "b", "text": "Unknown gunmen abducted two aid workers, officials said."}) + "\n")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert main(["ingest", "--db", url, str(src)]) == 0
    store = Store(url)
    events = [ev for a in store.articles() for ev in store.events(a.id)]
    attack = next(ev for ev in events if ev.type == "Violence against civilians" and ev.fatalities == 7)
    assert attack.date == "2021-03-08" and attack.country == "NG" and attack.interaction == 37
    out = tmp_path / "events.csv"
    assert main(["export", "--events", "--format", "csv", "-o", str(out), "--db", url]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {"event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
            "interaction", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
            "fatalities", "notes"} <= set(rows[0])
    kano = next(r for r in rows if r["location"] == "Kano")
    assert (kano["event_type"], kano["actor1"], kano["fatalities"], kano["event_date"]) == (
        "Protests", "Protesters (Nigeria)", "0", "2021-03-08")
    placeless = [r for r in rows if r["has_location"] == "0"]
    assert placeless and placeless[0]["event_type"] == "Violence against civilians" and placeless[0]["latitude"] == ""


def test_geoparse_reads_published_and_dates_events(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x", "published": "2020-05-06",
                               "text": "Militants attacked an army base in Gao overnight."}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["geoparse", str(src), "--events", "-o", str(out)]) == 0
    rec = json.loads(out.read_text())
    ev = rec["events"][0]
    assert ev["date"] == "2020-05-06" and rec["date"] == "2020-05-06"  # the night ending that day
    assert {"fatalities", "assoc_actor1", "assoc_actor2", "admin1", "geo_precision"} <= set(ev)
