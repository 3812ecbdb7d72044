"""Admitting a member over HTTP: the member and, for a member, their share account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import Response

from coopac_core.compliance.schemas import SCREENING_HOLD
from coopac_core.federation.errors import BranchNotFound
from coopac_core.flows import admission
from coopac_core.idempotent_creates import CreateOnce
from coopac_core.members.errors import MemberExists
from coopac_core.members.schemas import MemberCreate, MemberOut
from coopac_core.openapi import coop_responses
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MANAGE_MEMBERS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}/members", tags=["members"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberOut,
    responses={**coop_responses(MemberExists, BranchNotFound), **SCREENING_HOLD},
    summary="Open a member (or a non-member client); a member's share account opens with it",
)
def create_member(
    body: MemberCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_MEMBERS))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(session, ctx, lambda: admission.admit_at_counter(session, ctx, body))
