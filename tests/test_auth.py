"""Built-in users and roles: hashed passwords, permissions enforced in code."""

from __future__ import annotations

import pytest

from geo.teams.auth import Action, PermissionDenied, Role, User, authenticate, hash_password, oidc_user

USERS = {
    "alice": {"role": "editor", "password_hash": hash_password("correct horse battery")},
    "victor": {"role": "viewer", "password_hash": hash_password("viewer password 1")},
    "root": {"role": "admin", "password_hash": hash_password("admin password 1")},
}


def test_password_hashes_are_argon2_and_salted():
    a, b = hash_password("same password!"), hash_password("same password!")
    assert a.startswith("$argon2id$") and a != b
    with pytest.raises(ValueError):
        hash_password("short")


def test_authenticate():
    assert authenticate(USERS, "alice", "correct horse battery") == User("alice", Role.EDITOR)
    assert authenticate(USERS, "alice", "wrong") is None
    assert authenticate(USERS, "mallory", "correct horse battery") is None
    assert authenticate(USERS, "", "") is None
    assert authenticate({"x": {"password_hash": "not-a-hash"}}, "x", "anything") is None


def test_roles_enforced_in_code():
    viewer = authenticate(USERS, "victor", "viewer password 1")
    assert viewer.can(Action.VIEW) and viewer.can(Action.EXPORT)
    for action in (Action.INGEST, Action.EDIT, Action.DELETE, Action.MANAGE_USERS):
        with pytest.raises(PermissionDenied):
            viewer.require(action)
    editor = authenticate(USERS, "alice", "correct horse battery")
    editor.require(Action.INGEST)
    with pytest.raises(PermissionDenied):
        editor.require(Action.DELETE)
    authenticate(USERS, "root", "admin password 1").require(Action.DELETE)


def test_oidc_roles_default_to_viewer():
    assert oidc_user("Ana@Example.org", {"ana@example.org": "admin"}).role is Role.ADMIN
    assert oidc_user("bob@example.org", {}).role is Role.VIEWER
    assert oidc_user(None, {}) is None


# ---------------------------------------------------------------------------- sessions

import os  # noqa: E402
import stat  # noqa: E402

from geo.teams.auth import LoginThrottle, Sessions, login, session_seconds, session_secret  # noqa: E402

SECRET = "s" * 40


class Clock:
    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_session_token_names_the_user_and_takes_the_role_configured_now():
    sessions = Sessions(SECRET, max_age=3600)
    token = sessions.issue(User("alice", Role.EDITOR))
    assert sessions.read(token, USERS) == User("alice", Role.EDITOR)
    demoted = {**USERS, "alice": {**USERS["alice"], "role": "viewer"}}
    assert sessions.read(token, demoted) == User("alice", Role.VIEWER)  # demotion applies at once
    assert sessions.read(token, {k: v for k, v in USERS.items() if k != "alice"}) is None  # removed user
    assert "alice" not in token or "editor" not in token  # no role inside: it is looked up


def test_session_token_expires_and_cannot_be_forged():
    clock = Clock()
    sessions = Sessions(SECRET, max_age=3600, clock=clock)
    token = sessions.issue(User("alice", Role.EDITOR))
    assert Sessions("t" * 40, max_age=3600).read(token, USERS) is None  # another server's key
    head, signature = token.rsplit(".", 1)  # the signature's first character (the last may be padding bits)
    assert sessions.read(f"{head}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}", USERS) is None
    assert sessions.read("", USERS) is None and sessions.read(None, USERS) is None
    assert sessions.read("x" * 10_000, USERS) is None
    clock.t += 3601 + 1e9  # far beyond max_age by the injected clock
    assert sessions.read(token, USERS) is None


def test_logout_revokes_the_token_and_a_ticket_is_used_once():
    sessions = Sessions(SECRET)
    token = sessions.issue(User("root", Role.ADMIN))
    ticket = sessions.handoff(token)
    assert sessions.redeem(ticket) == token
    assert sessions.redeem(ticket) is None  # replayed
    assert sessions.redeem(token) is None  # a session token is not a ticket (other salt)
    assert sessions.read(ticket, USERS) is None  # nor the other way round
    sessions.revoke(token)
    assert sessions.read(token, USERS) is None


def test_session_secret_from_config_or_a_private_key_file(tmp_path):
    assert session_secret({"session_secret": SECRET}) == SECRET
    with pytest.raises(ValueError):
        session_secret({"session_secret": "short"})
    path = tmp_path / "secrets" / "session.key"
    key = session_secret({}, path)
    assert len(key) >= 32 and session_secret({}, path) == key  # made once, then read
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert (path.parent / ".gitignore").read_text() == "*\n"
    os.chmod(path, 0o644)
    with pytest.raises(ValueError, match="readable by others"):
        session_secret({}, path)


def test_session_hours_are_configurable_and_bounded():
    assert session_seconds({}) == 12 * 3600
    assert session_seconds({"session_hours": 1.5}) == 5400
    for bad in ("x", -1, 0, float("inf"), float("nan")):
        assert session_seconds({"session_hours": bad}) == 12 * 3600
    assert session_seconds({"session_hours": 10**9}) == 90 * 24 * 3600


# ---------------------------------------------------------------------------- throttling


def test_throttle_backs_off_exponentially_after_the_free_failures():
    clock = Clock()
    throttle = LoginThrottle(free=3, base=2.0, cap=60.0, clock=clock)
    for _ in range(3):
        assert throttle.wait("k") == 0
        throttle.failure("k")
    assert throttle.wait("k") == 2.0
    throttle.failure("k")
    assert throttle.wait("k") == 4.0
    clock.t += 3
    assert throttle.wait("k") == 1.0
    for _ in range(20):
        throttle.failure("k")
    assert throttle.wait("k") == 60.0  # capped
    clock.t += 60
    assert throttle.wait("k") == 0
    throttle.success("k")
    assert throttle.wait("k") == 0 and throttle.wait("other") == 0


def test_throttle_memory_is_bounded():
    throttle = LoginThrottle(max_keys=100)
    for i in range(1000):
        throttle.failure(f"user:{i}")
    assert len(throttle._fails) == 100


def test_login_is_throttled_per_user_name_and_per_client():
    clock = Clock()
    by_user = LoginThrottle(free=3, clock=clock)
    by_client = LoginThrottle(free=5, clock=clock)
    for _ in range(3):
        assert login(USERS, "alice", "wrong", "10.0.0.1", by_user=by_user, by_client=by_client).user is None
    refused = login(USERS, "alice", "correct horse battery", "10.0.0.2", by_user=by_user, by_client=by_client)
    assert refused.user is None and refused.wait > 0  # the right password waits too: no guessing race
    assert login(USERS, "ALICE ", "x", "10.0.0.3", by_user=by_user, by_client=by_client).wait > 0  # same name
    # Another user from the first client still gets in, until that client has failed too often.
    assert login(USERS, "root", "admin password 1", "10.0.0.1", by_user=by_user, by_client=by_client).user
    for name in ("u1", "u2"):
        login(USERS, name, "x", "10.0.0.1", by_user=by_user, by_client=by_client)
    assert login(USERS, "root", "admin password 1", "10.0.0.1", by_user=by_user, by_client=by_client).wait > 0
    clock.t += by_user.cap + 1
    assert login(USERS, "alice", "correct horse battery", "10.0.0.9", by_user=by_user, by_client=by_client).user
