"""Four eyes on who may do what: giving a role that moves or approves money, making an
admin, and enabling a disabled user are requests that another person decides, on the
approvals engine.

Who decides: the cooperative's other admin or its manager, active and activated; never the
user concerned, nor a staff member who created that user or the requester (they held the
activation codes, so they count as them). While the cooperative has nobody who could (its
founding: the federation made its first admin, who asks for its manager), the federation's
administrator decides; once it has, the federation may not."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.models_base import utcnow
from coopac_core.security.errors import (
    UserAccessForTheCooperative,
    UserAccessNotIndependent,
    UserAccessRequestDecided,
    UserAccessRequestNotFound,
    UserAccessRequestPending,
    UserNotFound,
)
from coopac_core.security.grants import check_roles, replace_grants, user_out
from coopac_core.security.models import StaffUser
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import COOPERATIVE_ROLES, Role
from coopac_core.security.schemas import UserOut

USER_ACCESS = approvals.ApprovalKind(
    name="user_access",
    subject_kind="staff_user",
    not_found=UserAccessRequestNotFound,
    decided=UserAccessRequestDecided,
    ttl=timedelta(hours=72),
    already_requested=UserAccessRequestPending,
)

# Someone in the cooperative, other than those named, who could decide a request
_OTHER_DECIDER = text(
    "SELECT 1 FROM role_grant g JOIN staff_user u ON u.id = g.user_id "
    "WHERE g.cooperative_id = :c AND g.role IN ('admin', 'manager') AND u.is_active "
    "AND u.password_hash IS NOT NULL AND u.id <> ALL(CAST(:excluded AS uuid[])) LIMIT 1"
)


def ask(
    session: Session,
    ctx: CoopContext,
    user: StaffUser,
    roles: list[Role],
    branch_id: uuid.UUID | None,
    *,
    reactivate: bool,
) -> ApprovalRequest:
    return approvals.ask(
        session,
        ctx,
        USER_ACCESS,
        subject_id=user.id,
        payload={
            "username": user.username,
            "roles": sorted(set(roles)),
            "branch_id": str(branch_id) if branch_id else None,
            "reactivate": reactivate,
        },
    )


def _user(session: Session, cooperative_id: uuid.UUID, user_id: uuid.UUID) -> StaffUser:
    user = session.get(StaffUser, user_id, with_for_update=True)
    if user is None or user.cooperative_id != cooperative_id:
        raise UserNotFound()
    return user


def _check_decider(
    session: Session, ctx: CoopContext, row: ApprovalRequest, user: StaffUser
) -> None:
    """Raise unless ``ctx``'s person may decide ``row`` about ``user`` (the engine has
    already refused the requester and API keys)."""
    requester = session.get(StaffUser, row.requested_by_id) if row.requested_by_id else None
    excluded = {row.requested_by_id, user.id} - {None}
    for made in (user, requester):
        # a creator in the cooperative held the code; the federation making the first
        # admin is the founding, which it then sees through
        maker = session.get(StaffUser, made.created_by_id) if made and made.created_by_id else None
        if maker is not None and maker.cooperative_id == ctx.cooperative_id:
            excluded.add(maker.id)
    if ctx.principal.person_id in excluded:
        raise UserAccessNotIndependent()
    federation = Role.federation_admin in ctx.roles and not ctx.roles & COOPERATIVE_ROLES
    if federation:
        other = session.execute(
            _OTHER_DECIDER,
            {"c": ctx.cooperative_id, "excluded": [str(p) for p in excluded]},
        ).first()
        if other is not None:
            raise UserAccessForTheCooperative()


def approve(session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None) -> UserOut:
    """The roles asked for are the user's now (all of them, as asked), and a disabled user
    asked back is enabled; their tokens already issued stop working."""
    row = approvals.decidable(session, ctx, USER_ACCESS, request_id)
    assert row.subject_id is not None
    user = _user(session, ctx.cooperative_id, row.subject_id)
    _check_decider(session, ctx, row, user)
    roles = [Role(r) for r in row.payload["roles"]]
    branch = uuid.UUID(row.payload["branch_id"]) if row.payload.get("branch_id") else None
    check_roles(session, ctx.cooperative_id, roles, branch)
    grants = replace_grants(session, user, ctx.cooperative_id, roles, branch)
    if row.payload.get("reactivate"):
        user.is_active = True
    user.token_version += 1
    user.updated_at = utcnow()
    session.add(user)
    approvals.approve(session, ctx, USER_ACCESS, row, note)
    return user_out(user, grants)


def reject(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> ApprovalRequest:
    return approvals.reject(session, ctx, USER_ACCESS, request_id, note)
