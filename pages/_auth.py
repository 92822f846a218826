"""The login gate: every page runs behind it when login is configured; roles are checked in code.

Configuration: the `[auth]` table of `.streamlit/secrets.toml`, or a TOML file named by the
CONFLICTMAP_AUTH_FILE environment variable (the same table), see geo/teams/auth.py. Without it the dashboard
is single-user (the embedded default) and the local user is an admin.

A built-in user's login outlives the browser tab through an HttpOnly cookie holding a signed, expiring
token (geo.teams.auth.Sessions). Streamlit can read cookies (`st.context.cookies`) but a script cannot set an
HttpOnly one, so the server started by `streamlit run serve.py` adds two small routes (`session_routes`):
after the login form succeeds the browser is sent once to `/cm-auth/session` with a one-minute, one-time
ticket, which sets the cookie and redirects back to the page the visitor asked for; `/cm-auth/logout`
clears it. Under plain `streamlit run dashboard.py` (and in AppTest) those routes do not exist, and a
login lasts as long as the browser tab's session, as before.
"""

from __future__ import annotations

import html
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import streamlit as st

from geo.teams.auth import (
    SESSION_COOKIE,
    Action,
    PermissionDenied,
    Role,
    Sessions,
    User,
    login,
    oidc_user,
    session_seconds,
    session_secret,
)
from pages._shared import page_script

LOCAL_USER = User("local", Role.ADMIN)
ROUTES_ENV = "CONFLICTMAP_SESSION_ROUTES"  # set by serve.py: the cookie routes are mounted in this process
ROUTE_PREFIX = "/cm-auth"
MAX_NEXT = 2000


def auth_config() -> dict:
    path = os.environ.get("CONFLICTMAP_AUTH_FILE")
    if path:
        with open(Path(path), "rb") as f:
            return tomllib.load(f).get("auth", {})
    try:
        return _plain(st.secrets.get("auth", {}))
    except FileNotFoundError:  # no secrets.toml at all
        return {}


def _plain(value):
    """st.secrets' nested tables as plain dicts."""
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    return value


def users_of(cfg: dict) -> dict:
    return {k: dict(v) for k, v in dict(cfg.get("users", {})).items() if hasattr(v, "get")}


@lru_cache(maxsize=4)
def _sessions(secret: str, max_age: int) -> Sessions:
    return Sessions(secret, max_age=max_age)  # one per server: it remembers logouts and used tickets


def sessions(cfg: dict) -> Sessions:
    return _sessions(session_secret(cfg), session_seconds(cfg))


def routes_mounted() -> bool:
    return os.environ.get(ROUTES_ENV) == "1"


def base_path() -> str:
    """The server's URL prefix (server.baseUrlPath) as "" or "/prefix"."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def safe_next(value: str | None, base: str = "") -> str:
    """A same-site path to return to after login; anything else (other hosts, schemes, //, \\) is home."""
    home = f"{base}/"
    if not value or len(value) > MAX_NEXT or any(c in value for c in "\\\r\n\t\0") or not value.startswith("/"):
        return home
    if value.startswith("//"):
        return home
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not (parts.path == base or parts.path.startswith(home) or not base):
        return home
    return value


# ---------------------------------------------------------------------------------------- gate


def _session_cookie() -> str | None:
    """The session cookie the browser sent with this session's connection (None in AppTest)."""
    try:
        return st.context.cookies.get(SESSION_COOKIE)
    except Exception:  # noqa: BLE001 - no browser context (bare mode)
        return None


def _client() -> str | None:
    cfg = auth_config()
    if cfg.get("trust_forwarded_for"):  # behind a proxy that sets it (else every visitor has its address)
        forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[0].strip()
        if forwarded:
            return forwarded
    try:
        return st.context.ip_address
    except Exception:  # noqa: BLE001
        return None


def login_gate(url_paths: list[str] = ()) -> User:
    """The signed-in user; draws the login screen and stops the script for anonymous visitors.

    url_paths: every page's URL path, so that a deep link (/articles?read=ID) shows the login form, not
    "Page not found", and the page (with its query) is still the one shown after login.
    """
    cfg = auth_config()
    mode = cfg.get("mode")
    if not mode:
        return LOCAL_USER
    if mode == "oidc":
        if not st.user.is_logged_in:
            _login_screen(url_paths)
            st.button("Log in", on_click=st.login, type="primary")
            st.stop()
        user = oidc_user(st.user.get("email"), {k.lower(): v for k, v in dict(cfg.get("roles", {})).items()})
        if user is None:
            st.error("Your identity provider gave no e-mail address; ask an administrator.")
            st.stop()
        return user
    users = users_of(cfg)
    user = st.session_state.get("cm_user")
    if isinstance(user, User):
        return user
    token = _session_cookie()
    from_cookie = sessions(cfg).read(token, users) if token else None  # on every run: expiry, logout, role
    if from_cookie is not None:
        return from_cookie
    _login_screen(url_paths)
    with st.form("login"):
        name = st.text_input("User name", max_chars=200)
        password = st.text_input("Password", type="password", max_chars=1000)
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        result = login(users, name, password, _client())
        if result.user is not None:
            st.session_state["cm_user"] = result.user
            if routes_mounted():
                _hop("session", sessions(cfg).handoff(sessions(cfg).issue(result.user)), _here())
                st.stop()
            st.rerun()
        elif result.wait > 0:
            st.error(f"Too many failed logins. Try again in {int(result.wait) + 1} seconds.")
        else:
            st.error("Unknown user name or wrong password.")
    st.stop()


def _here() -> str:
    """This page's path and query, to come back to after the cookie route."""
    url = None
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001
        pass
    path = urlsplit(url).path if url else base_path() + "/"
    query = urlencode(st.query_params.to_dict())
    return path + (f"?{query}" if query else "")


def _hop(route: str, ticket: str, next_url: str) -> None:
    """Send the browser to one of the cookie routes (see serve.py), which redirects back to next_url."""
    href = f"{base_path()}{ROUTE_PREFIX}/{route}?" + urlencode({"t": ticket, "next": safe_next(next_url, base_path())})
    st.html(f'<span hidden data-cm-redirect="{html.escape(href, quote=True)}"></span>' + page_script("redirect.js"),
            unsafe_allow_javascript=True)
    st.link_button("Continue", href)  # if the script above is blocked


def _stub(path: str):
    def page() -> None:  # never run: the gate draws the login form itself
        pass

    page.__name__ = f"login_{path or 'home'}"
    return page


def _login_screen(url_paths: list[str] = ()) -> None:
    # Declare the navigation (hidden) before stopping: without it Streamlit lists every file under pages/,
    # helper modules included, beside the login form. One entry per real page keeps a deep link's page
    # and query for after the login instead of "Page not found".
    paths = [p for p in dict.fromkeys(url_paths) if p]
    entries = [st.Page(_stub(""), title="Log in", url_path="login", default=True)]
    entries += [st.Page(_stub(p), title="Log in", url_path=p) for p in paths if p != "login"]
    st.navigation(entries, position="hidden")
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
        cfg = auth_config()
        if cfg.get("mode") == "oidc":
            st.button("Log out", on_click=st.logout)
        elif st.button("Log out"):
            st.session_state.pop("cm_user", None)
            st.session_state.pop("cm_current_user", None)
            token = _session_cookie()
            if token and routes_mounted():
                sessions(cfg).revoke(token)  # every tab holding this cookie is logged out on its next run
                _hop("logout", sessions(cfg).handoff(token), base_path() + "/")
                st.stop()
            st.rerun()


# ---------------------------------------------------------------------------------------- routes


def session_routes() -> list:
    """The two routes that set and clear the HttpOnly session cookie (mounted by serve.py)."""
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    def _redirect(request, cookie: str | None, *, max_age: int = 0) -> RedirectResponse:
        base = base_path()
        response = RedirectResponse(safe_next(request.query_params.get("next"), base), status_code=303)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the ticket is in this URL
        secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"
        if cookie is not None:
            response.set_cookie(SESSION_COOKIE, cookie, max_age=max_age, path=f"{base}/", httponly=True,
                                samesite="strict", secure=secure)
        return response

    def same_site(request) -> bool:
        # Our page sends the browser here itself (window.location): a link from another site is refused, so
        # that nobody can log a visitor into the sender's own account or log them out (login CSRF). Without
        # built-in users (single user, OIDC) the routes do nothing at all.
        if auth_config().get("mode") != "password":
            return False
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")

    def set_session(request):
        if not same_site(request):
            return _redirect(request, None)
        cfg = auth_config()
        token = sessions(cfg).redeem(request.query_params.get("t"))
        if token is None or sessions(cfg).read(token, users_of(cfg)) is None:
            return _redirect(request, None)
        return _redirect(request, token, max_age=session_seconds(cfg))

    def clear_session(request):
        if not same_site(request):
            return _redirect(request, None)
        cfg = auth_config()
        token = sessions(cfg).redeem(request.query_params.get("t"))
        return _redirect(request, None if token is None else "")

    os.environ[ROUTES_ENV] = "1"
    base = base_path()
    return [Route(f"{base}{ROUTE_PREFIX}/session", set_session, methods=["GET"]),
            Route(f"{base}{ROUTE_PREFIX}/logout", clear_session, methods=["GET"])]
