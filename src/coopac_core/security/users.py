"""Staff users: made without a password (they choose it with an activation code), their
roles, disabling and enabling them. What gives power over money waits for a second person
(security.access); what takes it away is immediate."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.errors import RoleNotAllowed
from coopac_core.models_base import utcnow
from coopac_core.security import access, activation, login
from coopac_core.security.errors import (
    FederationFirstAdminOnly,
    InvalidRole,
    OwnPasswordForced,
    OwnRoles,
    UsernameTaken,
    UserNotFound,
)
from coopac_core.security.grants import (
    NEEDS_SECOND_PERSON,
    branch_of,
    check_roles,
    grants_of,
    needs_second_person,
    replace_grants,
    user_out,
)
from coopac_core.security.models import RoleGrant, StaffUser
from coopac_core.security.passwords import hash_password
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import COOPERATIVE_ROLES, FEDERATION_ROLES, Role
from coopac_core.security.schemas import (
    FederationUserCreate,
    UserAccessRequestOut,
    UserCreate,
    UserCreated,
    UserOut,
    UserUpdate,
)


def _federation_staff(ctx: CoopContext) -> bool:
    """Whether the caller acts in the cooperative as the federation, not as its staff."""
    return Role.federation_admin in ctx.roles and not ctx.roles & COOPERATIVE_ROLES


def _has_admin(session: Session, cooperative_id: uuid.UUID) -> bool:
    return (
        session.exec(
            select(RoleGrant.user_id).where(
                RoleGrant.cooperative_id == cooperative_id, RoleGrant.role == Role.admin
            )
        ).first()
        is not None
    )


def _new_user(
    session: Session,
    cooperative_id: uuid.UUID | None,
    username: str,
    full_name: str,
    created_by: Principal,
    password: str | None,
) -> tuple[StaffUser, str | None]:
    """The user's row, with ``password`` (an operator's own, at the command line, or the
    demo's published one) or else an activation code, which is returned once."""
    user = StaffUser(
        cooperative_id=cooperative_id,
        username=username,
        full_name=full_name,
        password_hash=hash_password(password) if password is not None else None,
        created_by_id=created_by.person_id,
    )
    code = activation.issue(user)[0] if password is None else None
    session.add(user)
    flush_or_conflict(session, UsernameTaken())
    return user, code


def create_user(
    session: Session, ctx: CoopContext, data: UserCreate, *, password: str | None = None
) -> UserCreated:
    """A cooperative's user. Roles that move or approve money and admin are asked for (the
    user holds the others at once); the federation makes a cooperative's first admin and
    nothing else. ``password``: the demo's users only, whose password is published."""
    actor, cooperative_id = ctx.principal, ctx.cooperative_id
    roles = set(data.roles)
    check_roles(session, cooperative_id, roles, data.branch_id)
    federation = _federation_staff(ctx)
    if federation and (roles != {Role.admin} or _has_admin(session, cooperative_id)):
        raise FederationFirstAdminOnly()
    user, code = _new_user(session, cooperative_id, data.username, data.full_name, actor, password)
    # the first admin, by the federation, and the demo's staff (code, no person) need no one
    asks = not federation and password is None and needs_second_person(set(), None, roles, None)
    now = roles - NEEDS_SECOND_PERSON if asks else roles
    grants = replace_grants(session, user, cooperative_id, now, data.branch_id)
    audit_service.record(
        session,
        actor,
        "user.create",
        "staff_user",
        user.id,
        cooperative_id=cooperative_id,
        details={"username": user.username, "roles": sorted(now), "asked": sorted(roles - now)},
    )
    request = (
        access.ask(session, ctx, user, sorted(roles), data.branch_id, reactivate=False)
        if asks
        else None
    )
    session.flush()
    return UserCreated(
        **user_out(user, grants).model_dump(),
        activation_code=code,
        access_request=UserAccessRequestOut.of(request) if request else None,
    )


def create_federation_user(
    session: Session,
    actor: Principal | None,
    data: FederationUserCreate,
    *,
    password: str | None = None,
) -> UserCreated:
    """A federation user: over the API with an activation code; the operator making their
    own account at the command line (and the demo) with a ``password``."""
    if set(data.roles) - FEDERATION_ROLES:
        raise InvalidRole(reason="Solo roles de federación: federation_admin, federation_analyst")
    by = actor or Principal(name="cli")
    user, code = _new_user(session, None, data.username, data.full_name, by, password)
    grants = [RoleGrant(user_id=user.id, role=r) for r in sorted(set(data.roles))]
    session.add_all(grants)
    audit_service.record(
        session,
        by,
        "federation_user.create",
        "staff_user",
        user.id,
        cooperative_id=None,
        details={"username": user.username, "roles": sorted(set(data.roles))},
    )
    session.flush()
    return UserCreated(**user_out(user, grants).model_dump(), activation_code=code)


def get_row(session: Session, cooperative_id: uuid.UUID, user_id: uuid.UUID) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None or user.cooperative_id != cooperative_id:
        raise UserNotFound()
    return user


def get_user(session: Session, cooperative_id: uuid.UUID, user_id: uuid.UUID) -> UserOut:
    user = get_row(session, cooperative_id, user_id)
    return user_out(user, grants_of(session, user.id))


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
    return [user_out(u, by_user[u.id]) for u in users]


def update_user(
    session: Session, ctx: CoopContext, user_id: uuid.UUID, data: UserUpdate
) -> UserOut | UserAccessRequestOut:
    """A name, fewer roles and disabling apply at once. More power (a role that moves or
    approves money, admin, a teller's other branch) or enabling a disabled user is asked
    for, whole: the answer is then the request, and the roles wait for its decision."""
    actor, cooperative_id = ctx.principal, ctx.cooperative_id
    user = get_row(session, cooperative_id, user_id)
    grants = grants_of(session, user.id)
    held = {Role(g.role) for g in grants}
    held_branch = branch_of(grants)
    changes = data.model_dump(exclude_unset=True)
    touches_roles = data.roles is not None or "branch_id" in data.model_fields_set
    if touches_roles:
        if user.id == actor.person_id:
            raise OwnRoles()
        if _federation_staff(ctx):
            raise FederationFirstAdminOnly()
    roles = set(data.roles) if data.roles is not None else held
    branch = data.branch_id if "branch_id" in data.model_fields_set else held_branch
    if touches_roles:
        check_roles(session, cooperative_id, roles, branch)
    reactivate = data.is_active is True and not user.is_active
    if reactivate and user.id == actor.person_id:
        raise OwnRoles()
    if reactivate and _federation_staff(ctx):
        raise RoleNotAllowed(federation=True)
    more = touches_roles and needs_second_person(held, held_branch, roles, branch)
    # what takes nothing away from anyone applies now, whether or not the rest is asked for
    revoke = False
    if data.full_name is not None:
        user.full_name = data.full_name
    if data.is_active is False and user.is_active:
        user.is_active = False
        revoke = True
    if touches_roles and not more:
        grants = replace_grants(session, user, cooperative_id, roles, branch)
        # A change of roles must reach the tokens already issued, too.
        revoke = True
    if revoke:
        user.token_version += 1
    user.updated_at = utcnow()
    session.add(user)
    asked = more or reactivate
    applied = changes
    if asked:  # the request's own steps are audited by the approvals engine
        applied = {k: v for k, v in changes.items() if k == "full_name" or v is False}
    if applied or not asked:
        audit_service.record(
            session,
            actor,
            "user.update",
            "staff_user",
            user.id,
            cooperative_id=cooperative_id,
            details={k: str(v) if isinstance(v, uuid.UUID) else v for k, v in applied.items()},
        )
    if asked:
        request = access.ask(session, ctx, user, sorted(roles), branch, reactivate=reactivate)
        return UserAccessRequestOut.of(request)
    session.flush()
    return user_out(user, grants)


def new_activation_code(session: Session, ctx: CoopContext, user_id: uuid.UUID) -> UserCreated:
    """Another code for a user who never activated (theirs expired or was lost): the old
    one stops working. Their roles stay as they were approved."""
    user = get_row(session, ctx.cooperative_id, user_id)
    code, _ = activation.issue(user)
    user.updated_at = utcnow()
    session.add(user)
    audit_service.record(
        session,
        ctx.principal,
        "user.activation_code",
        "staff_user",
        user.id,
        cooperative_id=ctx.cooperative_id,
    )
    session.flush()
    return UserCreated(
        **user_out(user, grants_of(session, user.id)).model_dump(), activation_code=code
    )


def force_password_change(session: Session, ctx: CoopContext, user_id: uuid.UUID) -> UserOut:
    """Send a user to choose a new password: their sessions end now, and the next login
    may only change it. The administrator neither sets nor learns it."""
    user = get_row(session, ctx.cooperative_id, user_id)
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
    return user_out(user, grants_of(session, user.id))


def unlock_user(session: Session, ctx: CoopContext, user_id: uuid.UUID) -> UserOut:
    user = get_row(session, ctx.cooperative_id, user_id)
    login.unlock(session, ctx, user)
    session.flush()
    return user_out(user, grants_of(session, user.id))
