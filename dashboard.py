"""Conflict Map dashboard: `streamlit run dashboard.py` (settings in .streamlit/config.toml); for a team
with built-in users, `streamlit run serve.py` (the same dashboard, with logins that survive a reload).

The frame around the pages: page config, navigation, the shared state and sidebar. Pages live in pages/.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.teams.auth import Action
from pages._auth import login_gate, logout_button
from pages._shared import ADD_PAGE, ARTICLES_PAGE, MAP_PAGE, get_store, prepare_state, sidebar

# The sidebar's width in pixels (Streamlit's default is 300): with it and the page's narrow margins
# (pages/css/layout.css), a map beside a narrow panel takes two thirds of a 1,600 px window (pages/map.py).
SIDEBAR_PX = 240
LAYOUT_STYLE = "<style>" + (Path(__file__).with_name("pages") / "css" / "layout.css").read_text(encoding="utf-8") + "</style>"

# An emoji favicon is an inline data: URL; a Material icon (ours or a page's) would be fetched from
# fonts.gstatic.com, which fails offline.
st.set_page_config(layout="wide", page_title="Conflict Map", page_icon="🗺️", initial_sidebar_state=SIDEBAR_PX)
st.html(LAYOUT_STYLE)  # a <style> alone takes no room on the page

# (page, title, icon, what the role must be allowed to do to see it). A page the role may not use is not
# in its navigation at all; each page checks the role again before acting.
PAGES = [
    (MAP_PAGE, "Map", ":material/map:", Action.VIEW),
    (ARTICLES_PAGE, "Articles", ":material/article:", Action.VIEW),
    ("pages/events.py", "Events", ":material/local_fire_department:", Action.VIEW),
    (ADD_PAGE, "Add article", ":material/add_circle:", Action.INGEST),
    ("pages/export.py", "Export", ":material/download:", Action.EXPORT),
    ("pages/admin.py", "Admin", ":material/admin_panel_settings:", Action.MANAGE_USERS),
]

# When login is configured, anonymous visitors see only the login screen (on any page's URL, kept for after).
user = login_gate([Path(path).stem for path, *_ in PAGES])
st.session_state["cm_current_user"] = user

pages = [st.Page(path, title=title, icon=icon, default=path == MAP_PAGE)
         for path, title, icon, needs in PAGES
         if user.can(needs) and not (needs is Action.MANAGE_USERS and user.name == "local")]
page = st.navigation(pages)
logout_button(user)
store = get_store()
prepare_state(store)  # the filters and view for this run, from the URL and the sidebar's widgets
page.run()
sidebar(store)  # drawn after the page: the map's frame then starts loading first
