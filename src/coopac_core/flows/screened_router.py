"""What the screening lists held, over HTTP: the compliance officer's queue and decision;
whoever asked reads what became of it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from coopac_core.approvals.errors import DECISION_ERRORS
from coopac_core.approvals.schemas import Decision
from coopac_core.compliance import screening
from coopac_core.compliance.errors import ScreeningHoldDecided, ScreeningHoldNotFound
from coopac_core.compliance.schemas import ScreeningHoldOut
from coopac_core.flows import screened
from coopac_core.flows.counter import COUNTERPART_ERRORS
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import COMPLIANCE, STAFF

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["compliance"])


@router.get(
    "/screening-holds",
    response_model=Page[ScreeningHoldOut],
    responses=list_responses(),
    summary="Admissions and cash operations a list held, newest first (compliance officer; "
    "pending=false: the decided ones too)",
)
def list_screening_holds(
    ctx: Annotated[CoopContext, Depends(coop_access(COMPLIANCE, money=True))],
    session: SessionDep,
    page: PageDep,
    pending: bool = True,
) -> Page[ScreeningHoldOut]:
    rows = screening.list_holds(
        session, ctx.cooperative_id, pending, cursor_time_id(page.cursor), page.limit + 1
    )
    items = [screening.hold_out(r) for r in rows]
    return make_page(items, page.limit, lambda h: [h.requested_at.isoformat(), str(h.id)])


@router.get(
    "/screening-holds/{hold_id}",
    response_model=ScreeningHoldOut,
    responses=coop_responses(ScreeningHoldNotFound),
    summary="A held admission or operation: waiting, approved (with what it answered) or rejected",
)
def get_screening_hold(
    hold_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(STAFF, money=True))],
    session: SessionDep,
) -> ScreeningHoldOut:
    return screening.hold_out(screening.get_hold(session, ctx.cooperative_id, hold_id))


@router.post(
    "/screening-holds/{hold_id}/approve",
    response_model=ScreeningHoldOut,
    responses=money_responses(
        ScreeningHoldNotFound, ScreeningHoldDecided, *DECISION_ERRORS, *COUNTERPART_ERRORS
    ),
    summary="Approve (compliance officer, not who asked): the admission or the operation "
    "happens now, at the till of who asked (Idempotency-Key required)",
)
async def approve_screening_hold(
    hold_id: uuid.UUID,
    money: Annotated[MoneyRequest, Depends(idempotent(COMPLIANCE))],
    body: Decision | None = None,
) -> JSONResponse:
    note = body.note if body else None
    return await money.run(lambda session, ctx: screened.approve(session, ctx, hold_id, note), 200)


@router.post(
    "/screening-holds/{hold_id}/reject",
    response_model=ScreeningHoldOut,
    responses=coop_responses(ScreeningHoldNotFound, ScreeningHoldDecided, *DECISION_ERRORS),
    summary="Refuse it (compliance officer): nothing is done",
)
def reject_screening_hold(
    hold_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(COMPLIANCE, money=True))],
    session: SessionDep,
    body: Decision | None = None,
) -> ScreeningHoldOut:
    return screened.reject(session, ctx, hold_id, body.note if body else None)
