"""Login: with users configured, an anonymous session sees only the login screen; roles shape the pages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.teams.auth import hash_password

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture()
def auth_env(tmp_path, monkeypatch):
    cfg = tmp_path / "auth.toml"
    cfg.write_text(
        '[auth]\nmode = "password"\n'
        f'[auth.users.vera]\nrole = "viewer"\npassword_hash = "{hash_password("viewer password")}"\n'
        f'[auth.users.ed]\nrole = "editor"\npassword_hash = "{hash_password("editor password")}"\n',
        encoding="utf-8")
    monkeypatch.setenv("CONFLICTMAP_AUTH_FILE", str(cfg))
    monkeypatch.setenv("CONFLICTMAP_SESSION_KEY_FILE", str(tmp_path / "secrets" / "session.key"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    return cfg


def _app():
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


def test_anonymous_session_sees_only_the_login_form(auth_env):
    at = _app().run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert not at.sidebar.metric  # no store counts, no filters: nothing of the data


def test_wrong_password_is_refused_and_viewer_cannot_ingest(auth_env):
    at = _app().run()
    at.text_input[0].input("vera")
    at.text_input[1].input("wrong password")
    at.button[0].click().run()
    assert any("wrong password" in e.value for e in at.error)
    at.text_input[1].input("viewer password")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["cm_user"].role.value == "viewer"
    assert not at.text_input or at.text_input[0].label != "User name"


@contextmanager
def _browser_on(script: str):
    """`streamlit run <script>` on a free port and a headless Chromium: (browser, base URL)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                        "--disable-background-networking", "--no-first-run"])
            deadline = time.time() + 40
            probe = browser.new_page()
            while True:
                try:
                    probe.goto(f"http://127.0.0.1:{port}/_stcore/health", timeout=5000)
                    break
                except Exception:  # noqa: BLE001 (server still starting)
                    if time.time() > deadline:
                        raise
                    time.sleep(0.5)
            probe.close()
            yield browser, f"http://127.0.0.1:{port}"
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_browser_anonymous_visitor_sees_only_login(auth_env, tmp_path):
    with _browser_on("dashboard.py") as (browser, base):
        page = browser.new_page()
        page.goto(f"{base}/")
        page.get_by_text("Sign in to see it").wait_for(timeout=30000)
        page.locator("input[type=password]").wait_for(timeout=30000)  # the form comes a moment later
        body = page.inner_text("body")
        assert "Password" in body
        assert "Articles" not in body and "Mentions" not in body
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no list of the files in pages/
        assert page.locator("iframe").count() == 0  # no map


def _browser_login(page, name: str, password: str) -> None:
    page.locator("input[type=password]").wait_for(timeout=30000)
    page.get_by_label("User name").fill(name)
    page.locator("input[type=password]").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_browser_login_survives_reload_and_new_tab_and_deep_link_lands(auth_env, tmp_path):
    from geo.store import Store
    from geo.types import Article

    article = Article(text="Shelling was reported near the river crossing overnight.", title="Crossing report")
    Store(os.environ["DATABASE_URL"]).add(article, [])
    with _browser_on("serve.py") as (browser, base):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/articles?read={article.id}")  # a deep link, before login
        page.get_by_text("Sign in to see it").wait_for(timeout=30000)
        assert "Page not found" not in page.inner_text("body")
        _browser_login(page, "vera", "viewer password")
        page.get_by_role("heading", name="Crossing report").wait_for(timeout=30000)  # landed where it pointed
        assert f"read={article.id}" in page.url and "/articles" in page.url and "cm-auth" not in page.url
        cookie = next(c for c in context.cookies() if c["name"] == "cm_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert 11 * 3600 < cookie["expires"] - time.time() <= 12 * 3600
        assert page.evaluate("document.cookie").find("cm_session") < 0  # not readable by scripts
        page.reload()  # F5
        page.get_by_role("heading", name="Crossing report").wait_for(timeout=30000)
        assert "Sign in to see it" not in page.inner_text("body")
        tab = context.new_page()  # a new tab
        tab.goto(f"{base}/events")
        tab.get_by_text("Signed in as").wait_for(timeout=30000)
        assert "Add article" not in tab.inner_text("body")  # a viewer's navigation
        tab.get_by_role("button", name="Log out").click()
        tab.get_by_text("Sign in to see it").wait_for(timeout=30000)
        assert not [c for c in context.cookies() if c["name"] == "cm_session"]
        page.reload()
        page.get_by_text("Sign in to see it").wait_for(timeout=30000)
        other = browser.new_context().new_page()  # a forged cookie in another browser gets the login form
        other.context.add_cookies([{"name": "cm_session", "value": cookie["value"], "url": base}])
        other.goto(f"{base}/")  # revoked at logout, though genuine and not expired
        other.get_by_text("Sign in to see it").wait_for(timeout=30000)


def _login(at, name, password):
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def _pages(at) -> set[str]:
    """The pages in this session's navigation (AppTest refuses to switch to any other)."""
    known = set()
    for path in ("map", "articles", "events", "add_article", "export", "admin"):
        try:
            at.switch_page(f"pages/{path}.py")
        except ValueError:
            continue
        known.add(path)
    return known


def test_viewer_has_no_add_article_page_editor_has(auth_env):
    at = _login(_app().run(), "vera", "viewer password")
    assert not at.exception
    assert _pages(at) == {"map", "articles", "events", "export"}
    at = _login(_app().run(), "ed", "editor password")
    assert _pages(at) == {"map", "articles", "events", "add_article", "export"}
    at.switch_page("pages/add_article.py").run()
    assert not at.exception and at.text_area  # the editor may paste an article


def test_admin_has_the_admin_page(auth_env):
    text = auth_env.read_text(encoding="utf-8")
    auth_env.write_text(text + f'[auth.users.root]\nrole = "admin"\npassword_hash = "{hash_password("admin password")}"\n',
                        encoding="utf-8")
    at = _login(_app().run(), "root", "admin password")
    assert "admin" in _pages(at)
    at.switch_page("pages/admin.py").run()
    assert not at.exception and any(s.value == "Audit trail" for s in at.subheader)


def test_a_deep_links_query_is_kept_through_the_login(auth_env):
    at = _app()
    at.query_params["read"] = "abc123"
    at.run()
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    _login(at, "vera", "viewer password")
    assert not at.exception
    assert at.query_params["read"] == ["abc123"] or at.query_params["read"] == "abc123"


def test_failed_logins_are_throttled(auth_env, monkeypatch):
    from geo.teams import auth

    monkeypatch.setattr(auth, "USER_THROTTLE", auth.LoginThrottle(free=2))
    monkeypatch.setattr("pages._auth.login", lambda *a, **k: auth.login(*a, by_user=auth.USER_THROTTLE, **k))
    at = _app().run()
    for _ in range(2):
        _login(at, "ed", "guess")
        assert any("wrong password" in e.value for e in at.error)
    _login(at, "ed", "editor password")  # right, but too soon
    assert any("Too many failed logins" in e.value for e in at.error)
    assert "cm_user" not in at.session_state


def test_a_valid_session_cookie_logs_in_without_the_form(auth_env, monkeypatch):
    from geo.teams.auth import Role, User
    from pages import _auth

    cfg = _auth.auth_config()
    token = _auth.sessions(cfg).issue(User("ed", Role.EDITOR))
    monkeypatch.setattr(_auth, "_session_cookie", lambda: token)
    at = _app().run()
    assert not at.exception
    assert not any(t.label == "User name" for t in at.text_input)
    assert any("Signed in as **ed** (editor)" in c.value for c in at.sidebar.caption)
    monkeypatch.setattr(_auth, "_session_cookie", lambda: token + "x")  # tampered
    at = _app().run()
    assert [t.label for t in at.text_input] == ["User name", "Password"]


