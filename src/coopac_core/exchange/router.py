"""The exchange counter over HTTP: the rate board and the operations it prices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import JSONResponse, Response

from coopac_core.exchange import service
from coopac_core.exchange.errors import ExchangeAccountInvalid, ExchangeRateMissing
from coopac_core.exchange.models import ExchangeRate
from coopac_core.exchange.schemas import ExchangeCreate, ExchangeOut, RateCreate, RateOut
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.idempotent_creates import CreateOnce
from coopac_core.members.errors import MemberNotFound
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.savings.errors import CREDIT_ERRORS
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MOVE_MONEY, PUBLISH_RATES, READ_RATES
from coopac_core.tellers.errors import CASH_ERRORS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["exchange"])


def _out(rate: ExchangeRate) -> RateOut:
    return RateOut.model_validate(rate, from_attributes=True)


@router.post(
    "/exchange-rates",
    status_code=status.HTTP_201_CREATED,
    response_model=RateOut,
    responses=coop_responses(),
    summary="Publish today's rate board (buy and sell, soles per dollar)",
)
def publish_rate(
    body: RateCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(PUBLISH_RATES))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(session, ctx, lambda: _out(service.publish(session, ctx, body)))


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
    responses=money_responses(
        ExchangeRateMissing,
        ExchangeAccountInvalid,
        MemberNotFound,
        *CASH_ERRORS,
        *CREDIT_ERRORS,
    ),
    summary="A member buys or sells dollars at the caller's till, or deposits dollars into "
    "a soles account (Idempotency-Key required)",
)
async def exchange(
    body: ExchangeCreate,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: service.exchange(session, ctx, body))
