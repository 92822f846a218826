"""The panel beside the map: what the articles say about the selected place or air base.

Article text is escaped before any markup is added (geo.maps.html: esc, highlight, mark_spans), and
links are only made from plain http(s) URLs (safe_href); tables show text, never HTML.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.maps.html import esc, highlight, safe_href
from geo.maps.legend import event_symbol_svg
from geo.store import frames as mapdata
from geo.types import Event
from geo.view.state import MapState
from pages._corrections import panel_tools
from pages._shared import (
    ARTICLES_PAGE,
    MAP_PAGE,
    all_places,
    get_airbases,
    get_joiner,
    get_store,
    page_link_params,
    set_state,
    shared,
)

PAGE_SIZE = 8
MODALITY_WORDS = {"fact": "happened", "negated": "denied", "intent": "planned", "threat": "threatened",
                  "possibility": "possible"}

PANEL_STYLE = "<style>" + (Path(__file__).with_name("css") / "panel.css").read_text(encoding="utf-8") + "</style>"


# ---------------------------------------------------------------------------------------- events


def glyph(event: Event | None) -> str:
    """The map's symbol for an event (shape and colour by type, hollow when it is not a fact)."""
    if event is None:
        return event_symbol_svg(None)
    return event_symbol_svg(event.type, fact=event.modality == "fact")


def event_line(event: Event) -> str:
    who = " vs ".join(esc(a) for a in (event.actor1, event.actor2) if a)
    modality = MODALITY_WORDS.get(event.modality, event.modality)
    return (f"{glyph(event)}<b>{esc(event.subtype)}</b> <span class='cm-meta'>({esc(event.type)}; {esc(modality)}"
            f"{'; ' + who if who else ''}; trigger “{esc(event.trigger)}”)</span>")


# ---------------------------------------------------------------------------------------- pieces


def article_banner(state: MapState, data: mapdata.MapData) -> None:
    """When the map shows one article's places (a link from the Articles page), say which."""
    if not state.article:
        return
    title = data.articles["title"].get(state.article) if state.article in data.articles.index else None
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.markdown(f"Showing the places named in <b>{esc(title) or '(untitled)'}</b>.", unsafe_allow_html=True)
    c2.page_link(ARTICLES_PAGE, label="Read it", icon=":material/article:", query_params={"read": state.article})


def _nearby(lat: float, lon: float, name: str | None) -> None:
    joiner = get_joiner()
    if joiner is None:
        return
    found = _nearby_cached(round(lat, 5), round(lon, 5), name or "")
    if not found:
        st.caption("Nothing of note within the join radii.")
        return
    rows = []
    for n in found:
        what = n["layer"]
        if n.get("schematic"):
            what += " (schematic)"
        rows.append({"What": what, "Name": n["name"], "km": n["distance_km"]})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"km": st.column_config.NumberColumn("km", format="%.1f")})


@st.cache_data(show_spinner=False, max_entries=2000)
def _nearby_cached(lat: float, lon: float, name: str) -> list[dict]:
    return get_joiner().nearby(lat, lon, exclude_name=name or None)


def _article_links_table(rows: pd.DataFrame, data: mapdata.MapData, extra: pd.DataFrame | None = None) -> None:
    """Every article of `rows` (one line each) as a table with links that open the source."""
    ids = rows["article_id"].unique()
    meta = data.articles.loc[ids, ["title", "source", "day", "url"]]
    table = pd.DataFrame({
        "Headline": meta["title"].fillna("(untitled)").to_numpy(),
        "Source": meta["source"].to_numpy(),
        "Date": meta["day"].dt.date.to_numpy(),
        "Link": [u if safe_href(u) else None for u in meta["url"]],
    })
    if extra is not None:
        table = pd.concat([table, extra.reset_index(drop=True)], axis=1)
    st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 280),
                 column_config={"Link": st.column_config.LinkColumn("Link", display_text="open")})


def _page(key: str, total: int) -> int:
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if pages == 1:
        return 0
    page = st.number_input(f"Page (of {pages}, newest first)", 1, pages, 1, key=key)
    return int(page) - 1


def _articles_with_context(rows: pd.DataFrame, data: mapdata.MapData, *, key: str) -> None:
    """A page of the articles in `rows`: headline link, source, date, sentences marked, their events."""
    ids = rows["article_id"].unique().tolist()
    first = _page(key, len(ids)) * PAGE_SIZE
    shown = ids[first:first + PAGE_SIZE]
    # The same cards for every session showing these rows of this version of the store: made once.
    rows_id = hashlib.blake2b(rows.index.to_numpy().tobytes(), digest_size=16).digest()
    cards = shared(("article cards", data.version, rows_id, tuple(shown)), lambda: _article_cards(rows, data, shown))
    for article_id, card in cards:
        with st.container(border=True):
            st.markdown(card, unsafe_allow_html=True)
            st.page_link(ARTICLES_PAGE, label="Read the article", icon=":material/article:",
                         query_params={"read": article_id})


def _article_cards(rows: pd.DataFrame, data: mapdata.MapData, shown: list) -> list[tuple[str, str]]:
    """(article id, card HTML) of the articles `shown`: headline, source, date, sentences, events."""
    store = get_store()
    texts = mapdata.article_texts(store, shown)
    events = {article_id: store.events(article_id) for article_id in shown}  # stored at ingest
    by_article = rows.groupby("article_id", sort=False, observed=True).indices
    slim = rows[["start", "end", "text"]]  # what a card reads of its mentions: cheaper rows to take
    cards = []
    for article_id in shown:
        a = data.articles.loc[article_id]
        mine = slim.iloc[by_article[article_id]]
        href = safe_href(a["url"])
        title = esc(a["title"]) or "(untitled)"
        headline = f'<a href="{href}" target="_blank" rel="noopener noreferrer">{title}</a>' if href else title
        meta = " · ".join(x for x in (esc(a["source"]), esc(str(a["day"])[:10])) if x)
        text = texts.get(article_id, "")
        quotes = "".join(f'<div class="cm-quote">“{highlight(s, t)}”</div>' for s, t in mapdata.sentences(text, mine))
        starts = set(mine["start"].tolist())
        own = [e for e in events.get(article_id, []) if e.place_mention_start in starts]
        happened = "".join(f"<div>{event_line(e)}</div>" for e in own) or \
            f"<div>{glyph(None)}<span class='cm-meta'>mentioned, no event found</span></div>"
        cards.append((article_id, f'<div class="cm-panel"><b>{headline}</b><br><span class="cm-meta">{meta}</span>'
                                  f"{quotes}{happened}</div>"))
    return cards


# ---------------------------------------------------------------------------------------- panels


def place_panel(state: MapState, view, data: mapdata.MapData) -> None:
    lat, lon = state.selected_at
    row = mapdata.nearest_place(view.places, lat, lon, name=state.selected)
    rows = view.frame
    note = ""
    if row is None:
        row = mapdata.nearest_place(all_places(data), lat, lon, name=state.selected)
        rows = data.mentions
        note = "No article that passes the filters names this place; these are all the articles that do."
    if row is None:
        st.warning(f"{esc(state.selected) or 'This place'} is not in the store.")  # from the URL: shown as text
        if st.button("Clear the selection", key="panel_clear"):
            set_state(state.with_(selected=None, selected_at=None, selected_kind=None))
            st.rerun()
        return
    rows = rows[rows["place_id"] == row["place_id"]]
    st.markdown(PANEL_STYLE, unsafe_allow_html=True)
    head, close = st.columns([5, 1], vertical_alignment="center")
    country = f" · {esc(row['country'])}" if isinstance(row["country"], str) else ""
    written = written_as(rows, str(row["name"]))
    aka = f"<br><span class='cm-meta'>named {written} in the articles</span>" if written else ""
    head.markdown(f"<h4 style='margin:0'>{esc(row['name'])}</h4>{gazetteer_line(row)}<span class='cm-meta'>"
                  f"{esc(row['feature'])}{country} · {row['lat']:.4f}, {row['lon']:.4f}</span>{aka}",
                  unsafe_allow_html=True)
    if close.button("✕", key="panel_close", help="Clear the selection"):
        set_state(state.with_(selected=None, selected_at=None, selected_kind=None))
        st.rerun()
    n_articles = rows["article_id"].nunique()
    st.markdown(f"**{len(rows):,}** mentions in **{n_articles:,}** articles" + (f" — {note}" if note else ""))
    tab_articles, tab_near, tab_all = st.tabs(["Articles", "Nearby", f"All {n_articles:,} articles"])
    with tab_articles:
        _articles_with_context(rows, data, key=f"panel_page_{row['place_id']}")
    with tab_near:
        st.caption("Within 100 km (air bases), 10 km (roads), the nearest larger city, and the country.")
        _nearby(float(row["lat"]), float(row["lon"]), str(row["name"]))
    with tab_all:
        _article_links_table(rows, data)
    panel_tools(get_store(), rows, data.articles["title"], key="panel")  # editors only


def gazetteer_line(row) -> str:
    """The gazetteer's name under a display name, escaped ("Tadmur (GeoNames)" under Palmyra); "" where they agree."""
    gazetteer_name = row.get("gazetteer_name")
    if not isinstance(gazetteer_name, str) or not gazetteer_name or gazetteer_name == row["name"]:
        return ""
    return f"<div class='cm-meta cm-aka' title='the gazetteer&#39;s name'>{esc(gazetteer_name)} (GeoNames)</div>"


def written_as(rows: pd.DataFrame, name: str, limit: int = 4) -> str:
    """How the articles spell the place when not as the gazetteer does ("Palmyra" for Tadmur), escaped."""
    spellings = rows["text"].value_counts()
    other = [str(t) for t in spellings.index if str(t).casefold() != name.casefold()][:limit]
    return ", ".join(f"“{esc(t)}”" for t in other)


def airfield_panel(state: MapState, view, data: mapdata.MapData) -> None:
    lat, lon = state.selected_at
    st.markdown(PANEL_STYLE, unsafe_allow_html=True)
    head, close = st.columns([5, 1], vertical_alignment="center")
    airbases = get_airbases()
    ident = kind = ""
    if airbases is not None:
        near = airbases[(airbases.geometry.y.sub(lat).abs() < 1e-3) & (airbases.geometry.x.sub(lon).abs() < 1e-3)]
        if not near.empty:
            ident = near.iloc[0]["ident"] if isinstance(near.iloc[0]["ident"], str) else ""
            kind = near.iloc[0]["kind"]
    head.markdown(f"<h4 style='margin:0'>{esc(state.selected)}</h4><span class='cm-meta'>{esc(kind or 'airfield')}"
                  f"{' · ' + esc(ident) if ident else ''} · {lat:.4f}, {lon:.4f}</span>", unsafe_allow_html=True)
    if close.button("✕", key="panel_close", help="Clear the selection"):
        set_state(state.with_(selected=None, selected_at=None, selected_kind=None))
        st.rerun()
    st.session_state.setdefault("panel_radius", int(state.radius_km))
    km = st.slider("Within (km)", 5, 300, step=5, key="panel_radius")
    if km != state.radius_km:
        state = state.with_(radius_km=int(km))
        set_state(state)
    around = mapdata.within_km(view.places, lat, lon, km)
    rows = view.frame[view.frame["place_id"].isin(around["place_id"])]
    st.markdown(f"**{len(around):,}** places and **{rows['article_id'].nunique():,}** articles within {km} km "
                "(under the filters).")
    tab_places, tab_articles, tab_near = st.tabs(["Places", "Articles", "Nearby"])
    with tab_places:
        st.dataframe(around[["name", "feature", "distance_km", "mentions", "articles"]], hide_index=True,
                     width="stretch", height=min(38 + 35 * len(around), 300),
                     column_config={"name": "Place", "feature": "Type",
                                    "distance_km": st.column_config.NumberColumn("km", format="%.1f"),
                                    "mentions": "Mentions", "articles": "Articles"})
        for r in around.head(5).itertuples(index=False):
            st.page_link(MAP_PAGE, label=f"{esc(r.name)} · {r.distance_km:.0f} km", icon=":material/location_on:",
                         query_params=page_link_params(state, selected=r.name, selected_at=(r.lat, r.lon),
                                                       selected_kind=None))
    with tab_articles:
        _articles_with_context(rows, data, key=f"air_page_{lat:.4f}_{lon:.4f}_{km}")
    with tab_near:
        _nearby(lat, lon, state.selected)
