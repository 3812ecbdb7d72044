"""Reversing an entry over HTTP: at once, or as a request another person decides."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.errors import DECISION_ERRORS
from coopac_core.approvals.models import ApprovalRequest, ApprovalStatus
from coopac_core.errors import DomainError
from coopac_core.flows import reversal
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.ledger.errors import (
    AlreadyReversed,
    CannotReverseReversal,
    JournalEntryNotFound,
    ReversalAlreadyRequested,
    ReversalNotSupported,
    ReversalOutOfOrder,
    ReversalRequestDecided,
    ReversalRequestNotFound,
)
from coopac_core.ledger.schemas import (
    JournalEntryOut,
    ReversalDecision,
    ReversalRequest,
    ReversalRequestOut,
)
from coopac_core.ledger.views import entry_out
from coopac_core.loans.errors import Overpayment
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.savings.errors import CREDIT_ERRORS, DEBIT_ERRORS
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import APPROVE_REVERSALS, READ_REVERSAL_REQUESTS, REVERSE_ENTRIES
from coopac_core.shares.errors import ShareAccountClosed

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["ledger"])

REVERSAL_ERRORS: tuple[type[DomainError], ...] = (
    JournalEntryNotFound,
    AlreadyReversed,
    CannotReverseReversal,
    ReversalNotSupported,
    ReversalOutOfOrder,
    ShareAccountClosed,
    Overpayment,
    *CREDIT_ERRORS,
    *DEBIT_ERRORS,
)


def _request_out(request: ApprovalRequest) -> ReversalRequestOut:
    return ReversalRequestOut.of(request)


@router.post(
    "/journal-entries/{entry_id}/reversal",
    status_code=status.HTTP_201_CREATED,
    response_model=JournalEntryOut,
    responses={
        202: {
            "model": ReversalRequestOut,
            "description": "Not the caller's own entry of today: a request that another "
            "person approves (POST .../reversal-requests/{id}/approve) or rejects",
        },
        **money_responses(*REVERSAL_ERRORS, ReversalAlreadyRequested),
    },
    summary="Reverse an entry: its operation undone and its mirror posted, once only. Alone "
    "for one's own entry of the same business day; anything else waits for a second person "
    "(202) (Idempotency-Key required)",
)
async def reverse_journal_entry(
    entry_id: uuid.UUID,
    money: Annotated[MoneyRequest, Depends(idempotent(REVERSE_ENTRIES))],
    body: ReversalRequest | None = None,
) -> JSONResponse:
    def run(session: Session, ctx: CoopContext) -> tuple[BaseModel, int]:
        outcome = reversal.request_reversal(
            session, ctx, entry_id, body.description if body else None
        )
        if outcome.request is not None:
            return _request_out(outcome.request), status.HTTP_202_ACCEPTED
        assert outcome.entry is not None
        entry, postings = outcome.entry
        return entry_out(session, entry, postings, None), status.HTTP_201_CREATED

    return await money.run(run)


@router.get(
    "/reversal-requests",
    response_model=Page[ReversalRequestOut],
    responses=list_responses(),
    summary="Reversals waiting for (or decided by) a second person, oldest first",
)
def list_reversal_requests(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_REVERSAL_REQUESTS))],
    session: SessionDep,
    page: PageDep,
    status: ApprovalStatus | None = None,
) -> Page[ReversalRequestOut]:
    rows = approvals.list_requests(
        session,
        ctx.cooperative_id,
        reversal.REVERSAL,
        status=status,
        after=cursor_time_id(page.cursor),
        limit=page.limit + 1,
    )
    return make_page(
        [_request_out(r) for r in rows],
        page.limit,
        lambda r: [r.requested_at.isoformat(), str(r.id)],
    )


@router.get(
    "/reversal-requests/{request_id}",
    response_model=ReversalRequestOut,
    responses=coop_responses(ReversalRequestNotFound),
    summary="A reversal request",
)
def get_reversal_request(
    request_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_REVERSAL_REQUESTS))],
    session: SessionDep,
) -> ReversalRequestOut:
    return _request_out(approvals.get(session, ctx.cooperative_id, reversal.REVERSAL, request_id))


@router.post(
    "/reversal-requests/{request_id}/approve",
    status_code=status.HTTP_201_CREATED,
    response_model=JournalEntryOut,
    responses=money_responses(
        ReversalRequestNotFound,
        ReversalRequestDecided,
        *DECISION_ERRORS,
        *REVERSAL_ERRORS,
    ),
    summary="A second person approves a reversal: it is posted now, and this is its entry "
    "(Idempotency-Key required)",
)
async def approve_reversal_request(
    request_id: uuid.UUID,
    money: Annotated[MoneyRequest, Depends(idempotent(APPROVE_REVERSALS))],
    body: ReversalDecision | None = None,
) -> JSONResponse:
    def run(session: Session, ctx: CoopContext) -> JournalEntryOut:
        _, entry, postings = reversal.approve_reversal(
            session, ctx, request_id, body.note if body else None
        )
        return entry_out(session, entry, postings, None)

    return await money.run(run)


@router.post(
    "/reversal-requests/{request_id}/reject",
    response_model=ReversalRequestOut,
    responses=coop_responses(
        ReversalRequestNotFound,
        ReversalRequestDecided,
        *DECISION_ERRORS,
    ),
    summary="A second person rejects a reversal: nothing moves",
)
def reject_reversal_request(
    request_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_REVERSALS, money=True))],
    session: SessionDep,
    body: ReversalDecision | None = None,
) -> ReversalRequestOut:
    request = reversal.reject_reversal(session, ctx, request_id, body.note if body else None)
    return _request_out(request)
