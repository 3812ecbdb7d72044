from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from coopac_core.errors import InvalidCursor
from coopac_core.federation import service
from coopac_core.federation.errors import (
    BranchNotFound,
    CooperativeExists,
    FederationOnly,
)
from coopac_core.federation.schemas import (
    BranchOut,
    CooperativeOut,
    CooperativeUpdate,
)
from coopac_core.openapi import coop_responses, list_responses, problem_responses
from coopac_core.pagination import Page, PageDep, cursor_key, make_page
from coopac_core.security.deps import PrincipalDep, SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    MANAGE_COOPERATIVE,
    READ_BRANCHES,
    READ_COOPERATIVE,
)

router = APIRouter(prefix="/api/v1/cooperatives", tags=["cooperatives"])


@router.get(
    "",
    response_model=Page[CooperativeOut],
    responses=problem_responses(InvalidCursor),
    summary="Cooperatives the caller can see (all of them for federation staff)",
)
def list_cooperatives(
    principal: PrincipalDep, session: SessionDep, page: PageDep
) -> Page[CooperativeOut]:
    rows = service.list_cooperatives(
        session,
        principal.visible_cooperatives(),
        limit=page.limit + 1,
        after_code=cursor_key(page.cursor, str),
    )
    items = [CooperativeOut.model_validate(c) for c in rows]
    return make_page(items, page.limit, lambda c: [c.code])


@router.get(
    "/{cooperative_id}",
    response_model=CooperativeOut,
    responses=coop_responses(),
)
def get_cooperative(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_COOPERATIVE))], session: SessionDep
) -> CooperativeOut:
    return CooperativeOut.model_validate(service.get_cooperative(session, ctx.cooperative_id))


@router.patch(
    "/{cooperative_id}",
    response_model=CooperativeOut,
    responses=coop_responses(CooperativeExists, FederationOnly),
)
def update_cooperative(
    body: CooperativeUpdate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_COOPERATIVE, while_inactive=True))],
    session: SessionDep,
) -> CooperativeOut:
    coop = service.update_cooperative(session, ctx, body)
    return CooperativeOut.model_validate(coop)


@router.get(
    "/{cooperative_id}/branches",
    response_model=Page[BranchOut],
    responses=list_responses(),
    tags=["branches"],
)
def list_branches(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_BRANCHES))],
    session: SessionDep,
    page: PageDep,
) -> Page[BranchOut]:
    rows = service.list_branches(
        session,
        ctx.cooperative_id,
        limit=page.limit + 1,
        after_code=cursor_key(page.cursor, str),
    )
    items = [BranchOut.model_validate(b) for b in rows]
    return make_page(items, page.limit, lambda b: [b.code])


@router.get(
    "/{cooperative_id}/branches/{branch_id}",
    response_model=BranchOut,
    responses=coop_responses(BranchNotFound),
    tags=["branches"],
)
def get_branch(
    branch_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_BRANCHES))],
    session: SessionDep,
) -> BranchOut:
    return BranchOut.model_validate(service.get_branch(session, ctx.cooperative_id, branch_id))
