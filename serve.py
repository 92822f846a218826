"""The team server: `streamlit run serve.py` serves dashboard.py plus the login cookie routes.

Streamlit scripts can read cookies but cannot set an HttpOnly one, and plain `streamlit run dashboard.py`
has no way to add an HTTP route; `st.App` (Streamlit's ASGI app) does. The two routes under /cm-auth set
and clear the signed session cookie of a built-in user (see pages/_auth.py), so that a login survives a
reload and a new tab. Everything else is the dashboard as `streamlit run dashboard.py` serves it, with the
same .streamlit/config.toml.

At start, a background thread makes what the first visit needs (pages/_warmup.py: the store's frames from
their snapshot, the view of a visit without parameters, the map's code run once), so that the first
visitor does not wait for it; the server answers at once all the same.
"""

import threading
from contextlib import asynccontextmanager

import streamlit as st

from pages._auth import session_routes


@asynccontextmanager
async def warm_up_at_start(_app):
    """Start the warm-up once Streamlit's runtime runs (its caches are then the pages' own)."""
    from pages._warmup import warm_up

    threading.Thread(target=warm_up, name="cm-warm-up", daemon=True).start()
    yield


app = st.App("dashboard.py", routes=session_routes(), lifespan=warm_up_at_start)
