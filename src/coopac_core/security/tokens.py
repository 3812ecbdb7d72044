"""JWT access and refresh tokens (PyJWT), and API key material."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt

from coopac_core.models_base import utcnow
from coopac_core.security.errors import InvalidApiKey, InvalidToken, TokenExpired
from coopac_core.security.roles import API_KEY_FORBIDDEN_ROLES
from coopac_core.security.scopes import scope_var

ALGORITHM = "HS256"
TokenType = Literal["access", "refresh"]
API_KEY_PREFIX = "coopac"
# Refreshing an API key's last_used_at on every call would turn each request into a write.
API_KEY_TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class TokenClaims:
    user_id: uuid.UUID
    version: int
    type: TokenType
    expires_at: datetime
    jti: uuid.UUID | None = None
    # The session may only change its password (the user must choose their own first).
    password_change_required: bool = False


def issue_token(
    secret: str,
    user_id: uuid.UUID,
    version: int,
    type_: TokenType,
    lifetime: timedelta,
    *,
    jti: uuid.UUID | None = None,
    password_change_required: bool = False,
) -> tuple[str, datetime]:
    expires = utcnow() + lifetime
    payload: dict[str, object] = {
        "sub": str(user_id),
        "ver": version,
        "typ": type_,
        "exp": expires,
        "iat": utcnow(),
        "jti": (jti or uuid.uuid4()).hex,
    }
    if password_change_required:
        payload["pwc"] = True
    return jwt.encode(payload, secret, algorithm=ALGORITHM), expires


def decode_token(secret: str, token: str, expected: TokenType) -> TokenClaims:
    """The claims of a valid, unexpired token of the expected type."""
    try:
        payload = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp", "typ"]}
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired() from None
    except jwt.PyJWTError:
        raise InvalidToken() from None
    try:
        if payload["typ"] != expected:
            raise ValueError(payload["typ"])
        return TokenClaims(
            user_id=uuid.UUID(payload["sub"]),
            version=int(payload.get("ver", 0)),
            type=expected,
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            jti=uuid.UUID(payload["jti"]) if "jti" in payload else None,
            password_change_required=payload.get("pwc") is True,
        )
    except (ValueError, KeyError, TypeError):
        raise InvalidToken() from None


def new_api_key() -> tuple[str, str, str]:
    """(full key shown once, lookup prefix, hash to store)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{API_KEY_PREFIX}_{prefix}_{secret}", prefix, hash_api_secret(secret)


def hash_api_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_api_key(key: str) -> tuple[str, str] | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        return None
    return parts[1], parts[2]


def api_key_credential(key: str) -> dict[str, Any]:
    """An API key as the database checks it (``coopac_api_key_principal``, for a request's
    session and for a one-call money operation alike): its prefix, the hash of its secret,
    the scope this request needs, the roles no key acts with, how often its use is noted."""
    parts = split_api_key(key)
    if parts is None:
        raise InvalidApiKey()
    prefix, secret = parts
    scope = scope_var.get()
    return {
        "api_key_prefix": prefix,
        "api_key_hash": hash_api_secret(secret),
        "scope": scope.value if scope is not None else None,
        "forbidden": sorted(API_KEY_FORBIDDEN_ROLES),
        "touch": f"{int(API_KEY_TOUCH_INTERVAL.total_seconds())} seconds",
    }
