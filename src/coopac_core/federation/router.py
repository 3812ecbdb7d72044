from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from coopac_core.errors import Conflict, Forbidden, NotFound, problem_responses
from coopac_core.federation import service
from coopac_core.federation.schemas import (
    BranchCreate,
    BranchOut,
    CooperativeCreate,
    CooperativeOut,
    CooperativeUpdate,
)
from coopac_core.pagination import Page, PageParams, cursor_key, make_page, page_params
from coopac_core.security.deps import CoopContext, PrincipalDep, SessionDep, coop_access
from coopac_core.security.roles import (
    MANAGE_BRANCHES,
    MANAGE_COOPERATIVE,
    READ_BRANCHES,
    READ_COOPERATIVE,
    Role,
)

router = APIRouter(prefix="/api/v1/cooperatives", tags=["cooperatives"])
PageDep = Annotated[PageParams, Depends(page_params)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CooperativeOut,
    responses=problem_responses(Forbidden, Conflict),
    summary="Register a cooperative in the federation (federation_admin)",
)
def create_cooperative(
    body: CooperativeCreate, principal: PrincipalDep, session: SessionDep
) -> CooperativeOut:
    principal.require_federation({Role.federation_admin})
    coop = service.create_cooperative(session, principal, body)
    return CooperativeOut.model_validate(coop)


@router.get(
    "",
    response_model=Page[CooperativeOut],
    responses=problem_responses(),
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
    responses=problem_responses(NotFound),
)
def get_cooperative(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_COOPERATIVE))], session: SessionDep
) -> CooperativeOut:
    return CooperativeOut.model_validate(service.get_cooperative(session, ctx.cooperative_id))


@router.patch(
    "/{cooperative_id}",
    response_model=CooperativeOut,
    responses=problem_responses(Forbidden, NotFound, Conflict),
)
def update_cooperative(
    body: CooperativeUpdate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_COOPERATIVE))],
    session: SessionDep,
) -> CooperativeOut:
    coop = service.update_cooperative(session, ctx.principal, ctx.cooperative_id, body)
    return CooperativeOut.model_validate(coop)


@router.post(
    "/{cooperative_id}/branches",
    status_code=status.HTTP_201_CREATED,
    response_model=BranchOut,
    responses=problem_responses(Forbidden, NotFound, Conflict),
    tags=["branches"],
)
def create_branch(
    body: BranchCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_BRANCHES))],
    session: SessionDep,
) -> BranchOut:
    branch = service.create_branch(session, ctx.principal, ctx.cooperative_id, body)
    return BranchOut.model_validate(branch)


@router.get(
    "/{cooperative_id}/branches",
    response_model=Page[BranchOut],
    responses=problem_responses(NotFound),
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
    responses=problem_responses(NotFound),
    tags=["branches"],
)
def get_branch(
    branch_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_BRANCHES))],
    session: SessionDep,
) -> BranchOut:
    return BranchOut.model_validate(service.get_branch(session, ctx.cooperative_id, branch_id))
