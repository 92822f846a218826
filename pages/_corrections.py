"""Editors' forms: move or drop a place, add a missed one, correct an event; admins delete an article.

Used by the Articles page and the map's panel. Every save goes through geo.teams.corrections, which checks the
role again (a form reached by a viewer's session still writes nothing), is kept when the article is
re-processed, and lands in the audit trail. Labels built from stored text go into widgets that show plain
text (selectbox options, captions via esc) and never into markdown unescaped.
"""

from __future__ import annotations

import re

import streamlit as st

from geo.gazetteer.display import with_gazetteer_name
from geo.teams import corrections
from geo.teams.auth import Action, PermissionDenied
from geo.maps.html import esc
from geo.store import Store
from geo.types import Article, Event, ResolvedMention
from pages._auth import current_user
from pages._shared import get_gazetteer

MAX_CANDIDATES = 25
MAX_OCCURRENCES = 50


def _one_line(value: object, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", "" if value is None else str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _saved(message: str) -> None:
    st.session_state["cm_saved"] = message
    st.rerun()


def show_saved() -> None:
    """The last save's confirmation (it survives the rerun that shows its effect)."""
    message = st.session_state.pop("cm_saved", None)
    if message:
        st.success(message)


def _guarded(action):
    """Run a save; a refusal or a bad value is shown, not raised."""
    try:
        action()
    except PermissionDenied as e:
        st.warning(f"Not allowed: {esc(e)}.")
        return False
    except (ValueError, KeyError) as e:
        st.error(f"Not saved: {esc(e)}")
        return False
    return True


def _search(query: str, exclude: tuple[float, float] | None = None) -> list:
    gaz = get_gazetteer()
    if gaz is None or not query.strip():
        return []
    found = gaz.candidates(query.strip()[:200])
    return [c for c in found if exclude is None or (c.lat, c.lon) != exclude][:MAX_CANDIDATES]


def _candidate_label(c) -> str:
    pop = f" · pop. {c.population:,}" if c.population else ""
    return f"{with_gazetteer_name(c.display_name, c.name)}, {c.country or '?'} · {c.feature}{pop} · {c.lat:.3f}, {c.lon:.3f}"


def place_fix(store: Store, article: Article, mentions: list[ResolvedMention], key: str) -> None:
    """Move a mention to another gazetteer entry (any name: search), or drop it as not a place."""
    if not mentions:
        st.caption("No place found in this article to correct.")
        return
    labels = [_one_line(f"{m.text} (at {m.start}) → {with_gazetteer_name(m.display_name, m.name)}, "
                        f"{m.country or '?'}") for m in mentions]  # "Tadmur (at 12) → Palmyra (Tadmur), SY"
    i = st.selectbox("Mention", range(len(mentions)), format_func=lambda k: labels[k], key=f"{key}_mention")
    m = mentions[i]
    query = st.text_input("Search the gazetteer", value=m.text, max_chars=200, key=f"{key}_query_{m.start}")
    cands = _search(query, exclude=(m.lat, m.lon))
    options = ["Not a place"] + [_candidate_label(c) for c in cands]
    j = st.selectbox("Should be", range(len(options)), format_func=lambda k: options[k], key=f"{key}_choice")
    if query.strip() and not cands:
        st.caption("No other gazetteer entry by that name.")
    if st.button("Save correction", key=f"{key}_save"):
        user = current_user()
        if j == 0:
            ok = _guarded(lambda: corrections.drop_place(store, user, article.id, m.start, m.end))
        else:
            ok = _guarded(lambda: corrections.set_place(store, user, article.id, m.start, m.end, cands[j - 1]))
        if ok:
            _saved("Saved for everyone; kept when the article is re-processed.")


def _occurrences(text: str, words: str) -> list[int]:
    if not words:
        return []
    return [mt.start() for mt in re.finditer(re.escape(words), text)][:MAX_OCCURRENCES]


def add_place(store: Store, article: Article, mentions: list[ResolvedMention], key: str) -> None:
    """A place the geoparser missed: the words as written in the text, then the gazetteer entry."""
    words = st.text_input("Words in the text that name the place", max_chars=200, key=f"{key}_words").strip()
    if not words:
        st.caption("Type the place's name exactly as the article writes it.")
        return
    starts = _occurrences(article.text, words)
    if not starts:
        st.caption("These words are not in the article (the case must match).")
        return
    taken = {(m.start, m.end) for m in mentions}

    def where(s: int) -> str:
        before, after = article.text[max(0, s - 30):s], article.text[s + len(words):s + len(words) + 30]
        marked = " (already a place)" if (s, s + len(words)) in taken else ""
        return _one_line(f"…{before}[{words}]{after}…{marked}", 90)

    k = st.selectbox("Which one", range(len(starts)), format_func=lambda n: where(starts[n]), key=f"{key}_where")
    query = st.text_input("Search the gazetteer", value=words, max_chars=200, key=f"{key}_addquery")
    cands = _search(query)
    if not cands:
        st.caption("No gazetteer entry by that name; try another spelling.")
        return
    options = [_candidate_label(c) for c in cands]
    j = st.selectbox("Place", range(len(options)), format_func=lambda n: options[n], key=f"{key}_addchoice")
    if st.button("Add place", key=f"{key}_add"):
        start = starts[k]
        if _guarded(lambda: corrections.set_place(store, current_user(), article.id, start, start + len(words),
                                                  cands[j])):
            _saved(f"Added {cands[j].display_name} for everyone; kept when the article is re-processed.")


def event_fix(store: Store, article: Article, events: list[Event], key: str) -> None:
    """Correct an event's type, sub-type, actors, modality, date and fatalities, or drop it."""
    if not events:
        st.caption("No event found in this article.")
        return
    labels = [_one_line(f"{e.subtype} · “{e.trigger}” (at {e.trigger_start})" + (f" at {e.place}" if e.place else ""))
              for e in events]
    i = st.selectbox("Event", range(len(events)), format_func=lambda k: labels[k], key=f"{key}_event")
    ev = events[i]
    k = f"{key}_{ev.trigger_start}"
    types = list(corrections.ACLED_TYPES)
    kind = st.selectbox("Type", types, index=types.index(ev.type) if ev.type in types else 0, key=f"{k}_type")
    subtypes = list(corrections.ACLED_TYPES[kind])
    sub = st.selectbox("Sub-type", subtypes, index=subtypes.index(ev.subtype) if ev.subtype in subtypes else 0,
                       key=f"{k}_sub_{kind}")
    c1, c2 = st.columns(2)
    actor1 = c1.text_input("Actor 1", value=ev.actor1 or "", max_chars=corrections.MAX_ACTOR, key=f"{k}_a1")
    actor2 = c2.text_input("Actor 2", value=ev.actor2 or "", max_chars=corrections.MAX_ACTOR, key=f"{k}_a2")
    modes = list(corrections.MODALITIES)
    modality = st.selectbox("Modality", modes, index=modes.index(ev.modality) if ev.modality in modes else 0,
                            key=f"{k}_mod")
    c3, c4 = st.columns(2)
    day = c3.text_input("Date (YYYY-MM-DD)", value=getattr(ev, "date", None) or "", max_chars=10, key=f"{k}_date")
    deaths = c4.text_input("Fatalities", value="" if getattr(ev, "fatalities", None) is None else str(ev.fatalities),
                           max_chars=7, key=f"{k}_fat")
    save, drop = st.columns(2)
    user = current_user()
    if save.button("Save event", key=f"{k}_save"):
        def write() -> None:
            if deaths.strip() and not deaths.strip().isdigit():
                raise ValueError("fatalities is a whole number >= 0")
            corrections.set_event(store, user, article.id, ev, type=kind, subtype=sub, actor1=actor1,
                                  actor2=actor2, modality=modality, date=day or None,
                                  fatalities=int(deaths) if deaths.strip() else None)

        if _guarded(write):
            _saved("Event saved for everyone; kept when the article's events are found again.")
    if drop.button("Not an event", key=f"{k}_drop"):
        if _guarded(lambda: corrections.drop_event(store, user, article.id, ev)):
            _saved("Event dropped for everyone; kept when the article's events are found again.")


def delete_article(store: Store, article: Article, key: str) -> bool:
    """Admins: delete the article for everyone, after a confirmation. True once deleted."""
    st.caption("Removes the article, its places and events for everyone; the audit trail keeps who did it.")
    sure = st.checkbox("Yes, delete this article", key=f"{key}_sure")
    if st.button("Delete article", type="primary", disabled=not sure, key=f"{key}_delete"):
        if _guarded(lambda: corrections.delete_articles(store, current_user(), [article.id])):
            st.session_state.pop(f"{key}_sure", None)
            return True
    return False


def editor_tools(store: Store, article: Article, mentions: list[ResolvedMention], events: list[Event],
                 key: str) -> None:
    """The editors' (and admins') tools for one article, each in its own expander."""
    user = current_user()
    if not user.can(Action.EDIT):
        return
    with st.expander("Correct a place"):
        place_fix(store, article, mentions, f"{key}_fix")
    with st.expander("Add a missed place"):
        add_place(store, article, mentions, f"{key}_add")
    with st.expander("Correct an event"):
        event_fix(store, article, events, f"{key}_ev")


def panel_tools(store: Store, rows, titles, key: str) -> None:
    """In the map's panel (editors): this place in one of its articles — move or drop it, correct its
    events — or a place that article names and the geoparser missed."""
    if not current_user().can(Action.EDIT) or rows is None or rows.empty:
        return
    show_saved()
    ids = list(dict.fromkeys(rows["article_id"].tolist()))[:500]
    with st.expander("Correct this place or its events"):
        i = st.selectbox("In the article", range(len(ids)), key=f"{key}_article",
                         format_func=lambda k: _one_line(titles.get(ids[k]) if ids[k] in titles.index else None)
                         or "(untitled)")
        article = store.article(ids[i])
        if article is None:
            st.caption("This article was deleted meanwhile.")
            return
        starts = set(rows.loc[rows["article_id"] == article.id, "start"].tolist())
        mentions = store.mentions(article.id)
        here = [m for m in mentions if m.start in starts]
        events = [e for e in store.events(article.id) if e.place_mention_start in starts]
        this, its_events, missed = st.tabs(["This place", "Its events", "A missed place"])
        with this:
            place_fix(store, article, here, f"{key}_fix")
        with its_events:
            event_fix(store, article, events, f"{key}_ev")
        with missed:
            add_place(store, article, mentions, f"{key}_add")
