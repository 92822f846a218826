"""Editors correct places and events and add missed places on the Articles page and in the map's panel;
admins delete articles. Saved, audited, shown to everyone."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.teams.auth import Role, User
from geo.store import Store
from geo.types import Article, Event

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Shelling hit Homs on Monday, and clashes continued near Palmyra. Talks in Qamishli stalled."


def _app(user: User | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if user is not None:
        at.session_state["cm_user"] = user
    return at


def _by_key(widgets, key):
    return next(w for w in widgets if w.key == key)


@pytest.fixture()
def stored(dashboard_store, geoparser):
    article = Article(text=TEXT, title="report")
    mentions = [m for m in geoparser.parse(article.text) if m.text != "Qamishli"]  # one place "missed"
    start = TEXT.index("Shelling")
    event = Event(type="Explosions/Remote violence", subtype="Shelling/artillery/missile attack", actor1=None,
                  actor2=None, place_mention_start=TEXT.index("Homs"), place="Homs", precision=1, evidence_start=0,
                  evidence_end=TEXT.index(",") + 1, modality="fact", trigger="Shelling", trigger_start=start)
    Store(dashboard_store).add(article, mentions, [event])
    return dashboard_store, article


def _articles(at: AppTest) -> AppTest:
    at.run()
    at.switch_page("pages/articles.py").run()
    assert not at.exception
    return at


def test_editor_drops_a_false_place(stored):
    url, article = stored
    at = _articles(_app())
    _by_key(at.selectbox, "art_fix_mention").select(0).run()  # Homs
    _by_key(at.selectbox, "art_fix_choice").select(0).run()  # Not a place
    _by_key(at.button, "art_fix_save").click().run()
    assert not at.exception
    store = Store(url)
    assert [m.text for m in store.mentions(article.id)] == ["Palmyra"]
    assert any("Saved for everyone" in s.value for s in at.success)
    assert (store.audit_log()["action"] == "edit").any()


def test_editor_adds_a_missed_place_found_in_the_gazetteer(stored):
    url, article = stored
    at = _articles(_app())
    _by_key(at.text_input, "art_add_words").input("Qamishli").run()
    assert _by_key(at.selectbox, "art_add_addchoice").options  # gazetteer entries named Qamishli
    _by_key(at.button, "art_add_add").click().run()
    assert not at.exception
    mentions = Store(url).mentions(article.id)
    added = next(m for m in mentions if m.text == "Qamishli")
    assert added.country == "SY" and added.source == "analyst" and added.start == TEXT.index("Qamishli")
    log = Store(url).audit_log()
    assert any("added a missed place" in str(d) for d in log["detail"])


def test_words_not_in_the_text_add_nothing(stored):
    url, article = stored
    at = _articles(_app())
    _by_key(at.text_input, "art_add_words").input("Atlantis](http://evil.example)").run()
    assert not at.exception
    assert any("not in the article" in c.value for c in at.caption)
    assert len(Store(url).mentions(article.id)) == 2


def test_editor_corrects_an_event(stored):
    url, article = stored
    at = _articles(_app(User("ed", Role.EDITOR)))
    k = f"art_ev_{TEXT.index('Shelling')}"
    _by_key(at.selectbox, f"{k}_type").select("Battles").run()
    _by_key(at.selectbox, f"{k}_sub_Battles").select("Armed clash").run()
    _by_key(at.text_input, f"{k}_a1").input("Military Forces of Syria").run()
    _by_key(at.selectbox, f"{k}_mod").select("intent").run()
    _by_key(at.text_input, f"{k}_fat").input("3").run()
    _by_key(at.button, f"{k}_save").click().run()
    assert not at.exception
    [ev] = Store(url).events(article.id)
    assert (ev.type, ev.subtype, ev.actor1, ev.modality, ev.place) == (
        "Battles", "Armed clash", "Military Forces of Syria", "intent", "Homs")
    assert ev.fatalities == 3
    log = Store(url).audit_log()
    row = log[log["action"] == "edit event"].iloc[0]
    assert row["user"] == "ed" and "Armed clash" in row["detail"]


def test_bad_fatalities_are_refused_with_a_message(stored):
    url, article = stored
    at = _articles(_app(User("ed", Role.EDITOR)))
    k = f"art_ev_{TEXT.index('Shelling')}"
    _by_key(at.text_input, f"{k}_fat").input("-4").run()
    _by_key(at.button, f"{k}_save").click().run()
    assert not at.exception and any("Not saved" in e.value for e in at.error)
    assert Store(url).events(article.id)[0].subtype == "Shelling/artillery/missile attack"


def test_viewer_sees_no_editing_and_editor_no_delete(stored):
    at = _articles(_app(User("vera", Role.VIEWER)))
    assert not [w for w in at.selectbox if (w.key or "").startswith("art_")]
    assert not at.expander or all(e.label != "Delete this article" for e in at.expander)
    at = _articles(_app(User("ed", Role.EDITOR)))
    assert any(e.label == "Correct an event" for e in at.expander)
    assert all(e.label != "Delete this article" for e in at.expander)


def test_admin_deletes_after_confirming(stored):
    url, article = stored
    at = _articles(_app(User("root", Role.ADMIN)))
    key = f"art_del_{article.id}"
    button = _by_key(at.button, f"{key}_delete")
    assert button.disabled  # not before the box is ticked
    _by_key(at.checkbox, f"{key}_sure").check().run()
    _by_key(at.button, f"{key}_delete").click().run()
    assert not at.exception
    assert not Store(url).has(article.id)
    assert any("Article deleted" in s.value for s in at.success)
    assert any("No articles stored yet" in i.value for i in at.info)
    log = Store(url).audit_log()
    assert ((log["action"] == "delete") & (log["user"] == "root")).any()


def _panel_on_homs(url, user: User) -> AppTest:
    homs = next(m for m in Store(url).mentions(next(iter(Store(url).article_index()))["id"]) if m.text == "Homs")
    at = _app(user)
    at.query_params["selected"] = homs.name
    at.query_params["selected_at"] = f"{homs.lat:.5f},{homs.lon:.5f}"
    at.run()
    assert not at.exception
    return at


def test_editor_corrects_from_the_maps_panel(stored):
    url, article = stored
    at = _panel_on_homs(url, User("ed", Role.EDITOR))
    assert any(e.label == "Correct this place or its events" for e in at.expander)
    k = f"panel_ev_{TEXT.index('Shelling')}"
    _by_key(at.selectbox, f"{k}_mod").select("negated").run()
    _by_key(at.button, f"{k}_save").click().run()
    assert not at.exception
    assert Store(url).events(article.id)[0].modality == "negated"
    at = _panel_on_homs(url, User("ed", Role.EDITOR))
    _by_key(at.selectbox, "panel_fix_choice").select(0).run()  # Homs here is not a place
    _by_key(at.button, "panel_fix_save").click().run()
    assert not at.exception
    assert [m.text for m in Store(url).mentions(article.id)] == ["Palmyra"]


def test_viewer_has_no_corrections_in_the_panel(stored):
    url, _ = stored
    at = _panel_on_homs(url, User("vera", Role.VIEWER))
    assert all(e.label != "Correct this place or its events" for e in at.expander)
    assert not [w for w in at.button if (w.key or "").startswith("panel_fix")]
