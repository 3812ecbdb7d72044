from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from coopac_core.fiscal_years import service
from coopac_core.fiscal_years.errors import (
    FiscalYearClosed,
    FiscalYearNotFound,
    LaterPeriodClosed,
    PeriodOpen,
    PreviousYearOpen,
)
from coopac_core.fiscal_years.schemas import FiscalYearOut
from coopac_core.openapi import coop_responses
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import CLOSE_FISCAL_YEARS, READ_FISCAL_YEARS

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
