"""The chair's console's credentials, decided without I/O: Mini App `initData`, one-time sign-in
tokens, session ids and CSRF tokens.

Telegram signs a Mini App's `initData` with a key derived from the bot token
(https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app): the key is
HMAC_SHA256(key="WebAppData", msg=bot_token) and the signature is HMAC_SHA256 of the
"data-check-string" (every field but `hash`, sorted, as `key=value` lines). `auth_date` says when
Telegram signed it; an old one is refused, so a copied `initData` is good for an hour at most.

Sign-in tokens and session ids are random (256 bits) and stored only as a keyed digest: the key
is derived from the bot token, so the database alone cannot be replayed, and a session issued by
another bot (another token) is unknown here. The time is always an argument.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qsl

INIT_DATA_MAX_AGE = timedelta(hours=1)
# Telegram's clock and ours may differ a little; an auth_date further ahead is not honest.
CLOCK_SKEW = timedelta(minutes=1)
SIGNIN_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=12)
INIT_DATA_LIMIT = 8192  # characters; Telegram's are well under 1 KB

_SECRET_BYTES = 32
# token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_HASH_SHAPE = re.compile(r"^[0-9a-f]{64}$")


class Refusal(StrEnum):
    """Why a credential was refused (stable codes: audited, and mapped to messages)."""

    MALFORMED = "malformed"  # not initData / not a token at all
    FORGED = "forged"  # the signature does not match this bot's token
    STALE = "stale"  # auth_date older than the limit (or in the future)
    UNKNOWN = "unknown"  # no such sign-in link or session
    USED = "used"  # a sign-in link opened before
    EXPIRED = "expired"  # a sign-in link or session past its time
    NOT_ORGANISER = "not_organiser"  # a genuine user who may not use the console
    CSRF = "csrf"  # a change without the session's CSRF token


class AuthError(Exception):
    """A refused credential; `refusal` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user vouched for by a verified `initData`."""

    id: int
    first_name: str
    language_code: str | None
    auth_date: datetime


def webapp_key(bot_token: str) -> bytes:
    """The key Telegram signs this bot's Mini App data with."""
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    """Every field but `hash`, sorted by key, as `key=value` lines."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def verify_init_data(init_data: str, bot_token: str, now: datetime,
                     max_age: timedelta = INIT_DATA_MAX_AGE) -> WebAppUser:
    """The user of a Mini App's `initData` if Telegram signed it for this bot recently.

    Raises AuthError (MALFORMED, FORGED or STALE) otherwise.
    """
    if not init_data or len(init_data) > INIT_DATA_LIMIT:
        raise AuthError(Refusal.MALFORMED)
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise AuthError(Refusal.MALFORMED) from None
    fields = dict(pairs)
    if len(fields) != len(pairs):  # a repeated key: which one would be signed?
        raise AuthError(Refusal.MALFORMED)
    received = fields.get("hash", "")
    if not _HASH_SHAPE.match(received):
        raise AuthError(Refusal.MALFORMED)
    expected = hmac.new(webapp_key(bot_token), data_check_string(fields).encode(),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, received):
        raise AuthError(Refusal.FORGED)
    # Signed by Telegram from here on: a bad shape is Telegram's, not an attacker's, but still
    # nothing we can vouch for.
    auth_date = _timestamp(fields.get("auth_date", ""))
    if auth_date is None:
        raise AuthError(Refusal.MALFORMED)
    if now - auth_date > max_age or auth_date - now > CLOCK_SKEW:
        raise AuthError(Refusal.STALE)
    user = _user(fields.get("user", ""))
    if user is None:
        raise AuthError(Refusal.MALFORMED)
    user_id, first_name, language = user
    return WebAppUser(user_id, first_name, language, auth_date)


def _timestamp(text: str) -> datetime | None:
    if not text.isdecimal() or len(text) > 12:
        return None
    return datetime.fromtimestamp(int(text), UTC)


def _user(text: str) -> tuple[int, str, str | None] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    user_id = data.get("id")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        return None
    first_name = data.get("first_name")
    language = data.get("language_code")
    return (user_id, first_name if isinstance(first_name, str) else "",
            language if isinstance(language, str) else None)


# --- sign-in tokens, sessions, CSRF ------------------------------------------------------------
def new_secret() -> str:
    """A fresh random secret (sign-in token, session id or CSRF token)."""
    return secrets.token_urlsafe(_SECRET_BYTES)


def looks_like_secret(text: str | None) -> bool:
    """Whether `text` has the shape of a secret made by `new_secret` (checked before lookup)."""
    return text is not None and _SECRET_SHAPE.match(text) is not None


def storage_key(bot_token: str) -> bytes:
    """The key the stored digests of this bot's tokens and sessions are made with."""
    return hmac.new(b"PanelConsole", bot_token.encode(), hashlib.sha256).digest()


def digest(key: bytes, kind: str, secret: str) -> str:
    """The stored form of a secret: a keyed digest, separate per kind ("signin", "session")."""
    return hmac.new(key, f"{kind}:{secret}".encode(), hashlib.sha256).hexdigest()


def same_secret(expected: str, received: str | None) -> bool:
    """Constant-time comparison of a CSRF token (None or empty never matches)."""
    if not received or not expected:
        return False
    return hmac.compare_digest(expected.encode(), received.encode())


def signin_refusal(expires_at: datetime | None, used_at: datetime | None,
                   now: datetime) -> Refusal | None:
    """Why a sign-in link cannot be used now (None: it can, once); `expires_at` is None for a
    link that was never issued."""
    if expires_at is None:
        return Refusal.UNKNOWN
    if used_at is not None:
        return Refusal.USED
    if now >= expires_at:
        return Refusal.EXPIRED
    return None


def session_refusal(expires_at: datetime | None, now: datetime) -> Refusal | None:
    """Why a session cannot be used now (None: it can); `expires_at` is None for an unknown
    session."""
    if expires_at is None:
        return Refusal.UNKNOWN
    if now >= expires_at:
        return Refusal.EXPIRED
    return None
