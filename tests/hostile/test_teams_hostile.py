"""Hostile use of the team features: forged, tampered, expired and replayed login cookies and tickets,
open redirects through the cookie route, roles bypassed by calling the actions directly, crafted
corrections, and deep links to pages a role may not see."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer
from streamlit.testing.v1 import AppTest

from geo.teams import corrections
from geo.teams.auth import (
    SESSION_COOKIE,
    LoginThrottle,
    PermissionDenied,
    Role,
    Sessions,
    User,
    hash_password,
    session_secret,
    throttle_keys,
)
from geo.store import Store
from geo.types import Article, Candidate, Event, ResolvedMention

from tests.hostile.payloads import IMG, SCRIPT

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 48
TEXT = "Rebels shelled Homs on Monday. Talks in Geneva stalled."


@pytest.fixture(scope="module")
def users():
    return {"vera": {"role": "viewer", "password_hash": hash_password("viewer password")},
            "ed": {"role": "editor", "password_hash": hash_password("editor password")},
            "root": {"role": "admin", "password_hash": hash_password("admin password")}}


@pytest.fixture()
def auth_env(tmp_path, monkeypatch, users):
    cfg = tmp_path / "auth.toml"
    lines = ['[auth]', 'mode = "password"', f'session_secret = "{SECRET}"', 'session_hours = 1']
    for name, entry in users.items():
        lines += [f"[auth.users.{name}]", f'role = "{entry["role"]}"', f'password_hash = "{entry["password_hash"]}"']
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("CONFLICTMAP_AUTH_FILE", str(cfg))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("CONFLICTMAP_SESSION_KEY_FILE", str(tmp_path / "secrets" / "session.key"))
    return cfg


# ---------------------------------------------------------------------------- cookies


def _hostile_tokens(users) -> dict[str, str]:
    genuine = Sessions(SECRET).issue(User("ed", Role.EDITOR))
    # The signature's first character (its last may carry only padding bits) and a payload character.
    payload, stamp, signature = genuine.split(".")
    flipped = f"{payload}.{stamp}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"
    flipped_payload = f"{payload[:2]}{'x' if payload[2] != 'x' else 'y'}{payload[3:]}.{stamp}.{signature}"
    other_key = Sessions("x" * 48).issue(User("ed", Role.EDITOR))
    expired = Sessions(SECRET).issue(User("ed", Role.EDITOR))  # genuine: judged two hours later below
    unsigned = genuine.split(".")[0]
    ticket_not_session = Sessions(SECRET).handoff(genuine)
    no_such_user = Sessions(SECRET).issue(User("mallory", Role.ADMIN))
    wrong_shape = URLSafeTimedSerializer(SECRET, salt="conflictmap-session").dumps(["ed"])
    return {"flipped": flipped, "flipped payload": flipped_payload, "other key": other_key, "unsigned": unsigned, "ticket": ticket_not_session,
            "unknown user": no_such_user, "wrong shape": wrong_shape, "huge": "a" * 100_000, "markup": SCRIPT,
            "nul": "ed\x00", "expired": expired}


def test_tampered_forged_and_foreign_tokens_are_refused(users):
    sessions = Sessions(SECRET, max_age=3600)
    for label, token in _hostile_tokens(users).items():
        if label == "expired":
            continue
        assert sessions.read(token, users) is None, label


def test_an_expired_token_is_refused_by_the_servers_clock(users):
    now = time.time()
    sessions = Sessions(SECRET, max_age=3600, clock=lambda: now)
    token = sessions.issue(User("ed", Role.EDITOR))
    assert sessions.read(token, users) == User("ed", Role.EDITOR)
    later = Sessions(SECRET, max_age=3600, clock=lambda: now + 3601)
    assert later.read(token, users) is None


def test_a_role_inside_a_token_is_ignored(users):
    """Even a token signed with the real key cannot raise its holder's role: roles come from the config."""
    forged = URLSafeTimedSerializer(SECRET, salt="conflictmap-session").dumps({"u": "vera", "s": "x", "r": "admin"})
    assert Sessions(SECRET).read(forged, users) == User("vera", Role.VIEWER)


@pytest.mark.parametrize("label", list(_hostile_tokens({}).keys()))
def test_the_dashboard_shows_only_the_login_form_for_a_bad_cookie(auth_env, monkeypatch, users, label):
    from pages import _auth

    token = _hostile_tokens(users)[label]
    if label == "expired":  # a genuine token, two hours old, for a one-hour session
        later = Sessions(SECRET, max_age=3600, clock=lambda: time.time() + 7200)
        monkeypatch.setattr(_auth, "sessions", lambda cfg: later)
    monkeypatch.setattr(_auth, "_session_cookie", lambda: token)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert not at.sidebar.metric


# ---------------------------------------------------------------------------- the cookie routes


def _request(path: str, query: str = "", headers: dict | None = None, scheme: str = "http"):
    from starlette.requests import Request

    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": raw,
                    "scheme": scheme, "server": ("testserver", 80), "root_path": ""})


@pytest.fixture()
def routes(auth_env, monkeypatch):
    from pages import _auth

    monkeypatch.setenv(_auth.ROUTES_ENV, "0")  # restored after the test (session_routes sets it)
    found = {r.path.rsplit("/", 1)[-1]: r.endpoint for r in _auth.session_routes()}
    cfg = _auth.auth_config()
    return found, _auth.sessions(cfg)


def _call(endpoint, query: str, **kw):
    from urllib.parse import urlencode

    return endpoint(_request("/cm-auth/x", urlencode(query) if isinstance(query, dict) else query, **kw))


def test_the_cookie_route_sets_a_strict_httponly_cookie_once(routes):
    found, sessions = routes
    ticket = sessions.handoff(sessions.issue(User("ed", Role.EDITOR)))
    response = _call(found["session"], {"t": ticket, "next": "/articles?read=abc"})
    assert response.status_code == 303 and response.headers["location"] == "/articles?read=abc"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Max-Age=3600" in cookie and "Path=/" in cookie and "Secure" not in cookie
    assert response.headers["cache-control"] == "no-store" and response.headers["referrer-policy"] == "no-referrer"
    again = _call(found["session"], {"t": ticket, "next": "/"})  # replayed (e.g. from the browser's history)
    assert "set-cookie" not in again.headers


def test_the_cookie_is_secure_behind_https(routes):
    found, sessions = routes
    for kw in ({"scheme": "https"}, {"headers": {"X-Forwarded-Proto": "https"}}):
        ticket = sessions.handoff(sessions.issue(User("ed", Role.EDITOR)))
        assert "Secure" in _call(found["session"], {"t": ticket}, **kw).headers["set-cookie"]


@pytest.mark.parametrize("ticket", ["", "x", SCRIPT, "a" * 10_000,
                                    URLSafeTimedSerializer("z" * 48, salt="conflictmap-handoff").dumps({"t": "x", "n": "1"})])
def test_a_forged_ticket_sets_no_cookie(routes, ticket):
    found, _ = routes
    response = _call(found["session"], {"t": ticket, "next": "/admin"})
    assert "set-cookie" not in response.headers and response.status_code == 303


def test_a_ticket_for_a_user_removed_meanwhile_sets_no_cookie(routes):
    found, sessions = routes
    ticket = sessions.handoff(sessions.issue(User("mallory", Role.ADMIN)))
    assert "set-cookie" not in _call(found["session"], {"t": ticket}).headers


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "\\\\evil",
                                    "javascript:alert(1)", "/ok\r\nSet-Cookie: cm_session=x", "http:/evil",
                                    "evil.example", "/" + "a" * 5000, "/%0d%0aSet-Cookie:x=1\x00"])
def test_the_route_never_redirects_off_site(routes, target):
    found, sessions = routes
    ticket = sessions.handoff(sessions.issue(User("ed", Role.EDITOR)))
    location = _call(found["session"], {"t": ticket, "next": target}).headers["location"]
    assert location == "/"


def test_logout_route_clears_only_with_a_genuine_ticket(routes):
    found, sessions = routes
    token = sessions.issue(User("ed", Role.EDITOR))
    assert "set-cookie" not in _call(found["logout"], {"t": "forged"}).headers  # a cross-site link logs no one out
    cleared = _call(found["logout"], {"t": sessions.handoff(token)}).headers["set-cookie"]
    assert cleared.startswith(f'{SESSION_COOKIE}=""') or cleared.startswith(f"{SESSION_COOKIE}=;")
    assert "Max-Age=0" in cleared


def test_the_key_file_is_refused_when_others_could_read_it_or_it_is_a_link(tmp_path):
    real = tmp_path / "elsewhere.key"
    real.write_text("p" * 64)
    os.chmod(real, 0o600)
    link = tmp_path / "secrets" / "session.key"
    link.parent.mkdir()
    link.symlink_to(real)
    with pytest.raises(ValueError, match="symbolic link"):
        session_secret({}, link)


# ---------------------------------------------------------------------------- roles in code


@pytest.fixture()
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'roles.sqlite'}")
    homs = ResolvedMention(start=TEXT.index("Homs"), end=TEXT.index("Homs") + 4, text="Homs", name="Homs", lat=34.72,
                           lon=36.73, feature="city", country="SY", score=0.9)
    event = Event(type="Explosions/Remote violence", subtype="Shelling/artillery/missile attack", actor1="Rebels",
                  actor2=None, place_mention_start=homs.start, place="Homs", precision=1, evidence_start=0,
                  evidence_end=TEXT.index(".") + 1, modality="fact", trigger="shelled",
                  trigger_start=TEXT.index("shelled"))
    article = Article(text=TEXT, title="t")
    s.add(article, [homs], [event])
    return s, article, homs, event


GENEVA = Candidate(name="Geneva", lat=46.2, lon=6.14, feature="city", country="CH")


def test_a_viewer_calling_editor_actions_changes_nothing(store):
    s, article, homs, event = store
    viewer = User("vera", Role.VIEWER)
    before = (s.mentions(article.id), s.events(article.id), len(s.audit_log()))
    geneva = TEXT.index("Geneva")
    for attempt in (lambda: corrections.set_place(s, viewer, article.id, geneva, geneva + 6, GENEVA),
                    lambda: corrections.drop_place(s, viewer, article.id, homs.start, homs.end),
                    lambda: corrections.set_event(s, viewer, article.id, event, type="Battles", subtype="Armed clash"),
                    lambda: corrections.drop_event(s, viewer, article.id, event),
                    lambda: corrections.delete_articles(s, viewer, [article.id])):
        with pytest.raises(PermissionDenied):
            attempt()
    assert (s.mentions(article.id), s.events(article.id), len(s.audit_log())) == before


def test_an_editor_cannot_delete(store):
    s, article, _, _ = store
    with pytest.raises(PermissionDenied):
        corrections.delete_articles(s, User("ed", Role.EDITOR), [article.id])
    assert s.has(article.id)
    assert corrections.delete_articles(s, User("root", Role.ADMIN), [article.id, article.id, "nope"]) == [article.id]


@pytest.mark.parametrize("changes", [
    {"type": "Battles", "subtype": "Shelling/artillery/missile attack"},  # a sub-type of another type
    {"type": "Picnic", "subtype": "Armed clash"},
    {"modality": "certain"},
    {"actor1": "Rebels\nSet-Cookie: x"},
    {"actor1": "\x1b[31mred"},
    {"actor2": "x" * 201},
    {"fatalities": -1},
    {"fatalities": "3"},
    {"date": "2017-13-45"},
    {"date": "yesterday"},
    {"trigger_start": 0},  # not a field an analyst edits
])
def test_crafted_event_corrections_are_refused(store, changes):
    s, article, _, event = store
    with pytest.raises((ValueError, TypeError)):
        corrections.set_event(s, User("ed", Role.EDITOR), article.id, event, **changes)
    assert s.events(article.id) == [event] or s.events(article.id)[0].subtype == event.subtype
    assert s.event_corrections(article.id) == []


def test_markup_in_an_actor_is_stored_as_text_and_shown_escaped(store, monkeypatch, tmp_path):
    s, article, _, event = store
    corrections.set_event(s, User("ed", Role.EDITOR), article.id, event, actor1=IMG, actor2=SCRIPT)
    assert s.events(article.id)[0].actor1 == IMG
    monkeypatch.setenv("DATABASE_URL", s.url)
    monkeypatch.delenv("CONFLICTMAP_AUTH_FILE", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["read"] = article.id
    at.run()
    at.switch_page("pages/articles.py").run()
    assert not at.exception
    html = " ".join(m.value for m in at.markdown)
    assert "&lt;img" in html and "<img" not in html and "<script" not in html


@pytest.mark.parametrize("start, end", [(-5, 3), (10, 5), (0, 10**9), (3, 3)])
def test_a_place_outside_the_text_is_refused(store, start, end):
    s, article, _, _ = store
    with pytest.raises(ValueError):
        corrections.set_place(s, User("ed", Role.EDITOR), article.id, start, end, GENEVA)


@pytest.mark.parametrize("lat, lon", [(91, 0), (0, 181), (float("nan"), 0), (float("inf"), 0)])
def test_a_place_off_the_globe_is_refused(store, lat, lon):
    s, article, _, _ = store
    start = TEXT.index("Geneva")
    with pytest.raises(ValueError):
        corrections.set_place(s, User("ed", Role.EDITOR), article.id, start, start + 6,
                              Candidate(name="Nowhere", lat=lat, lon=lon, feature="city"))


def test_cli_delete_takes_no_wildcards_and_no_short_prefixes(store, capsys):
    from geo.cli import main

    s, article, _, _ = store
    for given in ("%", "_" * 8, "%" * 8, article.id[:7], "' OR 1=1 --"):
        assert main(["delete", "--db", s.url, "--yes", given]) == 2
    assert s.has(article.id)
    assert "\x1b" not in capsys.readouterr().err


def test_throttle_names_are_case_and_space_insensitive_and_bounded():
    assert throttle_keys(" ED ", "1.2.3.4")[0] == throttle_keys("ed", None)[0]
    assert len(throttle_keys("x" * 10_000, "y" * 10_000)[0]) < 300
    throttle = LoginThrottle(free=1, max_keys=10)
    for i in range(10_000):
        throttle.failure(f"user:{i}")
    assert len(throttle._fails) == 10


# ---------------------------------------------------------------------------- deep links


def test_browser_deep_link_to_a_page_the_role_may_not_see(auth_env):
    from tests.test_login import _browser_login, _browser_on

    with _browser_on("serve.py") as (browser, base):
        page = browser.new_context().new_page()
        page.goto(f"{base}/admin")  # anonymous: the login form, not "Page not found"
        page.get_by_text("Sign in to see it").wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        assert "Page not found" not in page.inner_text("body")
        _browser_login(page, "vera", "viewer password")
        page.get_by_text("Signed in as").wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        body = page.inner_text("body")
        assert "Audit trail" not in body and "Admin" not in body and "Add article" not in body


@pytest.mark.parametrize("route", ["session", "logout"])
def test_a_ticket_followed_from_another_site_is_refused(routes, route):
    """Login CSRF: a ticket of the sender's own account, sent as a link, must not log the visitor in as them."""
    found, sessions = routes
    ticket = sessions.handoff(sessions.issue(User("ed", Role.EDITOR)))
    response = _call(found[route], {"t": ticket}, headers={"Sec-Fetch-Site": "cross-site"})
    assert "set-cookie" not in response.headers
    same = _call(found[route], {"t": ticket}, headers={"Sec-Fetch-Site": "same-origin"})
    assert "set-cookie" in same.headers  # the ticket was not spent by the refused request


def test_without_built_in_users_the_routes_do_nothing(routes, monkeypatch, tmp_path):
    found, sessions = routes
    ticket = sessions.handoff(sessions.issue(User("ed", Role.EDITOR)))
    single = tmp_path / "single.toml"
    single.write_text("[auth]\n", encoding="utf-8")
    monkeypatch.setenv("CONFLICTMAP_AUTH_FILE", str(single))
    key_file = Path(os.environ["CONFLICTMAP_SESSION_KEY_FILE"])
    for route in ("session", "logout"):
        assert "set-cookie" not in _call(found[route], {"t": ticket}).headers
    assert not key_file.exists()  # no key made for a server that has no logins
