"""The team server: `streamlit run serve.py` serves dashboard.py plus the login cookie routes.

Streamlit scripts can read cookies but cannot set an HttpOnly one, and plain `streamlit run dashboard.py`
has no way to add an HTTP route; `st.App` (Streamlit's ASGI app) does. The two routes under /cm-auth set
and clear the signed session cookie of a built-in user (see pages/_auth.py), so that a login survives a
reload and a new tab. Everything else is the dashboard as `streamlit run dashboard.py` serves it, with the
same .streamlit/config.toml.
"""

import streamlit as st

from pages._auth import session_routes

app = st.App("dashboard.py", routes=session_routes())
