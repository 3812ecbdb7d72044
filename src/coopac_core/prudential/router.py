from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from coopac_core.errors import RoleNotAllowed
from coopac_core.federation.service import get_cooperative
from coopac_core.openapi import coop_responses, problem_responses
from coopac_core.prudential import service
from coopac_core.prudential.errors import DayNotClosed
from coopac_core.prudential.schemas import CapitalOut, LiquidityOut
from coopac_core.prudential.settings import PrudentialSettings
from coopac_core.reports import periods
from coopac_core.reports.errors import PeriodInFuture, PeriodNotFound
from coopac_core.reports.router import PeriodQuery
from coopac_core.security.deps import PrincipalDep, SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import READ_MEMBER_REPORTS, READ_REPORTS, Role

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["reports"])


@router.get(
    "/reports/capital",
    response_model=CapitalOut,
    responses=coop_responses(PeriodNotFound, PeriodInFuture),
    summary="Effective equity, risk-weighted assets, the capital ratio and the limits "
    "(single borrower, related parties, fixed assets) of a month, from its snapshot",
)
def get_capital(
    # the largest debtors by name: the cooperative's staff who read member reports
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBER_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
) -> CapitalOut:
    snap = periods.get_period(session, ctx.cooperative_id, period)
    return service.capital(session, get_cooperative(session, ctx.cooperative_id), snap)


@router.get(
    "/reports/liquidity",
    response_model=LiquidityOut,
    responses=coop_responses(PeriodNotFound, PeriodInFuture, DayNotClosed),
    summary="Liquidity ratios in soles and in dollars (liquid assets over short-term "
    "liabilities) against their minimums: of a month end, or of a day close of business ended",
)
def get_liquidity(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_REPORTS))],
    session: SessionDep,
    period: PeriodQuery = None,
    day: Annotated[
        date | None,
        Query(description="A day before the business date, instead of a month end"),
    ] = None,
) -> LiquidityOut:
    coop = get_cooperative(session, ctx.cooperative_id)
    if day is not None:
        return service.liquidity_of_day(session, coop, day)
    snap = periods.get_period(session, ctx.cooperative_id, period)
    return service.liquidity_of_month(session, coop, snap)


# --- the settings (the federation's) --------------------------------------------------------

settings_router = APIRouter(prefix="/api/v1/federation", tags=["federation"])
SETTINGS_READERS = frozenset({Role.federation_admin, Role.federation_analyst})


@settings_router.get(
    "/prudential-settings",
    response_model=PrudentialSettings,
    responses=problem_responses(RoleNotAllowed),
    summary="The supervisor's weights and limits the capital report and loan approvals use",
)
def get_prudential_settings(principal: PrincipalDep, session: SessionDep) -> PrudentialSettings:
    principal.require_federation(SETTINGS_READERS)
    return service.prudential_settings(session)


@settings_router.put(
    "/prudential-settings",
    response_model=PrudentialSettings,
    responses=problem_responses(RoleNotAllowed),
    summary="Set the weights and limits (federation_admin): the whole set replaces what was",
)
def put_prudential_settings(
    body: PrudentialSettings, principal: PrincipalDep, session: SessionDep
) -> PrudentialSettings:
    principal.require_federation({Role.federation_admin})
    return service.update_settings(session, principal, body)
