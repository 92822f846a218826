"""Built-in users and roles: hashed passwords, permissions enforced in code."""

from __future__ import annotations

import pytest

from geo.auth import Action, PermissionDenied, Role, User, authenticate, hash_password, oidc_user

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
