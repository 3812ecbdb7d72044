"""Authentication (who a token or an API key is) and API keys. Users: security.users."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.config import Settings
from coopac_core.errors import RoleNotAllowed, refusals
from coopac_core.models_base import utcnow
from coopac_core.observability import request_id_var
from coopac_core.security import tokens
from coopac_core.security.errors import (
    ApiKeyExpiryInvalid,
    ApiKeyNotFound,
    ApiKeyOwnerLacksRole,
    ApiKeyRoleNotAllowed,
    TokenRevoked,
)
from coopac_core.security.grants import check_roles, grants_of
from coopac_core.security.models import ApiKey, StaffUser
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import (
    API_KEY_FORBIDDEN_ROLES,
    Role,
)
from coopac_core.security.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
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
    check_roles(session, cooperative_id, data.roles, data.branch_id)
    forbidden = set(data.roles) & API_KEY_FORBIDDEN_ROLES
    if forbidden:
        raise ApiKeyRoleNotAllowed(roles=", ".join(sorted(forbidden)))
    # The key acts for whoever makes it, never for someone else.
    owner = session.get(StaffUser, actor.user_id) if actor.user_id else None
    if owner is None:
        raise RoleNotAllowed("Una clave de API no crea claves: lo hace su titular")
    grants = [g for g in grants_of(session, owner.id) if g.cooperative_id == cooperative_id]
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
