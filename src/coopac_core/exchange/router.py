"""The exchange counter over HTTP: the rate board and the operations it prices."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.errors import DECISION_ERRORS
from coopac_core.approvals.schemas import Decision
from coopac_core.compliance.schemas import SCREENING_HOLD
from coopac_core.exchange import service
from coopac_core.exchange.errors import (
    ExchangeAccountInvalid,
    ExchangeRateMissing,
    RateRequestDecided,
    RateRequestNotFound,
)
from coopac_core.exchange.models import ExchangeRate
from coopac_core.exchange.schemas import (
    AccountingRateIn,
    AccountingRateOut,
    ExchangeCreate,
    ExchangeOut,
    RateCreate,
    RateOut,
    RateRequestOut,
)
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.idempotent_creates import CreateOnce
from coopac_core.members.errors import MemberNotFound
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.savings.errors import CREDIT_ERRORS
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    MOVE_MONEY,
    PUBLISH_RATES,
    READ_ACCOUNTING_RATE,
    READ_RATES,
    SET_ACCOUNTING_RATE,
)
from coopac_core.tellers.errors import CASH_ERRORS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["exchange"])


def _out(rate: ExchangeRate) -> RateOut:
    return RateOut.model_validate(rate, from_attributes=True)


@router.post(
    "/exchange-rates",
    status_code=status.HTTP_201_CREATED,
    response_model=RateOut,
    responses={
        202: {
            "model": RateRequestOut,
            "description": "Out of the band (a rate more than COOPAC_EXCHANGE_RATE_BAND, 5%, "
            "from the reference board's (the last of an earlier day), or a wider spread): a "
            "request that another person approves (POST "
            ".../exchange-rate-requests/{id}/approve) or rejects",
        },
        **coop_responses(),
    },
    summary="Publish today's rate board (buy and sell, soles per dollar); out of the band, "
    "it waits for a second person (202)",
)
def publish_rate(
    request: Request,
    body: RateCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(PUBLISH_RATES))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    band = request.app.state.settings.exchange_rate_band

    def make() -> tuple[BaseModel, int]:
        done = service.publish(session, ctx, body, band)
        if isinstance(done, ExchangeRate):
            return _out(done), status.HTTP_201_CREATED
        return RateRequestOut.of(done), status.HTTP_202_ACCEPTED

    return once.run(session, ctx, make)


@router.get(
    "/exchange-rate-requests/{request_id}",
    response_model=RateRequestOut,
    responses=coop_responses(RateRequestNotFound),
    summary="A rate board waiting for a second person, or decided",
)
def get_rate_request(
    request_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_RATES))],
    session: SessionDep,
) -> RateRequestOut:
    return RateRequestOut.of(approvals.get(session, ctx.cooperative_id, service.RATE, request_id))


@router.post(
    "/exchange-rate-requests/{request_id}/approve",
    status_code=status.HTTP_201_CREATED,
    response_model=RateOut,
    responses=coop_responses(RateRequestNotFound, RateRequestDecided, *DECISION_ERRORS),
    summary="Another person approves a board out of the band: it is published now",
)
def approve_rate_request(
    request_id: uuid.UUID,
    body: Decision,
    ctx: Annotated[CoopContext, Depends(coop_access(PUBLISH_RATES))],
    session: SessionDep,
) -> RateOut:
    return _out(service.approve_rate(session, ctx, request_id, body.note))


@router.post(
    "/exchange-rate-requests/{request_id}/reject",
    response_model=RateRequestOut,
    responses=coop_responses(RateRequestNotFound, RateRequestDecided, *DECISION_ERRORS),
    summary="Another person rejects a board out of the band: the previous one stays",
)
def reject_rate_request(
    request_id: uuid.UUID,
    body: Decision,
    ctx: Annotated[CoopContext, Depends(coop_access(PUBLISH_RATES))],
    session: SessionDep,
) -> RateRequestOut:
    return RateRequestOut.of(service.reject_rate(session, ctx, request_id, body.note))


@router.get(
    "/exchange-rates",
    response_model=Page[RateOut],
    responses=list_responses(),
    summary="The rate board's publications, newest first",
)
def list_rates(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_RATES))],
    session: SessionDep,
    page: PageDep,
) -> Page[RateOut]:
    rows = service.list_rates(
        session, ctx.cooperative_id, before=cursor_time_id(page.cursor), limit=page.limit + 1
    )
    return make_page(
        [_out(r) for r in rows], page.limit, lambda r: [r.published_at.isoformat(), str(r.id)]
    )


@router.put(
    "/exchange-rates/accounting",
    response_model=AccountingRateOut,
    responses=coop_responses(),
    summary="Set the business day's accounting exchange rate (the SBS's): what close of "
    "business revalues the dollars at on a month end, and the reports express them in",
)
def set_accounting_rate(
    body: AccountingRateIn,
    ctx: Annotated[CoopContext, Depends(coop_access(SET_ACCOUNTING_RATE))],
    session: SessionDep,
) -> AccountingRateOut:
    return service.set_accounting_rate(session, ctx, body.rate)


@router.get(
    "/exchange-rates/accounting",
    response_model=AccountingRateOut,
    responses=coop_responses(),
    summary="The accounting exchange rate in force on a day (the business date by default)",
)
def get_accounting_rate(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTING_RATE))],
    session: SessionDep,
    day: Annotated[date | None, Query(alias="date", description="YYYY-MM-DD")] = None,
) -> AccountingRateOut:
    return service.accounting_rate(session, ctx.cooperative_id, day)


@router.get(
    "/exchange-rates/current",
    response_model=RateOut,
    responses=coop_responses(ExchangeRateMissing),
    summary="Today's rate board",
)
def current_rate(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_RATES))],
    session: SessionDep,
) -> RateOut:
    return _out(service.current(session, ctx.cooperative_id))


@router.post(
    "/exchanges",
    status_code=status.HTTP_201_CREATED,
    response_model=ExchangeOut,
    responses={
        **money_responses(
            ExchangeRateMissing,
            ExchangeAccountInvalid,
            MemberNotFound,
            *CASH_ERRORS,
            *CREDIT_ERRORS,
        ),
        **SCREENING_HOLD,
    },
    summary="A member buys or sells dollars at the caller's till, or deposits dollars into "
    "a soles account (Idempotency-Key required)",
)
async def exchange(
    body: ExchangeCreate,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: service.exchange_at_counter(session, ctx, body))
