"""An accountant's entry by hand over HTTP: asked for, then approved (and posted) or
rejected by a second person."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.errors import DECISION_ERRORS
from coopac_core.approvals.models import ApprovalStatus
from coopac_core.errors import AmountInvalid, DomainError
from coopac_core.flows import adjustment
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.ledger import service as ledger
from coopac_core.ledger.errors import (
    AdjustmentRequestDecided,
    AdjustmentRequestNotFound,
    ControlAccount,
    CurrencyMismatch,
    EntryDateInFuture,
    EntryUnbalanced,
    GlAccountNotFound,
    GlAccountNotPostable,
    PeriodClosed,
)
from coopac_core.ledger.schemas import (
    AdjustmentCreate,
    AdjustmentRequestOut,
    JournalEntryOut,
    ReversalDecision,
)
from coopac_core.ledger.service.adjustments import ADJUSTMENT
from coopac_core.ledger.views import entry_out
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import APPROVE_ADJUSTMENTS, POST_ADJUSTMENTS, READ_LEDGER

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["ledger"])

ADJUSTMENT_ERRORS: tuple[type[DomainError], ...] = (
    AmountInvalid,
    GlAccountNotFound,
    GlAccountNotPostable,
    ControlAccount,
    CurrencyMismatch,
    EntryUnbalanced,
    EntryDateInFuture,
    PeriodClosed,
)


@router.post(
    "/journal-entries",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AdjustmentRequestOut,
    responses=money_responses(*ADJUSTMENT_ERRORS),
    summary="Ask for an accountant's entry by hand on GL accounts (never a member's), "
    "balanced per currency, dated today or in a month not yet closed: checked now, posted "
    "when a second person approves it (Idempotency-Key required)",
)
async def request_adjustment(
    body: AdjustmentCreate,
    money: Annotated[MoneyRequest, Depends(idempotent(POST_ADJUSTMENTS))],
) -> JSONResponse:
    def run(session: Session, ctx: CoopContext) -> tuple[BaseModel, int]:
        request = ledger.request_adjustment(session, ctx, body)
        return AdjustmentRequestOut.of(request), status.HTTP_202_ACCEPTED

    return await money.run(run)


@router.get(
    "/adjustment-requests",
    response_model=Page[AdjustmentRequestOut],
    responses=list_responses(),
    summary="Entries by hand waiting for (or decided by) a second person, oldest first",
)
def list_adjustment_requests(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LEDGER))],
    session: SessionDep,
    page: PageDep,
    status: ApprovalStatus | None = None,
) -> Page[AdjustmentRequestOut]:
    rows = approvals.list_requests(
        session,
        ctx.cooperative_id,
        ADJUSTMENT,
        status=status,
        after=cursor_time_id(page.cursor),
        limit=page.limit + 1,
    )
    return make_page(
        [AdjustmentRequestOut.of(r) for r in rows],
        page.limit,
        lambda r: [r.requested_at.isoformat(), str(r.id)],
    )


@router.get(
    "/adjustment-requests/{request_id}",
    response_model=AdjustmentRequestOut,
    responses=coop_responses(AdjustmentRequestNotFound),
    summary="An entry by hand and its decision",
)
def get_adjustment_request(
    request_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LEDGER))],
    session: SessionDep,
) -> AdjustmentRequestOut:
    request = approvals.get(session, ctx.cooperative_id, ADJUSTMENT, request_id)
    return AdjustmentRequestOut.of(request)


@router.post(
    "/adjustment-requests/{request_id}/approve",
    status_code=status.HTTP_201_CREATED,
    response_model=JournalEntryOut,
    responses=money_responses(
        AdjustmentRequestNotFound,
        AdjustmentRequestDecided,
        *DECISION_ERRORS,
        *ADJUSTMENT_ERRORS,
    ),
    summary="A second person approves an entry by hand: it is posted now, and this is it "
    "(Idempotency-Key required)",
)
async def approve_adjustment_request(
    request_id: uuid.UUID,
    money: Annotated[MoneyRequest, Depends(idempotent(APPROVE_ADJUSTMENTS))],
    body: ReversalDecision | None = None,
) -> JSONResponse:
    def run(session: Session, ctx: CoopContext) -> JournalEntryOut:
        _, entry, postings = adjustment.approve_adjustment(
            session, ctx, request_id, body.note if body else None
        )
        return entry_out(session, entry, postings, None)

    return await money.run(run)


@router.post(
    "/adjustment-requests/{request_id}/reject",
    response_model=AdjustmentRequestOut,
    responses=coop_responses(
        AdjustmentRequestNotFound,
        AdjustmentRequestDecided,
        *DECISION_ERRORS,
    ),
    summary="A second person rejects an entry by hand: nothing is posted",
)
def reject_adjustment_request(
    request_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_ADJUSTMENTS, money=True))],
    session: SessionDep,
    body: ReversalDecision | None = None,
) -> AdjustmentRequestOut:
    request = ledger.reject_adjustment(session, ctx, request_id, body.note if body else None)
    return AdjustmentRequestOut.of(request)
