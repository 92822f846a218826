"""Login: with users configured, an anonymous session sees only the login screen; roles shape the pages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.auth import hash_password

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


def test_browser_anonymous_visitor_sees_only_login(auth_env, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                        "--disable-background-networking", "--no-first-run"])
            page = browser.new_page()
            deadline = time.time() + 40
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=5000)
                    break
                except Exception:  # noqa: BLE001 (server still starting)
                    if time.time() > deadline:
                        raise
                    time.sleep(0.5)
            page.get_by_text("Sign in to see it").wait_for(timeout=30000)
            page.locator("input[type=password]").wait_for(timeout=30000)  # the form comes a moment later
            body = page.inner_text("body")
            assert "Password" in body
            assert "Articles" not in body and "Mentions" not in body
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no list of the files in pages/
            assert page.locator("iframe").count() == 0  # no map
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_viewer_is_refused_on_the_add_article_page(auth_env):
    at = _app()
    at.run()
    at.text_input[0].input("vera")
    at.text_input[1].input("viewer password")
    at.button[0].click().run()
    at.switch_page("pages/add_article.py").run()
    assert not at.exception
    assert any("may not ingest" in w.value for w in at.warning)
    assert not at.text_area  # no way to paste an article
