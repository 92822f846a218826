"""Add article page: paste text or upload a file, check the places found, then save.

The parsed article waits in st.session_state["pending"] between "Find places" and "Save",
so nothing is stored before the user has seen what was found.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from geo.store import frames as mapdata

from geo.maps import frame as mapframe

from geo import maps as mapview
from geo.maps.assets import bundle_scripts, localize
from geo.teams.auth import Action
from geo.events.extract import extract_events
from geo.gazetteer import GazetteerMissing
from geo.io.ingest import MAX_BYTES, IngestError, article_from_text
from geo.maps.elements import without_view_sync
from geo.maps.html import esc, mark_spans
from geo.maps.rows import mentions_frame, places_frame
from geo.types import Article
from pages._auth import current_user, require
from pages._mapframe import map_frame
from pages._shared import (
    ARTICLES_PAGE,
    asset_base,
    ensure_dashboard,
    get_cities,
    get_geoparser,
    get_store,
    places_table,
    plugin_bundle,
    read_upload,
)

PREVIEW_HEIGHT = 300
PREVIEW_WIDTH = 400  # about half the wide layout's main column: what the fitted view is computed for

ensure_dashboard()
if not require(Action.INGEST):  # viewers may read the map, not add to it (checked here, not only hidden)
    st.stop()
store = get_store()


def _with_metadata(article: Article, title: str, source: str, published, url: str) -> Article:
    """What the user typed wins over what was detected in the text or page."""
    return dataclasses.replace(
        article,
        title=title.strip() or article.title,
        source=source.strip() or article.source,
        published=published.isoformat() if published else article.published,
        url=url.strip() or article.url,
    )


def preview_map(frame) -> None:
    """The article's places as the Map page draws them (offline basemap, canvas circles sized by
    mentions, legend), without the tools. The preview's view stays its own: it writes nothing into the
    page URL, where the Map and Export pages keep theirs."""
    places = mapdata.places(frame)
    view = mapview.fit_view(mapview.mention_bounds(frame), width=PREVIEW_WIDTH, height=PREVIEW_HEIGHT)
    fmap = without_view_sync(mapview.base_map(cities=get_cities(), asset_base=asset_base(), height=PREVIEW_HEIGHT,
                                              tools=False, bundle=plugin_bundle(), view=view))
    features = places["feature"].fillna("other").unique().tolist() if not places.empty else []
    layers = [mapview.places_layer(places), mapview.legend_layer(features, {"places"})]
    for layer in layers:
        localize(layer, asset_base())
        if plugin_bundle():
            bundle_scripts(layer, asset_base())
    map_frame(mapframe.base(fmap), layers, center=view[0], zoom=view[1], height=PREVIEW_HEIGHT, key="preview_map",
              report=False)


def _find_places(article: Article) -> None:
    try:
        mentions = get_geoparser().parse(article.text)
    except GazetteerMissing as exc:
        st.error(f"The gazetteer index is not built ({exc}). Run `make index`.")
        return
    st.session_state["pending"] = (article, mentions)


st.header("Add an article")
saved = st.session_state.pop("saved", None)
if saved:
    article_id, n_places = saved
    if n_places is None:
        st.info("This article is already stored.")
    else:
        st.success(f"Saved with {n_places} places.")
    st.page_link(ARTICLES_PAGE, label="Read it on the Articles page", query_params={"article": article_id})
paste, upload = st.tabs(["Paste text", "Upload a file"])

with paste, st.form("paste_form"):
    text = st.text_area("Article text", height=220, key="add_text")
    c1, c2 = st.columns(2)
    title = c1.text_input("Headline (optional)", key="add_title")
    source = c2.text_input("Source (optional)", key="add_source")
    c3, c4 = st.columns(2)
    published = c3.date_input("Date (optional)", value=None, key="add_date")
    url = c4.text_input("URL (optional)", key="add_url")
    if st.form_submit_button("Find places", type="primary"):
        st.session_state.pop("pending", None)  # a failed attempt must not leave the previous article to save
        try:
            found = article_from_text(text)
        except IngestError as exc:
            st.error(f"Cannot use this text: {esc(exc)}")
        else:
            _find_places(_with_metadata(found, title, source, published, url))

with upload, st.form("upload_form"):
    file = st.file_uploader(
        "A .txt or .html file", type=["txt", "html", "htm"], key="add_file", max_upload_size=MAX_BYTES // 2**20
    )
    if st.form_submit_button("Find places", type="primary"):
        st.session_state.pop("pending", None)
        if file is None:
            st.error("Choose a file first.")
        else:
            try:
                _find_places(read_upload(file.name, file.getvalue()))
            except IngestError as exc:
                st.error(f"Cannot read this file: {esc(exc)}")

pending = st.session_state.get("pending")
if pending:
    article, mentions = pending
    st.divider()
    st.markdown(f"<h4>{esc(article.title) or '(untitled)'}</h4>", unsafe_allow_html=True)
    frame = mentions_frame(article, mentions)
    places = places_frame(frame)
    st.caption(f"{len(mentions)} mentions of {len(places)} places found. Nothing is stored until you save.")
    if store.has(article.id):
        st.info("This article is already stored.")
    left, right = st.columns([1, 1])
    with left:
        places_table(places.drop(columns=["articles"]), height=300 if len(places) > 7 else "auto")
    with right:
        preview_map(frame)
    with st.expander("Text with the places marked"):
        st.markdown(mark_spans(article.text, [(m.start, m.end, m.name) for m in mentions]), unsafe_allow_html=True)
    save, discard = st.columns([1, 5])
    if save.button("Save", type="primary", key="add_save"):
        del st.session_state["pending"]
        added = store.add(article, mentions, extract_events(article.text, mentions, article.published), user=current_user().name)
        st.session_state["saved"] = (article.id, len(places) if added else None)
        st.rerun()  # so that the sidebar counts include it
    if discard.button("Discard", key="add_discard"):
        del st.session_state["pending"]
        st.rerun()
