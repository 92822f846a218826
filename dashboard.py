"""Conflict Map dashboard: `streamlit run dashboard.py` (settings in .streamlit/config.toml).

The frame around the pages: page config, navigation, the shared state and sidebar. Pages live in pages/.
"""

from __future__ import annotations

import streamlit as st

from geo.auth import Action
from pages._auth import login_gate, logout_button
from pages._shared import ADD_PAGE, ARTICLES_PAGE, MAP_PAGE, get_store, prepare_state, sidebar

# An emoji favicon is an inline data: URL; a Material icon (ours or a page's) would be fetched from
# fonts.gstatic.com, which fails offline.
st.set_page_config(layout="wide", page_title="Conflict Map", page_icon="🗺️")

user = login_gate()  # when login is configured, anonymous visitors see only the login screen
st.session_state["cm_current_user"] = user

# Each page checks the role itself (Add article refuses viewers); Admin is not even registered for others.
pages = [
    st.Page(MAP_PAGE, title="Map", icon=":material/map:", default=True),
    st.Page(ARTICLES_PAGE, title="Articles", icon=":material/article:"),
    st.Page("pages/events.py", title="Events", icon=":material/local_fire_department:"),
    st.Page(ADD_PAGE, title="Add article", icon=":material/add_circle:"),
]
pages.append(st.Page("pages/export.py", title="Export", icon=":material/download:"))
if user.can(Action.MANAGE_USERS) and user.name != "local":
    pages.append(st.Page("pages/admin.py", title="Admin", icon=":material/admin_panel_settings:"))
page = st.navigation(pages)
logout_button(user)
store = get_store()
prepare_state(store)  # the filters and view for this run, from the URL and the sidebar's widgets
page.run()
sidebar(store)  # drawn after the page: the map's frame then starts loading first
