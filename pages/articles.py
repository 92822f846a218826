"""Articles page: the stored articles; one of them with its places marked and linked to the map.

?article=<id> selects an article. Article text is escaped before any markup is added (geo.mapview.esc),
so st.markdown(unsafe_allow_html=True) only ever sees our own tags.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.mapview import esc, mark_spans, safe_href
from pages._shared import ADD_PAGE, MAP_PAGE, ensure_dashboard, get_store

ensure_dashboard()
store = get_store()
articles = store.articles()

st.header("Articles")
if not articles:
    st.info("No articles stored yet.")
    st.page_link(ADD_PAGE, label="Add an article", icon=":material/add_circle:")
    st.stop()

frame = store.mention_frame()
place_counts = frame.groupby("article_id")["name"].nunique() if not frame.empty else pd.Series(dtype=int)
st.dataframe(
    pd.DataFrame(
        {
            "Title": [a.title or "(untitled)" for a in articles],
            "Source": [a.source for a in articles],
            "Date": [a.published for a in articles],
            "Places": [int(place_counts.get(a.id, 0)) for a in articles],
        }
    ),
    hide_index=True,
    height=min(38 + 35 * len(articles), 300),
)

by_id = {a.id: a for a in articles}
wanted = st.query_params.get("article")
ids = list(by_id)
chosen = st.selectbox(
    "Read an article",
    ids,
    index=ids.index(wanted) if wanted in by_id else 0,
    format_func=lambda i: " · ".join(x for x in (by_id[i].title or "(untitled)", by_id[i].source, by_id[i].published) if x),
    key="article_choice",
)
st.query_params["article"] = chosen

article = by_id[chosen]
mentions = store.mentions(chosen)
href = safe_href(article.url)
meta = " · ".join(x for x in (esc(article.source), esc(article.published)) if x)
link = f' · <a href="{href}" target="_blank" rel="noopener noreferrer">original</a>' if href else ""
st.markdown(f"<h3>{esc(article.title) or '(untitled)'}</h3><p><small>{meta}{link}</small></p>", unsafe_allow_html=True)

text_col, places_col = st.columns([3, 1])
with text_col:
    spans = [(m.start, m.end, f"{m.name} ({m.feature})") for m in mentions]
    st.markdown(mark_spans(article.text, spans), unsafe_allow_html=True)
with places_col:
    st.markdown("**Places on the map**")
    seen: set[tuple] = set()
    for m in mentions:
        key = (m.name, round(m.lat, 5), round(m.lon, 5))
        if key in seen:
            continue
        seen.add(key)
        st.page_link(
            MAP_PAGE,
            label=f"{m.name} · {m.feature}",
            icon=":material/location_on:",
            query_params={"place": m.name, "lat": f"{m.lat:.5f}", "lon": f"{m.lon:.5f}"},
        )
    if not seen:
        st.caption("No places found in this article.")
