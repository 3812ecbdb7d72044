"""Activation codes: nobody ever knows another person's password. A user is created without
one and gets a one-time code, shown once to whoever created them, to be handed over; with
it the user chooses their own password (POST /auth/activate) within 72 hours."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from coopac_core.audit import service as audit_service
from coopac_core.config import Settings
from coopac_core.models_base import utcnow
from coopac_core.security import login
from coopac_core.security.errors import (
    ActivationCodeExpired,
    ActivationCodeInvalid,
    UserAlreadyActivated,
    WeakPassword,
)
from coopac_core.security.models import StaffUser
from coopac_core.security.passwords import hash_password, password_problem
from coopac_core.security.principal import Principal
from coopac_core.security.schemas import TokenResponse

# DOMAIN.md is silent; the issue sets 72 hours: long enough to reach a rural branch.
CODE_LIFETIME = timedelta(hours=72)
# Crockford's base32 (no I, L, O, U): read aloud or copied from paper without confusion
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_GROUPS, _GROUP = 3, 4  # 12 characters, 60 bits


def _digest(code: str) -> str:
    """What is kept of a code: it is random and short-lived, so a plain hash suffices."""
    normal = "".join(c for c in code.upper() if c.isalnum()).translate(_READ_AS)
    return hashlib.sha256(normal.encode()).hexdigest()


def issue(user: StaffUser) -> tuple[str, datetime]:
    """A new code for ``user`` (one never activated): the previous one stops working."""
    if user.password_hash is not None:
        raise UserAlreadyActivated()
    code = "-".join(
        "".join(secrets.choice(_ALPHABET) for _ in range(_GROUP)) for _ in range(_GROUPS)
    )
    user.activation_code_hash = _digest(code)
    user.activation_expires_at = utcnow() + CODE_LIFETIME
    return code, user.activation_expires_at


def activate(
    session: Session,
    settings: Settings,
    code: str,
    new_password: str,
    username: str | None,
    address: str,
) -> TokenResponse:
    """The user behind ``code`` chooses their password and is logged in. A wrong code
    raises ``ActivationCodeInvalid``; the caller counts it like a wrong password."""
    login.check_address(session, settings, address)
    user = session.exec(
        select(StaffUser).where(StaffUser.activation_code_hash == _digest(code))
    ).first()
    if user is None or not user.is_active or (username is not None and username != user.username):
        raise ActivationCodeInvalid()
    assert user.activation_expires_at is not None
    if user.activation_expires_at <= utcnow():
        raise ActivationCodeExpired(expires_at=user.activation_expires_at.isoformat())
    if (problem := password_problem(new_password, user.username)) is not None:
        raise WeakPassword(problem[0])
    user.password_hash = hash_password(new_password)
    user.activation_code_hash = None
    user.activation_expires_at = None
    user.must_change_password = False
    user.token_version += 1
    user.updated_at = utcnow()
    session.add(user)
    audit_service.record(
        session,
        Principal(name=user.username, user_id=user.id),
        "user.activate",
        "staff_user",
        user.id,
        cooperative_id=user.cooperative_id,
        details={"address": address},
    )
    return login.issue_session(session, settings, user)
