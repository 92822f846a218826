"""Who may do what: built-in users with Argon2-hashed passwords, roles, and permission checks.

Teams with an OpenID Connect provider use Streamlit's `st.login` instead of the built-in users; either way
the signed-in person gets one of three roles, and every action is checked here, in code, not only hidden
in the UI. Users live in `.streamlit/secrets.toml` (never in the repository):

    [auth]
    mode = "password"            # or "oidc" (then configure [auth.oidc] as Streamlit documents)
    session_hours = 12           # how long a built-in user's login lasts (reloads and new tabs included)
    session_secret = "..."       # optional: 32+ random characters; else a key file is made (session_key_file)
    [auth.users.alice]
    role = "editor"
    password_hash = "$argon2id$..."   # from: python -m geo users hash

A built-in user's login lives in a signed, expiring token (itsdangerous) kept in an HttpOnly cookie, so
that a reload or a new tab does not log them out; the role is read from the configuration again on every
use, so removing or demoting a user takes effect on their next page. Failed logins are slowed down per
user name and per client (`LoginThrottle`, in memory: one server).
"""

from __future__ import annotations

import hmac
import math
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

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


def role_of(users: Mapping[str, Mapping[str, str]], name: str) -> Role | None:
    """The configured role of a built-in user now; None when the user is no longer configured."""
    entry = users.get(name)
    if not isinstance(entry, Mapping) or not entry.get("password_hash"):
        return None
    try:
        return Role(entry.get("role", "viewer"))
    except ValueError:
        return Role.VIEWER


# ---------------------------------------------------------------------------- sessions

SESSION_COOKIE = "cm_session"
DEFAULT_SESSION_HOURS = 12.0
HANDOFF_SECONDS = 60  # a login's one-time hand-over to the cookie route must be used within this
_MIN_SECRET = 32


def default_key_file() -> Path:
    """Where the generated session key lives: beside the store's data, never under static/ (not served)."""
    env = os.environ.get("CONFLICTMAP_SESSION_KEY_FILE")
    if env:
        return Path(env)
    from geo.config import DATA_DIR

    return Path(DATA_DIR) / "secrets" / "session.key"


def session_secret(cfg: Mapping, key_file: Path | None = None) -> str:
    """The key that signs sessions: `[auth] session_secret`, else a random key kept in a 0600 file.

    Several servers behind one proxy must share it (configure session_secret, or share the key file).
    """
    configured = cfg.get("session_secret")
    if configured:
        if len(str(configured)) < _MIN_SECRET:
            raise ValueError(f"[auth] session_secret must have at least {_MIN_SECRET} characters")
        return str(configured)
    path = Path(cfg.get("session_key_file") or key_file or default_key_file())
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    ignore = path.parent / ".gitignore"
    if path.parent.name == "secrets" and not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")  # never committed by accident
    try:  # O_EXCL: two servers starting at once agree on the first key written
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(48))
    return _read_key(path)


def _read_key(path: Path) -> str:
    if path.is_symlink():
        raise ValueError(f"session key file {path} is a symbolic link; refusing it")
    mode = path.stat().st_mode & 0o077
    if mode:
        raise ValueError(f"session key file {path} is readable by others (chmod 600 {path})")
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < _MIN_SECRET:
        raise ValueError(f"session key file {path} holds fewer than {_MIN_SECRET} characters")
    return key


def session_seconds(cfg: Mapping) -> int:
    try:
        hours = float(cfg.get("session_hours", DEFAULT_SESSION_HOURS))
    except (TypeError, ValueError):
        hours = DEFAULT_SESSION_HOURS
    if not math.isfinite(hours) or hours <= 0:
        hours = DEFAULT_SESSION_HOURS
    return int(min(hours, 24 * 90) * 3600)  # at most 90 days


@dataclass
class Sessions:
    """Signed, expiring login tokens for built-in users (the cookie's value) and one-time hand-overs.

    A token names the user and a random session id; it carries no role (that is looked up again on each
    use). Logging out revokes the id for the rest of its lifetime, in memory (one server: another replica
    still accepts it until it expires; the cookie itself is cleared in the browser either way).
    """

    secret: str
    max_age: int = int(DEFAULT_SESSION_HOURS * 3600)
    clock: Callable[[], float] = time.time
    _revoked: dict[str, float] = field(default_factory=dict)
    _used: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _signer(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt=salt)

    def issue(self, user: User) -> str:
        return self._signer("conflictmap-session").dumps({"u": user.name, "s": secrets.token_urlsafe(16)})

    def read(self, token: str | None, users: Mapping[str, Mapping[str, str]]) -> User | None:
        """The user a session token stands for, if it is genuine, not expired, not revoked, and the user
        is still configured (with the role configured now)."""
        payload = self._load(token, "conflictmap-session", self.max_age)
        if payload is None or not isinstance(payload.get("u"), str):
            return None
        with self._lock:
            if payload.get("s") in self._revoked:
                return None
        role = role_of(users, payload["u"])
        return None if role is None else User(payload["u"], role)

    def revoke(self, token: str | None) -> None:
        payload = self._load(token, "conflictmap-session", self.max_age)
        if payload is not None:
            with self._lock:
                self._forget_old(self._revoked)
                self._revoked[str(payload.get("s"))] = self.clock()

    def handoff(self, token: str) -> str:
        """A one-time, one-minute ticket that the cookie route swaps for the cookie (see serve.py)."""
        return self._signer("conflictmap-handoff").dumps({"t": token, "n": secrets.token_urlsafe(12)})

    def redeem(self, ticket: str | None) -> str | None:
        """The session token of a hand-over ticket, once; None when forged, stale or used already."""
        payload = self._load(ticket, "conflictmap-handoff", HANDOFF_SECONDS)
        if payload is None or not isinstance(payload.get("t"), str):
            return None
        with self._lock:
            self._forget_old(self._used, HANDOFF_SECONDS)
            if payload.get("n") in self._used:
                return None
            self._used[str(payload.get("n"))] = self.clock()
        return payload["t"]

    def _load(self, token: str | None, salt: str, max_age: int) -> dict | None:
        if not token or not isinstance(token, str) or len(token) > 4096:
            return None
        signer = self._signer(salt)
        try:
            payload, signed_at = signer.loads(token, max_age=max_age, return_timestamp=True)
        except (BadSignature, ValueError, TypeError):
            return None
        age = self.clock() - signed_at.timestamp()
        if not isinstance(payload, dict) or age > max_age or age < -60:  # the injected clock decides too
            return None
        return payload

    def _forget_old(self, seen: dict[str, float], horizon: float | None = None) -> None:
        cutoff = self.clock() - (horizon if horizon is not None else self.max_age)
        for key in [k for k, at in seen.items() if at < cutoff]:
            del seen[key]


# ---------------------------------------------------------------------------- throttling


@dataclass
class LoginThrottle:
    """Exponential back-off after failed logins, per user name and per client.

    The first `free` failures of a key cost nothing; after that each failure doubles the wait before the
    next attempt is even checked (from `base` seconds up to `cap`). A success clears the user name's count.
    Kept in memory, bounded to `max_keys` (oldest forgotten first): enough for one server; replicas behind
    a proxy each keep their own (a proxy's rate limit covers the sum).
    """

    free: int = 5
    base: float = 2.0
    cap: float = 15 * 60.0
    max_keys: int = 20000
    clock: Callable[[], float] = time.monotonic
    _fails: OrderedDict = field(default_factory=OrderedDict)  # key -> (count, last failure time)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, *keys: str) -> float:
        """Seconds before another attempt for these keys is allowed (0: go ahead)."""
        now = self.clock()
        with self._lock:
            return max([self._delay(*self._fails[k]) - (now - self._fails[k][1]) for k in keys if k in self._fails]
                       + [0.0])

    def failure(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for k in keys:
                count = self._fails.pop(k, (0, now))[0]
                self._fails[k] = (count + 1, now)
            while len(self._fails) > self.max_keys:
                self._fails.popitem(last=False)

    def success(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._fails.pop(k, None)

    def _delay(self, count: int, _at: float) -> float:
        if count < self.free:
            return 0.0
        return min(self.cap, self.base * 2 ** min(count - self.free, 30))


# One per server process: the login form of every session shares it.
USER_THROTTLE = LoginThrottle(free=5)
CLIENT_THROTTLE = LoginThrottle(free=20)


def throttle_keys(name: str, client: str | None) -> tuple[str, str]:
    return "user:" + (name or "").strip().casefold()[:200], "client:" + (client or "local")[:100]


@dataclass(frozen=True)
class LoginResult:
    """A throttled login's outcome: the user, or None with the seconds to wait (0 for a plain refusal)."""

    user: User | None
    wait: float = 0.0


def login(users: Mapping[str, Mapping[str, str]], name: str, password: str, client: str | None = None,
          *, by_user: LoginThrottle = USER_THROTTLE, by_client: LoginThrottle = CLIENT_THROTTLE) -> LoginResult:
    """Check a login under the throttle; while a back-off runs the password is not even checked."""
    user_key, client_key = throttle_keys(name, client)
    wait = max(by_user.wait(user_key), by_client.wait(client_key))
    if wait > 0:
        return LoginResult(None, wait)
    user = authenticate(users, name, password)
    if user is None:
        by_user.failure(user_key)
        by_client.failure(client_key)
        return LoginResult(None)
    by_user.success(user_key)
    return LoginResult(user)
