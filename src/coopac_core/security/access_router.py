"""The queue of user access requests (roles that move or approve money, admins, users
enabled again) and their decision by a second person (security.access)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.errors import DECISION_ERRORS
from coopac_core.approvals.models import ApprovalStatus
from coopac_core.approvals.schemas import Decision
from coopac_core.federation.errors import BranchNotFound
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.security import access
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.errors import (
    InvalidRole,
    UserAccessForTheCooperative,
    UserAccessNotIndependent,
    UserAccessRequestDecided,
    UserAccessRequestNotFound,
    UserNotFound,
)
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import DECIDE_USER_ACCESS, READ_USERS
from coopac_core.security.schemas import UserAccessRequestOut, UserOut

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["users"])


@router.get(
    "/user-access-requests",
    response_model=Page[UserAccessRequestOut],
    responses=list_responses(),
    summary="Requests for roles, admins and reactivations, oldest first (status=pending: "
    "the queue of whoever decides them)",
)
def list_user_access_requests(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_USERS))],
    session: SessionDep,
    page: PageDep,
    status_: Annotated[ApprovalStatus | None, Query(alias="status")] = None,
) -> Page[UserAccessRequestOut]:
    rows = approvals.list_requests(
        session,
        ctx.cooperative_id,
        access.USER_ACCESS,
        status=status_,
        after=cursor_time_id(page.cursor),
        limit=page.limit + 1,
    )
    return make_page(
        [UserAccessRequestOut.of(r) for r in rows],
        page.limit,
        lambda r: [r.requested_at.isoformat(), str(r.id)],
    )


@router.get(
    "/user-access-requests/{request_id}",
    response_model=UserAccessRequestOut,
    responses=coop_responses(UserAccessRequestNotFound),
    summary="A request for roles, an admin or a reactivation",
)
def get_user_access_request(
    request_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_USERS))],
    session: SessionDep,
) -> UserAccessRequestOut:
    row = approvals.get(session, ctx.cooperative_id, access.USER_ACCESS, request_id)
    return UserAccessRequestOut.of(row)


@router.post(
    "/user-access-requests/{request_id}/approve",
    response_model=UserOut,
    responses=coop_responses(
        UserAccessRequestNotFound,
        UserAccessRequestDecided,
        UserAccessNotIndependent,
        UserAccessForTheCooperative,
        UserNotFound,
        InvalidRole,
        BranchNotFound,
        *DECISION_ERRORS,
    ),
    summary="Another admin or the manager approves: the user holds the roles asked for "
    "(and is enabled, if asked) now",
)
def approve_user_access_request(
    request_id: uuid.UUID,
    body: Decision,
    ctx: Annotated[CoopContext, Depends(coop_access(DECIDE_USER_ACCESS))],
    session: SessionDep,
) -> UserOut:
    return access.approve(session, ctx, request_id, body.note)


@router.post(
    "/user-access-requests/{request_id}/reject",
    response_model=UserAccessRequestOut,
    responses=coop_responses(UserAccessRequestNotFound, UserAccessRequestDecided, *DECISION_ERRORS),
    summary="Another admin or the manager rejects: the user's roles stay as they are",
)
def reject_user_access_request(
    request_id: uuid.UUID,
    body: Decision,
    ctx: Annotated[CoopContext, Depends(coop_access(DECIDE_USER_ACCESS))],
    session: SessionDep,
) -> UserAccessRequestOut:
    return UserAccessRequestOut.of(access.reject(session, ctx, request_id, body.note))
