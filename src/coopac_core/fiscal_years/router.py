from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, status
from fastapi.responses import JSONResponse, Response

from coopac_core.approvals import errors as approval_errors
from coopac_core.approvals.schemas import Decision
from coopac_core.fiscal_years import distribution, service
from coopac_core.fiscal_years.errors import (
    DistributionAlreadyRequested,
    DistributionExceedsResult,
    DistributionNotFound,
    DistributionNotRequested,
    DistributionRequestDecided,
    FiscalYearClosed,
    FiscalYearDistributed,
    FiscalYearNotClosed,
    FiscalYearNotFound,
    LaterPeriodClosed,
    LossToCover,
    NoLossToCover,
    PeriodOpen,
    PreviousYearOpen,
    ReserveBelowMinimum,
    ReserveInsufficient,
    ShareInterestAboveCap,
)
from coopac_core.fiscal_years.schemas import (
    Distribution,
    DistributionOut,
    FiscalYearOut,
    MemberShares,
)
from coopac_core.fiscal_years.surplus import SurplusPolicy
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.openapi import coop_responses, file_content, money_responses
from coopac_core.reports.render import MEDIA_TYPES, CsvDialect, DialectQuery, Format, Table, respond
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    CLOSE_FISCAL_YEARS,
    DISTRIBUTE_SURPLUS,
    MANAGE_PRODUCTS,
    READ_FISCAL_YEARS,
    READ_MEMBER_REPORTS,
)

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["fiscal years"])

YearPath = Annotated[int, Path(ge=1900, le=9999, description="The calendar year")]


@router.post(
    "/fiscal-years/{year}/close",
    response_model=FiscalYearOut,
    responses=coop_responses(PeriodOpen, FiscalYearClosed, PreviousYearOpen, LaterPeriodClosed),
    summary="Close a year (accountant, once December is closed): its income and expenses "
    "into the year's result by one entry dated 31 December",
)
def close_fiscal_year(
    year: YearPath,
    # the cooperative's own books: the federation reads them, it does not close them
    ctx: Annotated[CoopContext, Depends(coop_access(CLOSE_FISCAL_YEARS, money=True))],
    session: SessionDep,
) -> FiscalYearOut:
    return service.close_year(session, ctx, year)


@router.get(
    "/fiscal-years/{year}",
    response_model=FiscalYearOut,
    responses=coop_responses(FiscalYearNotFound),
    summary="A year's result and status (open, closed, distributed)",
)
def get_fiscal_year(
    year: YearPath,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_FISCAL_YEARS))],
    session: SessionDep,
) -> FiscalYearOut:
    return service.get_year(session, ctx.cooperative_id, year)


# --- the assembly's distribution ----------------------------------------------------------

AGREEMENT_ERRORS = (
    FiscalYearNotClosed,
    FiscalYearDistributed,
    ReserveBelowMinimum,
    ShareInterestAboveCap,
    DistributionExceedsResult,
    LossToCover,
    NoLossToCover,
    ReserveInsufficient,
)


@router.post(
    "/fiscal-years/{year}/distribution",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DistributionOut,
    responses=coop_responses(*AGREEMENT_ERRORS, DistributionAlreadyRequested),
    summary="Record the general assembly's agreement on a closed year's result (accountant or "
    "manager): the reserve (20% at least), interest on shares, funds and members' returns, "
    "or a loss covered by the reserve; another person approves it",
)
def request_distribution(
    year: YearPath,
    body: Distribution,
    ctx: Annotated[CoopContext, Depends(coop_access(DISTRIBUTE_SURPLUS, money=True))],
    session: SessionDep,
) -> DistributionOut:
    return distribution.request_distribution(session, ctx, year, body)


@router.post(
    "/fiscal-years/{year}/distribution/approve",
    response_model=DistributionOut,
    responses=money_responses(
        *AGREEMENT_ERRORS,
        DistributionNotRequested,
        DistributionRequestDecided,
        *approval_errors.DECISION_ERRORS,
    ),
    summary="Approve the agreement (a person other than who recorded it): its entry is posted, "
    "one line per member (Idempotency-Key required)",
)
async def approve_distribution(
    year: YearPath,
    money: Annotated[MoneyRequest, Depends(idempotent(DISTRIBUTE_SURPLUS))],
    body: Decision | None = None,
) -> JSONResponse:
    note = body.note if body else None
    return await money.run(
        lambda session, ctx: distribution.approve_distribution(session, ctx, year, note), 200
    )


@router.post(
    "/fiscal-years/{year}/distribution/reject",
    response_model=DistributionOut,
    responses=coop_responses(
        DistributionNotRequested, DistributionRequestDecided, *approval_errors.DECISION_ERRORS
    ),
    summary="Reject the agreement (a person other than who recorded it)",
)
def reject_distribution(
    year: YearPath,
    ctx: Annotated[CoopContext, Depends(coop_access(DISTRIBUTE_SURPLUS, money=True))],
    session: SessionDep,
    body: Decision | None = None,
) -> DistributionOut:
    return distribution.reject_distribution(session, ctx, year, body.note if body else None)


@router.get(
    "/fiscal-years/{year}/distribution",
    response_model=DistributionOut,
    responses=coop_responses(DistributionNotFound),
    summary="The year's agreement (the last recorded) and its figures",
)
def get_distribution(
    year: YearPath,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_FISCAL_YEARS))],
    session: SessionDep,
) -> DistributionOut:
    return distribution.get_distribution(session, ctx.cooperative_id, year)


@router.get(
    "/fiscal-years/{year}/distribution/members",
    response_model=MemberShares,
    responses={
        **coop_responses(DistributionNotFound),
        200: {
            "description": "Each member's part (json), or the same rows as csv or xlsx",
            "content": {
                MEDIA_TYPES[f]: file_content(MEDIA_TYPES[f]) for f in (Format.csv, Format.xlsx)
            },
        },
    },
    summary="Each member's interest on shares and return: as credited, or as the pending "
    "agreement would credit them (json, csv, xlsx)",
)
def get_member_shares(
    year: YearPath,
    # names members: the cooperative's own, not the federation's
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBER_REPORTS))],
    session: SessionDep,
    format: Literal["json", "csv", "xlsx"] = "json",
    dialect: DialectQuery = CsvDialect.default,
) -> MemberShares | Response:
    out = distribution.member_shares(session, ctx.cooperative_id, year)
    if format == "json":
        return out
    table = Table(
        f"Distribución del remanente {year}",
        [f"Estado: {out.status}"],
        ["Socio", "Nombre", "Interés de aportaciones", "Retorno", "Total", "Abonado en"],
    )
    for i in out.items:
        table.add(
            [i.member_number, i.name, i.share_interest, i.member_return, i.total, i.credited_to]
        )
    return respond(table, Format(format), f"remanente-{year}", dialect)


@router.get(
    "/surplus-policy",
    response_model=SurplusPolicy,
    responses=coop_responses(),
    summary="The statute's figures for the year's surplus: the cap of interest on shares, "
    "and what members' returns are proportional to",
)
def get_surplus_policy(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_FISCAL_YEARS))],
    session: SessionDep,
) -> SurplusPolicy:
    return service.surplus_policy(session, ctx.cooperative_id)


@router.put(
    "/surplus-policy",
    response_model=SurplusPolicy,
    responses=coop_responses(),
    summary="Set the statute's figures for the surplus (manager or admin)",
)
def put_surplus_policy(
    body: SurplusPolicy,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_PRODUCTS))],
    session: SessionDep,
) -> SurplusPolicy:
    return service.set_surplus_policy(session, ctx, body)
