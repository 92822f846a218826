"""Analysts' corrections survive re-processing, are seen by everyone, and land in the audit trail."""

from __future__ import annotations

from geo.store import Store
from geo.types import Article, ResolvedMention

from tests.test_store_backends import store_url  # noqa: F401 (the sqlite + postgis fixture)

TEXT = "Clashes near Palmyra. Later, Mason said the road to Homs was cut."


def mention(text, surface, name, lat, lon, country="SY"):
    start = text.index(surface)
    return ResolvedMention(start=start, end=start + len(surface), text=surface, name=name, lat=lat, lon=lon,
                           feature="city", country=country, score=0.6)


def parsed():
    return [mention(TEXT, "Palmyra", "Palmyra", 43.06, -77.23, "US"),  # the wrong Palmyra
            mention(TEXT, "Mason", "Mason", 39.36, -84.31, "US"),  # a person, not a place
            mention(TEXT, "Homs", "Homs", 34.72, 36.73)]


def test_corrections_apply_and_survive_reprocessing(store_url):  # noqa: F811
    store = Store(store_url)
    article = Article(text=TEXT, title="t")
    assert store.add(article, parsed(), user="alice")
    tadmur = mention(TEXT, "Palmyra", "Tadmur", 34.56, 38.28)
    store.correct(article.id, tadmur.start, tadmur.end, user="alice", place=tadmur)
    m = mention(TEXT, "Mason", "Mason", 0, 0)
    store.correct(article.id, m.start, m.end, user="bob")

    def state(s):
        return [(x.text, x.name, x.country) for x in s.mentions(article.id)]

    expected = [("Palmyra", "Tadmur", "SY"), ("Homs", "Homs", "SY")]
    assert state(store) == expected
    assert state(Store(store_url)) == expected  # another analyst's session sees the same
    store.reprocess(article.id, parsed(), user="system")  # the geoparser makes the same mistakes again
    assert state(store) == expected
    log = store.audit_log()
    assert list(log["action"])[:2] == ["reprocess", "edit"]
    assert {"alice", "bob", "system"} <= set(log["user"])
    assert store.corrections(article.id)[0]["user"] == "alice"


def test_delete_is_audited(store_url):  # noqa: F811
    store = Store(store_url)
    article = Article(text="Shelling near Hama.", title="x")
    store.add(article, [], user="alice")
    assert store.delete(article.id, user="root")
    log = store.audit_log()
    assert (log["action"] == "delete").any() and (log["user"] == "root").any()


def test_cli_list_prints_one_line_per_article_id_first_and_delete_audits(tmp_path, capsys):
    from geo.cli import main

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store = Store(url)
    a = Article(text="Shelling near Hama.", title="Hama report", source="wire")
    b = Article(text="Clashes in Idlib.", title=None)
    store.add(a, [], user="alice")
    store.add(b, [], user="alice")
    with store.writer.begin() as conn:  # a title stored before titles were checked: escape codes, a newline
        conn.exec_driver_sql("UPDATE articles SET title = ? WHERE id = ?", ("Hama\nreport\x1b[31m", a.id))
    assert main(["list", "--db", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and {line.split("\t")[0] for line in lines} == {a.id, b.id}
    assert all("\x1b" not in line for line in lines) and any("Hama\ufffdreport" in line for line in lines)
    assert main(["delete", "--db", url, "--yes", "--user", "root", a.id[:10]]) == 0
    assert capsys.readouterr().out.strip() == f"deleted {a.id}"
    assert not store.has(a.id) and store.has(b.id)
    log = store.audit_log()
    assert ((log["action"] == "delete") & (log["user"] == "root") & (log["target"] == a.id)).any()
    assert main(["delete", "--db", url, "--yes", "nosuchid"]) == 2  # an unknown id deletes nothing
    assert main(["delete", "--db", url, "--yes", "%"]) == 2  # no wildcard prefixes
    assert main(["delete", "--db", url, b.id]) == 2  # not on a terminal: needs --yes
    assert store.has(b.id)


EVENT_TEXT = "Rebels shelled Homs on Monday. Officials said talks in Geneva would resume."


def _event(**changes):
    from dataclasses import replace

    from geo.types import Event

    start = EVENT_TEXT.index("shelled")
    ev = Event(type="Explosions/Remote violence", subtype="Shelling/artillery/missile attack", actor1="Rebels",
               actor2=None, place_mention_start=EVENT_TEXT.index("Homs"), place="Homs", precision=1,
               evidence_start=0, evidence_end=EVENT_TEXT.index(".") + 1, modality="fact", trigger="shelled",
               trigger_start=start)
    return replace(ev, **changes)


def test_an_added_place_and_an_edited_event_survive_reprocessing(store_url):  # noqa: F811
    store = Store(store_url)
    article = Article(text=EVENT_TEXT, title="t")
    homs = mention(EVENT_TEXT, "Homs", "Homs", 34.72, 36.73)
    store.add(article, [homs], [_event()], user="alice")
    # The geoparser missed Geneva: an editor adds it.
    geneva = mention(EVENT_TEXT, "Geneva", "Geneva", 46.20, 6.14, "CH")
    store.correct(article.id, geneva.start, geneva.end, user="ed", place=geneva)
    # ... and the event's actor and type were wrong.
    fixed = _event(type="Battles", subtype="Armed clash", actor1="Military Forces of Syria", actor2="Rebels",
                   modality="intent")
    store.correct_event(article.id, fixed.trigger_start, user="ed", event=fixed)

    def state(s):
        return ([(m.text, m.name) for m in s.mentions(article.id)],
                [(e.type, e.subtype, e.actor1, e.actor2, e.modality, e.place) for e in s.events(article.id)])

    expected = ([("Homs", "Homs"), ("Geneva", "Geneva")],
                [("Battles", "Armed clash", "Military Forces of Syria", "Rebels", "intent", "Homs")])
    assert state(store) == expected
    store.reprocess(article.id, [homs], [_event()], user="system")  # the same mistakes again
    assert state(Store(store_url)) == expected
    store.set_events(article.id, [_event()])  # `python -m geo events` after a lexicon change
    assert state(store) == expected
    log = store.audit_log()
    assert {"edit", "edit event"} <= set(log["action"])
    assert any("added a missed place: Geneva" in str(d) for d in log["detail"])
    assert store.event_corrections(article.id)[0]["user"] == "ed"


def test_a_dropped_event_stays_dropped_and_bad_corrections_are_refused(store_url):  # noqa: F811
    import pytest

    store = Store(store_url)
    article = Article(text=EVENT_TEXT, title="t")
    store.add(article, [], [_event()])
    store.correct_event(article.id, _event().trigger_start, user="ed", event=None)
    assert store.events(article.id) == []
    store.reprocess(article.id, [], [_event()])
    assert store.events(article.id) == []
    with pytest.raises(ValueError):
        store.correct_event(article.id, 3, user="ed", event=_event())  # another trigger
    with pytest.raises(ValueError):
        store.correct_event(article.id, _event().trigger_start, user="ed", event=_event(evidence_end=10**6))
    with pytest.raises(ValueError):
        store.correct_event(article.id, _event().trigger_start, user="ed", event=_event(type=" "))
    with pytest.raises(KeyError):
        store.correct_event("nope", 0, user="ed", event=None)
    bad = mention(EVENT_TEXT, "Geneva", "Geneva", 46.2, 6.14)
    for start, end in ((-1, 3), (5, 5), (0, 10**6)):
        with pytest.raises(ValueError):
            store.correct(article.id, start, end, user="ed", place=bad)
    with pytest.raises(ValueError):
        store.correct(article.id, bad.start, bad.end, user="ed", place=mention(EVENT_TEXT, "Geneva", "x", 91, 0))


def test_an_events_date_and_fatalities_are_corrected_and_kept(store_url):  # noqa: F811
    from geo.teams import corrections
    from geo.teams.auth import Role, User

    store = Store(store_url)
    article = Article(text=EVENT_TEXT, title="t")
    store.add(article, [], [_event(date="2024-03-04", fatalities=None)])
    corrections.set_event(store, User("ed", Role.EDITOR), article.id, store.events(article.id)[0],
                          date="2024-03-05", fatalities=4)
    store.reprocess(article.id, [], [_event(date="2024-03-04", fatalities=None)])
    [ev] = store.events(article.id)
    assert (ev.date, ev.fatalities) == ("2024-03-05", 4)
    assert any("2024-03-05" in str(d) and "4 killed" in str(d) for d in store.audit_log()["detail"])
