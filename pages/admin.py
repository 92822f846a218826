"""Admin: the audit trail (who ingested, edited or deleted what) and how to add users."""

from __future__ import annotations

import streamlit as st

from geo.teams.auth import Action
from pages._auth import auth_config, require
from pages._shared import ensure_dashboard, get_store

ensure_dashboard()

st.title("Admin")
if require(Action.MANAGE_USERS):
    st.subheader("Audit trail")
    log = get_store().audit_log(limit=2000)
    st.dataframe(log, hide_index=True, use_container_width=True)  # st.dataframe shows text, never HTML
    st.subheader("Users")
    cfg = auth_config()
    mode = cfg.get("mode") or "none (single user)"
    st.write(f"Login mode: **{mode}**.")
    st.markdown(
        "Add a built-in user: run `python -m geo users hash`, then put the hash in `.streamlit/secrets.toml` "
        "under `[auth.users.NAME]` with `role = \"viewer\" | \"editor\" | \"admin\"` and `password_hash = ...`. "
        "For OpenID Connect, set `mode = \"oidc\"` and map e-mail addresses to roles in `[auth.roles]`."
    )
    st.markdown(
        "Built-in logins last `session_hours` (12 by default) across reloads and tabs when the dashboard is "
        "started with `streamlit run serve.py`; removing a user or changing a role takes effect on their next "
        "page. Articles are deleted on the Articles page or with `python -m geo delete ID`."
    )
