from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from coopac_core.limits import service
from coopac_core.limits.schemas import OperationLimitIn, OperationLimitOut
from coopac_core.openapi import coop_responses
from coopac_core.pagination import Page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MANAGE_LIMITS, READ_LIMITS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["limits"])


@router.get(
    "/operation-limits",
    response_model=Page[OperationLimitOut],
    responses=coop_responses(),
    summary="Each role's limit per operation, currency and day (defaults where none is set)",
)
def list_operation_limits(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LIMITS))], session: SessionDep
) -> Page[OperationLimitOut]:
    # A short fixed list (roles x operations x currencies): one page, no cursor.
    return Page[OperationLimitOut](items=service.effective_limits(session, ctx.cooperative_id))


@router.put(
    "/operation-limits",
    response_model=OperationLimitOut,
    responses=coop_responses(),
    summary="Set one role's limit for one operation and currency",
)
def set_operation_limit(
    body: OperationLimitIn,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_LIMITS))],
    session: SessionDep,
) -> OperationLimitOut:
    return service.set_limit(session, ctx, body)
