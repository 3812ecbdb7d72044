from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import Response, StreamingResponse

from coopac_core.errors import AsOfInFuture
from coopac_core.federation.service import get_cooperative
from coopac_core.idempotent_creates import CreateOnce
from coopac_core.ledger import export, service
from coopac_core.ledger.errors import (
    GlAccountExists,
    GlAccountNotFound,
    GlCodeCurrency,
    JournalEntryNotFound,
)
from coopac_core.ledger.export import ExportFormat
from coopac_core.ledger.models import EntryKind
from coopac_core.ledger.ranges import DateRangeDep, DateRangeInvalid
from coopac_core.ledger.schemas import (
    GlAccountCreate,
    GlAccountOut,
    JournalEntryOut,
    TrialBalance,
    TrialBalanceAccount,
)
from coopac_core.ledger.views import entry_out
from coopac_core.money import Currency
from coopac_core.openapi import FILE, TEXT_FILE, coop_responses, list_responses
from coopac_core.pagination import Page, PageDep, cursor_key, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    MANAGE_CHART,
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
            "content": {"text/csv": TEXT_FILE, export.XLSX_MEDIA_TYPE: FILE},
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
