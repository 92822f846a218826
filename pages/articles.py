"""Articles page: the articles that pass the sidebar's filters; one of them with its places marked.

?read=<id> opens an article. Article text is escaped before any markup is added (geo.maps.view.esc),
so st.markdown(unsafe_allow_html=True) only ever sees our own tags. From an article, its places open
on the map (one place selected, or all of the article's places). Editors correct places and events
and add missed places below the article; admins delete it (pages/_corrections.py).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from geo.gazetteer.display import with_gazetteer_name
from geo.teams.auth import Action
from geo.maps.base import FOCUS_ZOOM
from geo.maps.html import esc, mark_spans, safe_href
from pages._auth import current_user
from pages._corrections import delete_article, editor_tools, show_saved
from pages._panel import PANEL_STYLE, event_line
from pages._shared import (
    ADD_PAGE,
    MAP_PAGE,
    current_state,
    ensure_dashboard,
    filtered,
    get_map_data,
    get_store,
    page_link_params,
)

PAGE_SIZE = 50

ensure_dashboard()
store = get_store()
data = get_map_data(store)
state = current_state()



def show() -> None:
    """The filtered articles, a page at a time, and the chosen one with its places."""
    view = filtered(data, state)
    ids = view.article_ids
    wanted = st.query_params.get("read")
    if wanted is not None and wanted not in data.articles.index:
        wanted = None
    place_counts = view.frame.groupby("article_id", sort=False)["place_id"].nunique()
    pages = max(1, math.ceil(len(ids) / PAGE_SIZE))
    top, right = st.columns([4, 1], vertical_alignment="bottom")
    top.caption(f"{len(ids):,} of {len(data.articles):,} articles pass the filters, newest first.")
    page = right.number_input("Page", 1, pages, 1, key="articles_page") if pages > 1 else 1
    shown = ids[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    meta = data.articles.loc[shown]
    st.dataframe(
        pd.DataFrame({
            "Title": meta["title"].fillna("(untitled)").to_numpy(),
            "Source": meta["source"].to_numpy(),
            "Date": meta["day"].dt.date.to_numpy(),
            "Places": [int(place_counts.get(i, 0)) for i in shown],
        }),
        hide_index=True,
        height=min(38 + 35 * len(shown), 300),
    )

    choices = list(shown)
    if wanted and wanted not in choices:
        choices.insert(0, wanted)
    if not choices:
        st.info("No article passes the filters.")
        return
    by_id = data.articles
    chosen = st.selectbox(
        "Read an article",
        choices,
        index=choices.index(wanted) if wanted in choices else 0,
        format_func=lambda i: " · ".join(
            str(x) for x in (by_id.at[i, "title"] or "(untitled)", by_id.at[i, "source"], by_id.at[i, "published"])
            if isinstance(x, str) and x),
        key="article_choice",
    )
    if st.query_params.get("read") != chosen:
        st.query_params["read"] = chosen

    article = store.article(chosen)
    mentions = store.mentions(chosen)
    events = store.events(chosen)
    href = safe_href(article.url)
    meta_line = " · ".join(x for x in (esc(article.source), esc(article.published),
                                       esc(f"language: {article.language}") if article.language else "") if x)
    link = f' · <a href="{href}" target="_blank" rel="noopener noreferrer">original</a>' if href else ""
    st.markdown(f"<h3 dir=\"auto\">{esc(article.title) or '(untitled)'}</h3><p><small>{meta_line}{link}</small></p>",
                unsafe_allow_html=True)

    text_col, places_col = st.columns([3, 1])
    with text_col:
        spans = [(m.start, m.end, f"{with_gazetteer_name(m.display_name, m.name)} · {m.feature}") for m in mentions]
        st.markdown(mark_spans(article.text, spans), unsafe_allow_html=True)
        events_section(article.text, events, mentions)
    with places_col:
        st.markdown("**Places on the map**")
        if mentions:
            st.page_link(MAP_PAGE, label="All its places", icon=":material/map:",
                         query_params=page_link_params(state, article=chosen, center=None, zoom=None, selected=None,
                                                       selected_at=None, selected_kind=None))
        seen: set[tuple] = set()
        for m in mentions:
            key = (m.name, round(m.lat, 5), round(m.lon, 5))
            if key in seen:
                continue
            seen.add(key)
            st.page_link(
                MAP_PAGE,
                label=f"{with_gazetteer_name(m.display_name, m.name)} · {m.feature}",  # Palmyra (Tadmur) · city
                icon=":material/location_on:",
                query_params=page_link_params(state, selected=m.display_name, selected_at=(m.lat, m.lon),
                                              selected_kind=None, center=(round(m.lat, 4), round(m.lon, 4)),
                                              zoom=FOCUS_ZOOM),
            )
        if not seen:
            st.caption("No places found in this article.")
    editor_tools(store, article, mentions, events, key="art")
    if current_user().can(Action.DELETE):
        with st.expander("Delete this article"):
            if delete_article(store, article, key=f"art_del_{chosen}"):
                st.query_params.pop("read", None)
                st.session_state.pop("article_choice", None)
                st.session_state["cm_saved"] = "Article deleted for everyone."
                st.rerun()


def events_section(text: str, events: list, mentions: list = ()) -> None:
    """What the article reports happened, each with its sentence as evidence (escaped); its place by the display
    name (Palmyra), the gazetteer's (Tadmur, from the event's mention) beside it where the two differ."""
    gazetteer_names = {m.start: m.name for m in mentions}
    st.markdown(f"**Events** ({len(events)})" if events else "**Events**")
    if not events:
        st.caption("No event (ACLED type) found in this article.")
        return
    rows = []
    for ev in events:
        where = f" at <b>{esc(ev.place)}</b>" if ev.place else " <span class='cm-meta'>(no place)</span>"
        gazetteer_name = gazetteer_names.get(ev.place_mention_start)
        if ev.place and gazetteer_name and gazetteer_name != ev.place:
            where += f" <span class='cm-meta' title='the gazetteer&#39;s name'>({esc(gazetteer_name)})</span>"
        evidence = esc(text[ev.evidence_start:ev.evidence_end].strip())
        rows.append(f"<div style='margin:.3rem 0'>{event_line(ev)}{where}"
                    f"<div class='cm-quote'>“{evidence}”</div></div>")
    st.markdown(PANEL_STYLE + f"<div class='cm-panel'>{''.join(rows)}</div>", unsafe_allow_html=True)


st.header("Articles")
show_saved()
if data.articles.empty:
    st.info("No articles stored yet.")
    if current_user().can(Action.INGEST):  # a viewer's navigation has no Add article page
        st.page_link(ADD_PAGE, label="Add an article", icon=":material/add_circle:")
else:
    show()
