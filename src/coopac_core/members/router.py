from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from coopac_core.federation.errors import BranchNotFound
from coopac_core.members import service
from coopac_core.members.errors import (
    DocumentReferenceRequired,
    InvalidMemberData,
    InvalidStatusTransition,
    MemberNotFound,
)
from coopac_core.members.models import MemberStatus
from coopac_core.members.schemas import MemberOut, MemberUpdate
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import Page, PageDep, cursor_key, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MANAGE_MEMBERS, READ_MEMBERS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}/members", tags=["members"])


@router.get(
    "",
    response_model=Page[MemberOut],
    responses=list_responses(),
    summary="Find members by document number, name or member number",
)
def search_members(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBERS))],
    session: SessionDep,
    page: PageDep,
    q: Annotated[
        str | None, Query(max_length=100, description="Document, name or member number")
    ] = None,
    document_number: Annotated[str | None, Query(max_length=15)] = None,
    member_number: Annotated[str | None, Query(max_length=20)] = None,
    status: MemberStatus | None = None,
) -> Page[MemberOut]:
    rows = service.search_members(
        session,
        ctx.cooperative_id,
        q=q,
        document_number=document_number,
        member_number=member_number,
        status=status,
        after_number=cursor_key(page.cursor, str),
        limit=page.limit + 1,
    )
    items = [MemberOut.model_validate(m) for m in rows]
    return make_page(items, page.limit, lambda m: [m.member_number])


@router.get(
    "/{member_id}",
    response_model=MemberOut,
    responses=coop_responses(MemberNotFound),
    summary="A member or client",
)
def get_member(
    member_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBERS))],
    session: SessionDep,
) -> MemberOut:
    return MemberOut.model_validate(service.get_member(session, ctx.cooperative_id, member_id))


@router.patch(
    "/{member_id}",
    response_model=MemberOut,
    responses=coop_responses(
        MemberNotFound,
        InvalidMemberData,
        InvalidStatusTransition,
        DocumentReferenceRequired,
        BranchNotFound,
    ),
    summary="Change a member's data or status (applicant, active, suspended, withdrawn, deceased)",
)
def update_member(
    member_id: uuid.UUID,
    body: MemberUpdate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_MEMBERS))],
    session: SessionDep,
) -> MemberOut:
    member = service.update_member(session, ctx, member_id, body)
    return MemberOut.model_validate(member)
