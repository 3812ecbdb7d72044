"""Sessions: logging in (throttled per address, locked per account), refresh tokens that
work once (a replayed one revokes its family), logging out, changing one's password, and
the audit of each. DOMAIN.md is silent on the figures; these are the prudent defaults of
bank practice."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, text, update
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.config import Settings
from coopac_core.models_base import utcnow
from coopac_core.security import tokens
from coopac_core.security.errors import (
    AccountLocked,
    CurrentPasswordWrong,
    InvalidCredentials,
    PasswordChangeNotForKeys,
    RefreshTokenReused,
    SamePassword,
    TokenRevoked,
    TooManyAttempts,
    WeakPassword,
)
from coopac_core.security.models import LoginFailure, RefreshToken, StaffUser
from coopac_core.security.passwords import hash_password, password_problem, verify_password
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.schemas import TokenResponse

LOCK_AFTER_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
ADDRESS_WINDOW = timedelta(minutes=10)


def _seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - utcnow()).total_seconds()))


def _issue_pair(
    session: Session, settings: Settings, user: StaffUser, family: uuid.UUID
) -> TokenResponse:
    """An access token and a refresh token of ``family``; the refresh token is recorded,
    so that it can be used once."""
    secret = settings.resolved_secret_key()
    access_life = timedelta(minutes=settings.access_token_minutes)
    refresh_life = timedelta(minutes=settings.refresh_token_minutes)
    jti = uuid.uuid4()
    pending = user.must_change_password
    access, _ = tokens.issue_token(
        secret,
        user.id,
        user.token_version,
        "access",
        access_life,
        password_change_required=pending,
    )
    refresh, expires = tokens.issue_token(
        secret, user.id, user.token_version, "refresh", refresh_life, jti=jti
    )
    session.add(RefreshToken(jti=jti, user_id=user.id, family_id=family, expires_at=expires))
    session.flush()
    return TokenResponse(
        access_token=access,
        expires_in=int(access_life.total_seconds()),
        refresh_token=refresh,
        refresh_expires_in=int(refresh_life.total_seconds()),
        password_change_required=pending,
    )


def _principal_of(user: StaffUser) -> Principal:
    return Principal(name=user.username, user_id=user.id, home_cooperative_id=user.cooperative_id)


def check_address(session: Session, settings: Settings, address: str) -> None:
    """An address that failed too often lately waits, whatever it tries (a login, an
    activation code)."""
    since = utcnow() - ADDRESS_WINDOW
    failures, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.occurred_at)).where(
            LoginFailure.address == address, col(LoginFailure.occurred_at) > since
        )
    ).one()
    if failures >= settings.login_address_max_failures:
        raise TooManyAttempts(retry_after=_seconds_until(oldest + ADDRESS_WINDOW))


def issue_session(session: Session, settings: Settings, user: StaffUser) -> TokenResponse:
    """A new session (a family of refresh tokens) for ``user``."""
    return _issue_pair(session, settings, user, family=uuid.uuid4())


def login(
    session: Session, settings: Settings, username: str, password: str, address: str
) -> TokenResponse:
    """A refused login raises; ``record_failure`` then counts it in a transaction of its
    own (this one rolls back)."""
    check_address(session, settings, address)
    user = session.exec(
        select(StaffUser).where(StaffUser.username == username.strip().lower())
    ).first()
    if user is not None and user.locked_until is not None and user.locked_until > utcnow():
        raise AccountLocked(retry_after=_seconds_until(user.locked_until))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        raise InvalidCredentials()
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    audit_service.record(
        session,
        _principal_of(user),
        "login.success",
        "staff_user",
        user.id,
        cooperative_id=user.cooperative_id,
        details={"address": address},
    )
    return _issue_pair(session, settings, user, family=uuid.uuid4())


def record_failure(session: Session, username: str, address: str) -> None:
    """Count a refused login against its address and its account, and audit it."""
    name = username.strip().lower()[:64]
    session.add(LoginFailure(address=address[:64], username=name))
    details: dict[str, object] = {"username": name, "address": address}
    # One statement: guesses sent in parallel each count (a read-then-write would lose some).
    counted = session.execute(
        text(
            "UPDATE staff_user SET "
            "failed_logins = CASE WHEN failed_logins + 1 >= :limit THEN 0 "
            "ELSE failed_logins + 1 END, "
            "locked_until = CASE WHEN failed_logins + 1 >= :limit THEN now() + :lock "
            "ELSE locked_until END "
            "WHERE username = :u RETURNING id, cooperative_id, locked_until, failed_logins"
        ),
        {"u": name, "limit": LOCK_AFTER_FAILURES, "lock": LOCK_FOR},
    ).first()
    if counted is not None and counted.failed_logins == 0:
        details["locked_until"] = counted.locked_until.isoformat()
    audit_service.record(
        session,
        Principal(name=f"login:{name}"),
        "login.failure",
        "staff_user",
        counted.id if counted else None,
        cooperative_id=counted.cooperative_id if counted else None,
        details=details,
    )


def refresh(session: Session, settings: Settings, refresh_token: str) -> TokenResponse:
    claims = tokens.decode_token(settings.resolved_secret_key(), refresh_token, "refresh")
    row = session.get(RefreshToken, claims.jti, with_for_update=True) if claims.jti else None
    if row is None or row.revoked_at is not None:
        raise TokenRevoked()
    if row.used_at is not None:
        # Presented twice: one of the two presenters stole it. ``revoke_family`` ends
        # every session born of it, in a transaction of its own.
        raise RefreshTokenReused(family=str(row.family_id))
    user = session.get(StaffUser, claims.user_id)
    if user is None or not user.is_active or user.token_version != claims.version:
        raise TokenRevoked()
    row.used_at = utcnow()
    session.add(row)
    return _issue_pair(session, settings, user, family=row.family_id)


def _revoke(session: Session, which: ColumnElement[bool]) -> None:
    session.execute(
        update(RefreshToken)
        .where(which, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_sessions(session: Session, user_id: uuid.UUID) -> None:
    _revoke(session, col(RefreshToken.user_id) == user_id)


def revoke_family(session: Session, family: uuid.UUID) -> None:
    _revoke(session, col(RefreshToken.family_id) == family)


def logout(session: Session, settings: Settings, refresh_token: str) -> None:
    """End the session the refresh token belongs to (its whole family). Access tokens
    already handed out expire on their own within minutes."""
    claims = tokens.decode_token(settings.resolved_secret_key(), refresh_token, "refresh")
    row = session.get(RefreshToken, claims.jti) if claims.jti else None
    if row is None:
        raise TokenRevoked()
    revoke_family(session, row.family_id)
    user = session.get(StaffUser, row.user_id)
    if user is not None:
        audit_service.record(
            session,
            _principal_of(user),
            "logout",
            "staff_user",
            user.id,
            cooperative_id=user.cooperative_id,
        )


def change_password(
    session: Session, settings: Settings, principal: Principal, current: str, new: str
) -> TokenResponse:
    """The user's own change: every other session ends, this one goes on with new tokens."""
    if principal.user_id is None:
        raise PasswordChangeNotForKeys()
    user = session.get(StaffUser, principal.user_id)
    if user is not None and user.locked_until is not None and user.locked_until > utcnow():
        raise AccountLocked(retry_after=_seconds_until(user.locked_until))
    if user is None or not verify_password(user.password_hash, current):
        raise CurrentPasswordWrong()
    if (problem := password_problem(new, user.username)) is not None:
        raise WeakPassword(problem[0])
    if verify_password(user.password_hash, new):
        raise SamePassword()
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.token_version += 1
    user.updated_at = utcnow()
    session.add(user)
    revoke_user_sessions(session, user.id)
    audit_service.record(
        session,
        principal,
        "user.password_change",
        "staff_user",
        user.id,
        cooperative_id=user.cooperative_id,
    )
    return _issue_pair(session, settings, user, family=uuid.uuid4())


def unlock(session: Session, ctx: CoopContext, user: StaffUser) -> None:
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    audit_service.record(
        session,
        ctx.principal,
        "user.unlock",
        "staff_user",
        user.id,
        cooperative_id=ctx.cooperative_id,
    )
