"""Who may do what: built-in users with Argon2-hashed passwords, roles, and permission checks.

Teams with an OpenID Connect provider use Streamlit's `st.login` instead of the built-in users; either way
the signed-in person gets one of three roles, and every action is checked here, in code, not only hidden
in the UI. Users live in `.streamlit/secrets.toml` (never in the repository):

    [auth]
    mode = "password"            # or "oidc" (then configure [auth.oidc] as Streamlit documents)
    [auth.users.alice]
    role = "editor"
    password_hash = "$argon2id$..."   # from: python -m geo users hash
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()  # Argon2id with the library's recommended cost parameters
# A hash of a random password: verifying unknown users against it costs the same time as a real check.
_DUMMY_HASH = _HASHER.hash("unknown user: timing equaliser")


class Role(str, Enum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


class Action(str, Enum):
    VIEW = "view"
    EXPORT = "export"
    INGEST = "ingest"
    EDIT = "edit"  # change a place's resolution, drop a false place
    DELETE = "delete"
    MANAGE_USERS = "manage users"


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW, Action.EXPORT}),
    Role.EDITOR: frozenset({Action.VIEW, Action.EXPORT, Action.INGEST, Action.EDIT}),
    Role.ADMIN: frozenset(Action),
}


class PermissionDenied(PermissionError):
    """The signed-in user's role does not allow the action."""


@dataclass(frozen=True)
class User:
    name: str
    role: Role

    def can(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def require(self, action: Action) -> None:
        if not self.can(action):
            raise PermissionDenied(f"{self.name} ({self.role.value}) may not {action.value}")


def hash_password(password: str) -> str:
    if len(password) < 10:
        raise ValueError("use a password of at least 10 characters")
    return _HASHER.hash(password)


def authenticate(users: Mapping[str, Mapping[str, str]], name: str, password: str) -> User | None:
    """The user if name and password match a configured user, else None (same cost either way)."""
    entry = None
    for configured, value in users.items():
        if hmac.compare_digest(configured.encode(), (name or "").encode()):
            entry = value
    stored = (entry or {}).get("password_hash") or _DUMMY_HASH
    try:
        ok = _HASHER.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or entry is None:
        return None
    try:
        role = Role(entry.get("role", "viewer"))
    except ValueError:
        role = Role.VIEWER
    return User(name=name, role=role)


def oidc_user(email: str | None, roles: Mapping[str, str], default: str = "viewer") -> User | None:
    """A user signed in through OpenID Connect; roles map e-mail addresses to roles."""
    if not email:
        return None
    role = roles.get(email.lower(), default)
    try:
        return User(name=email, role=Role(role))
    except ValueError:
        return User(name=email, role=Role.VIEWER)
