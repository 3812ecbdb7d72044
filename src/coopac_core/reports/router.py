from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session

from coopac_core.federation import indicators
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import get_cooperative
from coopac_core.openapi import TEXT_FILE, coop_responses, file_content, list_responses
from coopac_core.pagination import Page, PageDep, cursor_key, make_page
from coopac_core.reports import periods, service
from coopac_core.reports.errors import (
    PeriodAlreadyClosed,
    PeriodInFuture,
    PeriodNotFound,
    PreviousPeriodOpen,
)
from coopac_core.reports.models import PeriodSnapshot
from coopac_core.reports.render import (
    MEDIA_TYPES,
    CsvDialect,
    DialectQuery,
    Format,
    Table,
    respond,
)
from coopac_core.reports.schemas import (
    PERIOD_PATTERN,
    CashOperationsOut,
    ClassificationOut,
    DebtorsOut,
    InsuredDepositsOut,
    PeriodOut,
    StatementOut,
)
from coopac_core.reports.supervisor.debtors_file import debtors_file, debtors_file_text
from coopac_core.reports.supervisor.schemas import DebtorsFileOut, TrialBalanceFileOut
from coopac_core.reports.supervisor.trial_balance_file import (
    trial_balance_file,
    trial_balance_table,
)
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    CLOSE_PERIODS,
    READ_MEMBER_REPORTS,
    READ_PERIODS,
    READ_REPORTS,
)

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["reports"])

PeriodPath = Annotated[str, Path(pattern=PERIOD_PATTERN, examples=["2027-01"])]
PeriodQuery = Annotated[
    str | None,
    Query(
        pattern=PERIOD_PATTERN,
        examples=["2027-01"],
        description="YYYY-MM; by default the last month the accountant closed",
    ),
]
Tabular = Literal["json", "csv", "xlsx"]
Printable = Literal["json", "csv", "xlsx", "pdf"]
M = TypeVar("M", bound=BaseModel)

REPORT_ERRORS = (PeriodNotFound, PeriodInFuture)


def _formats(*formats: Format) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "The report (json), or the same rows in the format asked for",
            "content": {MEDIA_TYPES[f]: file_content(MEDIA_TYPES[f]) for f in formats},
        }
    }


def _report(
    session: Session,
    ctx: CoopContext,
    period: str | None,
    fmt: str,
    build: Callable[[Session, Cooperative, PeriodSnapshot], M],
    tabulate: Callable[[Cooperative, PeriodSnapshot, M], Table],
    name: str,
    dialect: CsvDialect = CsvDialect.default,
) -> M | Response:
    snap = periods.get_period(session, ctx.cooperative_id, period)
    coop = get_cooperative(session, ctx.cooperative_id)
    out = build(session, coop, snap)
    if fmt == "json":
        return out
    return respond(
        tabulate(coop, snap, out), Format(fmt), f"{coop.code}-{name}-{snap.period}", dialect
    )


# --- periods ----------------------------------------------------------------------------


@router.get(
    "/periods",
    response_model=Page[PeriodOut],
    responses=list_responses(),
    tags=["periods"],
    summary="The months close of business has taken, newest first, provisional or closed",
)
def list_periods(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_PERIODS))],
    session: SessionDep,
    page: PageDep,
) -> Page[PeriodOut]:
    rows = periods.list_periods(
        session, ctx.cooperative_id, before=cursor_key(page.cursor, str), limit=page.limit + 1
    )
    return make_page([PeriodOut.model_validate(r) for r in rows], page.limit, lambda p: [p.period])


@router.get(
    "/periods/{period}",
    response_model=PeriodOut,
    responses=coop_responses(PeriodNotFound, PeriodInFuture),
    tags=["periods"],
)
def get_period(
    period: PeriodPath,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_PERIODS))],
    session: SessionDep,
) -> PeriodOut:
    return PeriodOut.model_validate(periods.get_period(session, ctx.cooperative_id, period))


@router.post(
    "/periods/{period}/close",
    response_model=PeriodOut,
    responses=coop_responses(
        PeriodNotFound, PeriodInFuture, PeriodAlreadyClosed, PreviousPeriodOpen
    ),
    tags=["periods"],
    summary="Close a month (accountant or manager): no entry can be dated in it after this, "
    "and its snapshot is final. Months close in order",
)
def close_period(
    period: PeriodPath,
    # the cooperative's own decision: the federation reads, it does not close its books
    ctx: Annotated[CoopContext, Depends(coop_access(CLOSE_PERIODS, money=True))],
    session: SessionDep,
) -> PeriodOut:
    return PeriodOut.model_validate(periods.close_period(session, ctx, period))


# --- reports ----------------------------------------------------------------------------


@router.get(
    "/reports/balance-sheet",
    response_model=StatementOut,
    responses={**coop_responses(*REPORT_ERRORS), **_formats(Format.csv, Format.xlsx, Format.pdf)},
    summary="Balance sheet of a month by SBS group and account, beside the month before",
)
def balance_sheet(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    format: Printable = "json",
    dialect: DialectQuery = CsvDialect.default,
) -> StatementOut | Response:
    return _report(
        session,
        ctx,
        period,
        format,
        lambda s, c, p: service.statement(s, c, p, "balance_sheet"),
        service.statement_table,
        "balance-general",
        dialect,
    )


@router.get(
    "/reports/income-statement",
    response_model=StatementOut,
    responses={**coop_responses(*REPORT_ERRORS), **_formats(Format.csv, Format.xlsx, Format.pdf)},
    summary="Income statement of the year to a month, beside the year to the month before",
)
def income_statement(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    format: Printable = "json",
    dialect: DialectQuery = CsvDialect.default,
) -> StatementOut | Response:
    return _report(
        session,
        ctx,
        period,
        format,
        lambda s, c, p: service.statement(s, c, p, "income_statement"),
        service.statement_table,
        "estado-resultados",
        dialect,
    )


@router.get(
    "/reports/classification",
    response_model=ClassificationOut,
    responses={**coop_responses(*REPORT_ERRORS), **_formats(Format.csv, Format.xlsx)},
    summary="Classification annex: credit types by category, debtors, balances, provisions",
)
def classification(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    format: Tabular = "json",
    dialect: DialectQuery = CsvDialect.default,
) -> ClassificationOut | Response:
    return _report(
        session,
        ctx,
        period,
        format,
        service.classification,
        service.classification_table,
        "clasificacion",
        dialect,
    )


@router.get(
    "/reports/debtors",
    response_model=DebtorsOut,
    responses={**coop_responses(*REPORT_ERRORS), **_formats(Format.csv, Format.xlsx)},
    summary="Debtor report: one line per debtor, credit type and currency (csv)",
)
def debtors(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBER_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    format: Tabular = "json",
    dialect: DialectQuery = CsvDialect.default,
) -> DebtorsOut | Response:
    return _report(
        session, ctx, period, format, service.debtors, service.debtors_table, "deudores", dialect
    )


@router.get(
    "/reports/insured-deposits",
    response_model=InsuredDepositsOut,
    responses={**coop_responses(*REPORT_ERRORS), **_formats(Format.csv, Format.xlsx)},
    summary="Each member's deposits and interest against the deposit insurance cover",
)
def insured_deposits(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBER_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    format: Tabular = "json",
    dialect: DialectQuery = CsvDialect.default,
) -> InsuredDepositsOut | Response:
    return _report(
        session,
        ctx,
        period,
        format,
        service.insured_deposits,
        service.insured_table,
        "depositos-asegurados",
        dialect,
    )


@router.get(
    "/reports/cash-operations",
    response_model=CashOperationsOut,
    responses={**coop_responses(*REPORT_ERRORS), **_formats(Format.csv, Format.xlsx)},
    summary="Register of large cash operations of a month (thresholds: federation settings)",
)
def cash_operations(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBER_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    format: Tabular = "json",
    dialect: DialectQuery = CsvDialect.default,
) -> CashOperationsOut | Response:
    thresholds = indicators.cash_thresholds(session)
    return _report(
        session,
        ctx,
        period,
        format,
        lambda s, c, p: service.cash_operations(s, c, p, thresholds),
        service.cash_table,
        "operaciones-efectivo",
        dialect,
    )


# --- the supervisor's files -----------------------------------------------------------------


@router.get(
    "/reports/debtors-file",
    response_model=DebtorsFileOut,
    responses={
        **coop_responses(*REPORT_ERRORS),
        200: {
            "description": "The debtor file (txt, fixed width, ASCII), or its records (json)",
            "content": {"text/plain": TEXT_FILE},
        },
    },
    summary="Debtor file (RCD, Anexo 6) of a month for the supervisor's credit bureau: one "
    "record per debtor, credit type and currency (layout: docs/rcd.md)",
)
def get_debtors_file(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBER_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    format: Literal["txt", "json"] = "txt",
) -> DebtorsFileOut | Response:
    snap = periods.get_period(session, ctx.cooperative_id, period)
    coop = get_cooperative(session, ctx.cooperative_id)
    out = debtors_file(session, coop, snap)
    if format == "json":
        return out
    return Response(
        content=debtors_file_text(coop, out),
        media_type="text/plain; charset=us-ascii",
        headers={
            "Content-Disposition": f'attachment; filename="{coop.code}-rcd-{snap.period}.txt"'
        },
    )


@router.get(
    "/reports/trial-balance-file",
    response_model=TrialBalanceFileOut,
    responses={**coop_responses(*REPORT_ERRORS), **_formats(Format.csv, Format.xlsx)},
    summary="Trial balance of a month in the supervisor's layout: each account's opening, "
    "debits, credits and closing, per currency and in soles (csv by default)",
)
def get_trial_balance_file(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    format: Tabular = "csv",
    dialect: DialectQuery = CsvDialect.default,
) -> TrialBalanceFileOut | Response:
    return _report(
        session,
        ctx,
        period,
        format,
        trial_balance_file,
        trial_balance_table,
        "balance-comprobacion",
        dialect,
    )
