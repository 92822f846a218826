"""The login gate: every page runs behind it when login is configured; roles are checked in code.

Configuration: the `[auth]` table of `.streamlit/secrets.toml`, or a TOML file named by the
CONFLICTMAP_AUTH_FILE environment variable (the same table), see geo/auth.py. Without it the dashboard
is single-user (the embedded default) and the local user is an admin.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import streamlit as st

from geo.auth import Action, PermissionDenied, Role, User, authenticate, oidc_user

LOCAL_USER = User("local", Role.ADMIN)


def auth_config() -> dict:
    path = os.environ.get("CONFLICTMAP_AUTH_FILE")
    if path:
        with open(Path(path), "rb") as f:
            return tomllib.load(f).get("auth", {})
    try:
        return dict(st.secrets.get("auth", {}))
    except FileNotFoundError:  # no secrets.toml at all
        return {}


def login_gate() -> User:
    """The signed-in user; draws the login screen and stops the script for anonymous visitors."""
    cfg = auth_config()
    mode = cfg.get("mode")
    if not mode:
        return LOCAL_USER
    if mode == "oidc":
        if not st.user.is_logged_in:
            _login_screen()
            st.button("Log in", on_click=st.login, type="primary")
            st.stop()
        user = oidc_user(st.user.get("email"), {k.lower(): v for k, v in dict(cfg.get("roles", {})).items()})
        if user is None:
            st.error("Your identity provider gave no e-mail address; ask an administrator.")
            st.stop()
        return user
    user = st.session_state.get("cm_user")
    if isinstance(user, User):
        return user
    _login_screen()
    with st.form("login"):
        name = st.text_input("User name")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        user = authenticate(dict(cfg.get("users", {})), name, password)
        if user is None:
            st.error("Unknown user name or wrong password.")
        else:
            st.session_state["cm_user"] = user
            st.rerun()
    st.stop()


def _login_screen() -> None:
    # Declare the navigation (one hidden entry) before stopping: without it Streamlit lists every file
    # under pages/, helper modules included, beside the login form.
    st.navigation([st.Page(_login_screen, title="Log in", url_path="login")], position="hidden")
    st.title("Conflict Map")
    st.caption("This dashboard is shared by a team. Sign in to see it.")


def current_user() -> User:
    return st.session_state.get("cm_user") or st.session_state.get("cm_current_user") or LOCAL_USER


def require(action: Action) -> bool:
    """Whether the current user may do this; shows why not (and the caller skips the action)."""
    try:
        current_user().require(action)
    except PermissionDenied as e:
        st.warning(f"Not allowed: {e}.")
        return False
    return True


def logout_button(user: User) -> None:
    if user is LOCAL_USER:
        return
    with st.sidebar:
        st.caption(f"Signed in as **{user.name}** ({user.role.value})")
        if auth_config().get("mode") == "oidc":
            st.button("Log out", on_click=st.logout)
        elif st.button("Log out"):
            st.session_state.pop("cm_user", None)
            st.rerun()
