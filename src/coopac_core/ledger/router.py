from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel
from sqlmodel import Session

from coopac_core.approvals.errors import DECISION_ERRORS
from coopac_core.approvals.models import ApprovalStatus
from coopac_core.errors import AmountInvalid, AsOfInFuture, DomainError
from coopac_core.federation.service import get_cooperative
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.idempotent_creates import CreateOnce
from coopac_core.ledger import export, service
from coopac_core.ledger.errors import (
    AdjustmentRequestDecided,
    AdjustmentRequestNotFound,
    ControlAccount,
    CurrencyMismatch,
    EntryDateInFuture,
    EntryUnbalanced,
    GlAccountExists,
    GlAccountNotFound,
    GlAccountNotPostable,
    GlCodeCurrency,
    JournalEntryNotFound,
    PeriodClosed,
)
from coopac_core.ledger.export import ExportFormat
from coopac_core.ledger.models import EntryKind
from coopac_core.ledger.ranges import DateRangeDep, DateRangeInvalid
from coopac_core.ledger.schemas import (
    AdjustmentCreate,
    AdjustmentRequestOut,
    GlAccountCreate,
    GlAccountOut,
    JournalEntryOut,
    ReversalDecision,
    TrialBalance,
    TrialBalanceAccount,
)
from coopac_core.ledger.views import entry_out
from coopac_core.money import Currency
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_key, cursor_time_id, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    APPROVE_ADJUSTMENTS,
    MANAGE_CHART,
    POST_ADJUSTMENTS,
    READ_LEDGER,
    READ_TRIAL_BALANCE,
)

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["ledger"])


@router.get(
    "/gl-accounts",
    response_model=Page[GlAccountOut],
    responses=list_responses(),
    summary="The chart of accounts, by code",
)
def list_gl_accounts(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LEDGER))],
    session: SessionDep,
    page: PageDep,
    currency: Currency | None = None,
) -> Page[GlAccountOut]:
    rows = service.list_gl_accounts(
        session,
        ctx.cooperative_id,
        currency=currency.value if currency else None,
        after_code=cursor_key(page.cursor, str),
        limit=page.limit + 1,
    )
    return make_page([GlAccountOut.model_validate(a) for a in rows], page.limit, lambda a: [a.code])


@router.post(
    "/gl-accounts",
    status_code=status.HTTP_201_CREATED,
    response_model=GlAccountOut,
    responses=coop_responses(GlAccountExists, GlCodeCurrency),
    summary="Extend the chart of accounts (the third digit must match the currency)",
)
def create_gl_account(
    body: GlAccountCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_CHART))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(
        session,
        ctx,
        lambda: GlAccountOut.model_validate(
            service.create_gl_account(
                session, ctx, code=body.code, name=body.name, currency=body.currency
            )
        ),
    )


@router.get(
    "/journal-entries",
    response_model=Page[JournalEntryOut],
    responses=list_responses(GlAccountNotFound),
    summary="Journal entries by business-date range, kind and GL account, in booking order",
)
def list_journal_entries(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LEDGER))],
    session: SessionDep,
    page: PageDep,
    date_from: Annotated[
        date | None, Query(alias="from", description="Business date, inclusive")
    ] = None,
    date_to: Annotated[
        date | None, Query(alias="to", description="Business date, inclusive")
    ] = None,
    kind: EntryKind | None = None,
    gl_account_id: uuid.UUID | None = None,
    account: Annotated[
        str | None, Query(max_length=40, description="A GL account code, e.g. 2112")
    ] = None,
) -> Page[JournalEntryOut]:
    if account is not None:
        gl_account_id = service.gl_account_by_code(session, ctx.cooperative_id, account).id
    entries = service.list_entries(
        session,
        ctx.cooperative_id,
        date_from=date_from,
        date_to=date_to,
        kind=kind,
        gl_account_id=gl_account_id,
        after_seq=cursor_key(page.cursor, int),
        limit=page.limit + 1,
    )
    postings = service.entry_postings(session, ctx.cooperative_id, [e.id for e in entries])
    reversals = service.reversals_of(session, ctx.cooperative_id, [e.id for e in entries])
    items = [entry_out(session, e, postings[e.id], reversals.get(e.id)) for e in entries]
    return make_page(items, page.limit, lambda e: [e.seq])


@router.get(
    "/journal-entries/export",
    response_class=StreamingResponse,
    responses={
        **list_responses(DateRangeInvalid),
        200: {
            "description": "One row per posting, in booking order",
            "content": {"text/csv": {}, export.XLSX_MEDIA_TYPE: {}},
        },
    },
    summary="The movements of a range of business dates for an accounting system (csv or "
    "xlsx, streamed): each posting with its GL code, and the account and member numbers",
)
def export_journal(
    request: Request,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LEDGER))],
    session: SessionDep,
    span: DateRangeDep,
    format: Annotated[ExportFormat, Query(description="csv or xlsx")] = ExportFormat.csv,
) -> StreamingResponse:
    coop = get_cooperative(session, ctx.cooperative_id)
    name = "-".join(
        [coop.code, "movimientos"]
        + [d.isoformat() for d in (span.since, span.until) if d is not None]
    )
    rows = export.batches(request.app.state.db, ctx.cooperative_id, span.since, span.until)
    if format is ExportFormat.xlsx:
        body, media = export.xlsx_stream(rows, "Movimientos"), export.XLSX_MEDIA_TYPE
    else:
        body, media = export.csv_stream(rows), "text/csv; charset=utf-8"
    return StreamingResponse(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{format.value}"'},
    )


@router.get(
    "/journal-entries/{entry_id}",
    response_model=JournalEntryOut,
    responses=coop_responses(JournalEntryNotFound),
    summary="A journal entry with its postings",
)
def get_journal_entry(
    entry_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LEDGER))],
    session: SessionDep,
) -> JournalEntryOut:
    entry = service.get_entry(session, ctx.cooperative_id, entry_id)
    postings = service.entry_postings(session, ctx.cooperative_id, [entry.id])[entry.id]
    reversal = service.reversal_of_entry(session, ctx.cooperative_id, entry.id)
    return entry_out(session, entry, postings, reversal.id if reversal else None)


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
        request = service.request_adjustment(session, ctx, body)
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
    rows = service.list_adjustment_requests(
        session,
        ctx.cooperative_id,
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
    request = service.get_adjustment_request(session, ctx.cooperative_id, request_id)
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
        _, entry, postings = service.approve_adjustment(
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
    request = service.reject_adjustment(session, ctx, request_id, body.note if body else None)
    return AdjustmentRequestOut.of(request)


@router.get(
    "/ledger/trial-balance",
    response_model=TrialBalance,
    responses=coop_responses(AsOfInFuture),
    summary="Balance de comprobación: debits and credits per account up to a business date",
)
def get_trial_balance(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TRIAL_BALANCE))],
    session: SessionDep,
    as_of: date | None = None,
    currency: Annotated[
        Currency | None, Query(description="Default: the cooperative's base currency")
    ] = None,
) -> TrialBalance:
    coop = get_cooperative(session, ctx.cooperative_id)
    day = as_of or coop.business_date
    if day > coop.business_date:
        raise AsOfInFuture(as_of=day, business_date=coop.business_date)
    cur = currency.value if currency else coop.base_currency
    lines = service.trial_balance(session, ctx.cooperative_id, day, cur)
    return TrialBalance(
        as_of=day,
        currency=cur,
        accounts=[
            TrialBalanceAccount(
                code=ln.code,
                name=ln.name,
                currency=ln.currency,
                debits=ln.debits,
                credits=ln.credits,
                balance=ln.balance,
            )
            for ln in lines
        ],
        total_debits=sum((ln.debits for ln in lines), Decimal("0.00")),
        total_credits=sum((ln.credits for ln in lines), Decimal("0.00")),
    )
