"""Authentication, staff users and API keys."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.config import Settings
from coopac_core.db import flush_or_conflict
from coopac_core.errors import RoleNotAllowed, refusals
from coopac_core.federation.errors import BranchNotFound
from coopac_core.federation.models import Branch
from coopac_core.models_base import utcnow
from coopac_core.observability import request_id_var
from coopac_core.security import login, tokens
from coopac_core.security.errors import (
    AdminWithMoneyRole,
    ApiKeyExpiryInvalid,
    ApiKeyNotFound,
    ApiKeyOwnerLacksRole,
    ApiKeyRoleNotAllowed,
    BranchRequired,
    FederationFirstAdminOnly,
    InvalidRole,
    OwnPasswordForced,
    OwnRoles,
    TokenRevoked,
    UsernameTaken,
    UserNotFound,
)
from coopac_core.security.models import ApiKey, RoleGrant, StaffUser
from coopac_core.security.passwords import hash_password
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import (
    API_KEY_FORBIDDEN_ROLES,
    BRANCH_ROLES,
    COOPERATIVE_ROLES,
    FEDERATION_ROLES,
    MONEY_ROLES,
    Role,
)
from coopac_core.security.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    FederationUserCreate,
    UserCreate,
    UserOut,
    UserUpdate,
)
from coopac_core.security.scopes import ApiKeyScope
from coopac_core.tellers.errors import BranchNotAllowed

API_KEY_PRINCIPAL = text(
    "SELECT coopac_api_key_principal(:prefix, :hash, :scope, :forbidden, "
    "CAST(:touch AS interval), :request_id)"
)
# A key lives at most a year (DOMAIN.md is silent; the prudent rule: a key forgotten in a
# script does not work forever). Without an expiry it lives until revoked.
API_KEY_MAX_DAYS = 366


# --- tokens -----------------------------------------------------------------------------


def _active_user(session: Session, user_id: uuid.UUID, version: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise _revoked()
    _check_session(user.is_active, user.token_version, version)
    return user


def _check_session(is_active: bool, token_version: int, version: int) -> None:
    """A token dies with its user's deactivation or with any later version (logout,
    password or role change)."""
    if not is_active or token_version != version:
        raise _revoked()


def _revoked() -> TokenRevoked:
    return TokenRevoked()


def principal_from_token(session: Session, settings: Settings, token: str) -> Principal:
    claims = tokens.decode_token(settings.resolved_secret_key(), token, "access")
    # The user and their grants in one call that needs no tenant scope (migration 0004):
    # this runs on every request.
    rows = session.execute(text("SELECT * FROM coopac_principal(:u)"), {"u": claims.user_id}).all()
    if not rows:
        raise _revoked()
    user = rows[0]
    _check_session(user.is_active, user.token_version, claims.version)
    federation: set[Role] = set()
    per_coop: dict[uuid.UUID, set[Role]] = defaultdict(set)
    branches: dict[uuid.UUID, uuid.UUID] = {}
    for g in rows:
        if g.role is None:  # a user without grants
            continue
        role = Role(g.role)
        if g.grant_cooperative_id is None:
            federation.add(role)
        else:
            per_coop[g.grant_cooperative_id].add(role)
            if g.branch_id is not None:
                branches[g.grant_cooperative_id] = g.branch_id
    return Principal(
        name=user.username,
        full_name=user.full_name,
        user_id=claims.user_id,
        home_cooperative_id=user.cooperative_id,
        federation_roles=frozenset(federation),
        cooperative_roles={k: frozenset(v) for k, v in per_coop.items()},
        branches=branches,
        password_change_required=claims.password_change_required,
    )


def principal_from_api_key(session: Session, key: str) -> Principal:
    """Who an API key acts for: the database checks it (``coopac_api_key_principal``), the
    same function a one-call money operation sends it to."""
    credential = tokens.api_key_credential(key)
    params = {
        "prefix": credential["api_key_prefix"],
        "hash": credential["api_key_hash"],
        "scope": credential["scope"],
        "forbidden": credential["forbidden"],
        "touch": credential["touch"],
        "request_id": request_id_var.get(),
    }
    with refusals():
        found = session.execute(API_KEY_PRINCIPAL, params).scalar_one()
    cooperative_id = uuid.UUID(found["cooperative"])
    return Principal(
        name=found["name"],
        api_key_id=uuid.UUID(found["id"]),
        owner_user_id=uuid.UUID(found["owner"]),
        home_cooperative_id=cooperative_id,
        cooperative_roles={cooperative_id: frozenset(Role(r) for r in found["roles"])},
        branches={cooperative_id: uuid.UUID(found["branch"])} if found["branch"] else {},
    )


# --- users ------------------------------------------------------------------------------


def _check_roles(
    session: Session,
    cooperative_id: uuid.UUID,
    roles: Iterable[Role],
    branch_id: uuid.UUID | None,
) -> None:
    roles = set(roles)
    if roles - COOPERATIVE_ROLES:
        bad = ", ".join(sorted(roles - COOPERATIVE_ROLES))
        raise InvalidRole(reason=f"Roles de federación no se otorgan en una cooperativa: {bad}")
    if Role.admin in roles and roles & MONEY_ROLES:
        raise AdminWithMoneyRole(roles=", ".join(sorted(roles & MONEY_ROLES)))
    if roles & BRANCH_ROLES and branch_id is None:
        raise BranchRequired()
    if branch_id is not None and session.get(Branch, (cooperative_id, branch_id)) is None:
        raise BranchNotFound()


def _user_out(user: StaffUser, grants: Iterable[RoleGrant]) -> UserOut:
    grants = list(grants)
    branch = next((g.branch_id for g in grants if g.branch_id is not None), None)
    return UserOut(
        id=user.id,
        cooperative_id=user.cooperative_id,
        username=user.username,
        full_name=user.full_name,
        roles=sorted(Role(g.role) for g in grants),
        branch_id=branch,
        is_active=user.is_active,
        password_change_required=user.must_change_password,
        created_at=user.created_at,
    )


def _federation_staff(ctx: CoopContext) -> bool:
    """Whether the caller acts in the cooperative as the federation, not as its staff."""
    return Role.federation_admin in ctx.roles and not ctx.roles & COOPERATIVE_ROLES


def _has_admin(session: Session, ctx: CoopContext) -> bool:
    return (
        session.exec(
            select(RoleGrant.user_id).where(
                RoleGrant.cooperative_id == ctx.cooperative_id, RoleGrant.role == Role.admin
            )
        ).first()
        is not None
    )


def create_user(
    session: Session, ctx: CoopContext, data: UserCreate, *, must_change_password: bool = True
) -> UserOut:
    """A cooperative's user. The administrator chose this password, so by default it is
    only good for choosing another (the demo's users, whose password is published, skip it)."""
    actor, cooperative_id = ctx.principal, ctx.cooperative_id
    _check_roles(session, cooperative_id, data.roles, data.branch_id)
    if _federation_staff(ctx) and (set(data.roles) != {Role.admin} or _has_admin(session, ctx)):
        raise FederationFirstAdminOnly()
    user = StaffUser(
        cooperative_id=cooperative_id,
        username=data.username,
        full_name=data.full_name,
        password_hash=hash_password(data.password),
        must_change_password=must_change_password,
    )
    session.add(user)
    flush_or_conflict(
        session,
        UsernameTaken(),
    )
    grants = [
        RoleGrant(user_id=user.id, cooperative_id=cooperative_id, role=r, branch_id=data.branch_id)
        for r in data.roles
    ]
    session.add_all(grants)
    audit_service.record(
        session,
        actor,
        "user.create",
        "staff_user",
        user.id,
        cooperative_id=cooperative_id,
        details={"username": user.username, "roles": list(data.roles)},
    )
    session.flush()
    return _user_out(user, grants)


def create_federation_user(
    session: Session,
    actor: Principal | None,
    data: FederationUserCreate,
    *,
    must_change_password: bool = True,
) -> StaffUser:
    """A federation user. Made by another person over the API, they choose their own
    password at first login; the operator making their own account at the command line
    does not (``must_change_password=False``)."""
    if set(data.roles) - FEDERATION_ROLES:
        raise InvalidRole(reason="Solo roles de federación: federation_admin, federation_analyst")
    user = StaffUser(
        username=data.username,
        full_name=data.full_name,
        password_hash=hash_password(data.password),
        must_change_password=must_change_password,
    )
    session.add(user)
    flush_or_conflict(
        session,
        UsernameTaken(),
    )
    session.add_all([RoleGrant(user_id=user.id, role=r) for r in sorted(set(data.roles))])
    audit_service.record(
        session,
        actor or Principal(name="cli"),
        "federation_user.create",
        "staff_user",
        user.id,
        cooperative_id=None,
        details={"username": user.username, "roles": sorted(set(data.roles))},
    )
    session.flush()
    return user


def _get_user(session: Session, cooperative_id: uuid.UUID, user_id: uuid.UUID) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None or user.cooperative_id != cooperative_id:
        raise UserNotFound()
    return user


def _grants(session: Session, user_id: uuid.UUID) -> list[RoleGrant]:
    return list(session.exec(select(RoleGrant).where(RoleGrant.user_id == user_id)))


def get_user(session: Session, cooperative_id: uuid.UUID, user_id: uuid.UUID) -> UserOut:
    user = _get_user(session, cooperative_id, user_id)
    return _user_out(user, _grants(session, user.id))


def get_federation_user(session: Session, user_id: uuid.UUID) -> UserOut:
    user = session.get(StaffUser, user_id)
    if user is None or user.cooperative_id is not None:
        raise UserNotFound()
    return _user_out(user, _grants(session, user.id))


def list_users(
    session: Session, cooperative_id: uuid.UUID, *, limit: int, after: str | None
) -> list[UserOut]:
    stmt = select(StaffUser).where(StaffUser.cooperative_id == cooperative_id)
    if after is not None:
        stmt = stmt.where(col(StaffUser.username) > after)
    users = list(session.exec(stmt.order_by(col(StaffUser.username)).limit(limit)))
    by_user: dict[uuid.UUID, list[RoleGrant]] = defaultdict(list)
    if users:
        ids = [u.id for u in users]
        for g in session.exec(select(RoleGrant).where(col(RoleGrant.user_id).in_(ids))):
            by_user[g.user_id].append(g)
    return [_user_out(u, by_user[u.id]) for u in users]


def update_user(
    session: Session, ctx: CoopContext, user_id: uuid.UUID, data: UserUpdate
) -> UserOut:
    actor, cooperative_id = ctx.principal, ctx.cooperative_id
    user = _get_user(session, cooperative_id, user_id)
    grants = _grants(session, user.id)
    changes = data.model_dump(exclude_unset=True)
    revoke = False
    if data.full_name is not None:
        user.full_name = data.full_name
    if data.is_active is not None and data.is_active != user.is_active:
        user.is_active = data.is_active
        revoke = revoke or not data.is_active
    if data.roles is not None or "branch_id" in data.model_fields_set:
        if user.id == actor.person_id:
            raise OwnRoles()
        if _federation_staff(ctx):
            raise FederationFirstAdminOnly()
        roles = set(data.roles) if data.roles is not None else {Role(g.role) for g in grants}
        current_branch = next((g.branch_id for g in grants if g.branch_id), None)
        branch = data.branch_id if "branch_id" in data.model_fields_set else current_branch
        _check_roles(session, cooperative_id, roles, branch)
        for g in grants:
            session.delete(g)
        session.flush()
        grants = [
            RoleGrant(user_id=user.id, cooperative_id=cooperative_id, role=r, branch_id=branch)
            for r in sorted(roles)
        ]
        session.add_all(grants)
        # A change of roles must reach the tokens already issued, too.
        revoke = True
    if revoke:
        user.token_version += 1
    user.updated_at = utcnow()
    session.add(user)
    audit_service.record(
        session,
        actor,
        "user.update",
        "staff_user",
        user.id,
        cooperative_id=cooperative_id,
        details={k: str(v) if isinstance(v, uuid.UUID) else v for k, v in changes.items()},
    )
    session.flush()
    return _user_out(user, grants)


# --- API keys ---------------------------------------------------------------------------


def _api_key_out(row: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=row.id,
        cooperative_id=row.cooperative_id,
        name=row.name,
        prefix=row.prefix,
        roles=[Role(r) for r in row.roles],
        branch_id=row.branch_id,
        owner_id=row.owner_id,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
        scopes=[ApiKeyScope(s) for s in row.scopes],
        expires_at=row.expires_at,
    )


def create_api_key(session: Session, ctx: CoopContext, data: ApiKeyCreate) -> ApiKeyCreated:
    actor, cooperative_id = ctx.principal, ctx.cooperative_id
    _check_roles(session, cooperative_id, data.roles, data.branch_id)
    forbidden = set(data.roles) & API_KEY_FORBIDDEN_ROLES
    if forbidden:
        raise ApiKeyRoleNotAllowed(roles=", ".join(sorted(forbidden)))
    # The key acts for whoever makes it, never for someone else.
    owner = session.get(StaffUser, actor.user_id) if actor.user_id else None
    if owner is None:
        raise RoleNotAllowed("Una clave de API no crea claves: lo hace su titular")
    grants = [g for g in _grants(session, owner.id) if g.cooperative_id == cooperative_id]
    missing = set(data.roles) - {Role(g.role) for g in grants}
    if missing:
        raise ApiKeyOwnerLacksRole(roles=", ".join(sorted(missing)))
    owner_branch = next((g.branch_id for g in grants if g.branch_id is not None), None)
    if Role.teller in data.roles and data.branch_id != owner_branch:
        raise BranchNotAllowed("Una clave de cajero opera en la agencia de su titular")
    now = utcnow()
    if data.expires_at is not None and not (
        now < data.expires_at <= now + timedelta(days=API_KEY_MAX_DAYS)
    ):
        raise ApiKeyExpiryInvalid(max_days=API_KEY_MAX_DAYS)
    key, prefix, secret_hash = tokens.new_api_key()
    row = ApiKey(
        cooperative_id=cooperative_id,
        name=data.name,
        prefix=prefix,
        secret_hash=secret_hash,
        roles=sorted({r.value for r in data.roles}),
        branch_id=data.branch_id,
        created_by=actor.user_id,
        owner_id=owner.id,
        scopes=sorted({s.value for s in data.scopes}),
        expires_at=data.expires_at,
    )
    session.add(row)
    audit_service.record(
        session,
        actor,
        "api_key.create",
        "api_key",
        row.id,
        cooperative_id=cooperative_id,
        details={
            "name": row.name,
            "roles": row.roles,
            "owner": owner.username,
            "scopes": row.scopes,
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        },
    )
    session.flush()
    return ApiKeyCreated(**_api_key_out(row).model_dump(), key=key)


def list_api_keys(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[ApiKeyOut]:
    """A cooperative's keys in the order they were created."""
    stmt = select(ApiKey).where(ApiKey.cooperative_id == cooperative_id)
    if after is not None:
        created_at, key_id = after
        stmt = stmt.where(
            (col(ApiKey.created_at) > created_at)
            | ((col(ApiKey.created_at) == created_at) & (col(ApiKey.id) > key_id))
        )
    rows = session.exec(stmt.order_by(col(ApiKey.created_at), col(ApiKey.id)).limit(limit))
    return [_api_key_out(r) for r in rows]


def revoke_api_key(session: Session, ctx: CoopContext, key_id: uuid.UUID) -> ApiKeyOut:
    actor, cooperative_id = ctx.principal, ctx.cooperative_id
    row = session.get(ApiKey, (cooperative_id, key_id))
    if row is None:
        raise ApiKeyNotFound()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit_service.record(
            session, actor, "api_key.revoke", "api_key", row.id, cooperative_id=cooperative_id
        )
        session.flush()
    return _api_key_out(row)


def force_password_change(session: Session, ctx: CoopContext, user_id: uuid.UUID) -> UserOut:
    """Send a user to choose a new password: their sessions end now, and the next login
    may only change it. The administrator neither sets nor learns it."""
    user = _get_user(session, ctx.cooperative_id, user_id)
    if user.id == ctx.principal.person_id:
        raise OwnPasswordForced()
    user.must_change_password = True
    user.token_version += 1
    user.updated_at = utcnow()
    session.add(user)
    login.revoke_user_sessions(session, user.id)
    audit_service.record(
        session,
        ctx.principal,
        "user.force_password_change",
        "staff_user",
        user.id,
        cooperative_id=ctx.cooperative_id,
    )
    session.flush()
    return _user_out(user, _grants(session, user.id))


def unlock_user(session: Session, ctx: CoopContext, user_id: uuid.UUID) -> UserOut:
    user = _get_user(session, ctx.cooperative_id, user_id)
    login.unlock(session, ctx, user)
    session.flush()
    return _user_out(user, _grants(session, user.id))
