"""Founding over HTTP: a cooperative registered by the federation, a branch opened by the
cooperative (flows.founding)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import Response

from coopac_core.errors import RoleNotAllowed
from coopac_core.federation.errors import BranchExists, BusinessDateInFuture, CooperativeExists
from coopac_core.federation.schemas import (
    BranchCreate,
    BranchOut,
    CooperativeCreate,
    CooperativeOut,
)
from coopac_core.flows import founding
from coopac_core.idempotent_creates import CreateOnce, FederationCreateOnce
from coopac_core.openapi import coop_responses, problem_responses
from coopac_core.security.deps import PrincipalDep, SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MANAGE_BRANCHES, Role

router = APIRouter(prefix="/api/v1/cooperatives")


@router.post(
    "",
    tags=["cooperatives"],
    status_code=status.HTTP_201_CREATED,
    response_model=CooperativeOut,
    responses=problem_responses(RoleNotAllowed, CooperativeExists, BusinessDateInFuture),
    summary="Register a cooperative in the federation (federation_admin)",
)
def create_cooperative(
    body: CooperativeCreate,
    principal: PrincipalDep,
    session: SessionDep,
    once: FederationCreateOnce,
) -> Response:
    principal.require_federation({Role.federation_admin})
    return once.run(
        session,
        principal,
        lambda: CooperativeOut.model_validate(
            founding.create_cooperative(session, principal, body)
        ),
    )


@router.post(
    "/{cooperative_id}/branches",
    status_code=status.HTTP_201_CREATED,
    response_model=BranchOut,
    responses=coop_responses(BranchExists),
    tags=["cooperatives", "branches"],
)
def create_branch(
    body: BranchCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_BRANCHES))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(
        session, ctx, lambda: BranchOut.model_validate(founding.create_branch(session, ctx, body))
    )
