from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from coopac_core.limits import service
from coopac_core.limits.schemas import OperationLimitIn, OperationLimitOut
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import Page, PageDep, cursor_key, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MANAGE_LIMITS, READ_LIMITS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["limits"])


@router.get(
    "/operation-limits",
    response_model=Page[OperationLimitOut],
    responses=list_responses(),
    summary="Each role's limit per operation, currency and day (defaults where none is set)",
)
def list_operation_limits(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LIMITS))],
    session: SessionDep,
    page: PageDep,
) -> Page[OperationLimitOut]:
    # a short list (roles x operations x currencies), paged by its key in its order
    after = cursor_key(page.cursor, str)
    limits = [
        x for x in sorted(service.effective_limits(session, ctx.cooperative_id), key=_key)
        if after is None or _key(x) > after
    ]  # fmt: skip
    return make_page(limits[: page.limit + 1], page.limit, lambda x: [_key(x)])


def _key(limit: OperationLimitOut) -> str:
    return f"{limit.role.value}/{limit.operation.value}/{limit.currency.value}"


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
