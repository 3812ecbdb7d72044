"""The counter's settings and the cash withdrawals that wait for a supervisor, over HTTP
(the application includes it right after the counter's router, ``tellers.router``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import JSONResponse

from coopac_core.approvals.errors import DECISION_ERRORS
from coopac_core.flows import withdrawals as approvals
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.ledger.errors import GlAccountNotFound
from coopac_core.ledger.schemas import Movement
from coopac_core.limits.errors import LimitExceeded
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.savings.errors import DEBIT_ERRORS
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MANAGE_TILLS, READ_TILLS, SUPERVISE_TILLS
from coopac_core.tellers.errors import (
    CounterAccountInvalid,
    TillCashInsufficient,
    TillSessionClosed,
    TillSessionRequired,
    WithdrawalRequestDecided,
    WithdrawalRequestNotFound,
)
from coopac_core.tellers.models import WithdrawalStatus
from coopac_core.tellers.schemas import (
    CounterSettingsIn,
    CounterSettingsOut,
    Decision,
    WithdrawalRequestOut,
)

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["counter"])


@router.get(
    "/counter-settings",
    response_model=CounterSettingsOut,
    responses=coop_responses(),
    summary="The counter's settings: withdrawal approval thresholds and its GL accounts",
)
def get_counter_settings(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
) -> CounterSettingsOut:
    return approvals.settings_out(session, ctx.cooperative_id)


@router.put(
    "/counter-settings",
    response_model=CounterSettingsOut,
    responses=coop_responses(GlAccountNotFound, CounterAccountInvalid),
    summary="Set the withdrawal approval thresholds and the accounts the counter books to "
    "(over, short, in transit, exchange)",
)
def put_counter_settings(
    body: CounterSettingsIn,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_TILLS))],
    session: SessionDep,
) -> CounterSettingsOut:
    return approvals.update_settings(session, ctx, body)


@router.get(
    "/withdrawal-requests",
    response_model=Page[WithdrawalRequestOut],
    responses=list_responses(),
    summary="Withdrawals waiting for (or decided by) a supervisor, oldest first",
)
def list_withdrawal_requests(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
    page: PageDep,
    status: WithdrawalStatus | None = None,
) -> Page[WithdrawalRequestOut]:
    rows = approvals.list_requests(
        session,
        ctx.cooperative_id,
        status=status,
        after=cursor_time_id(page.cursor),
        limit=page.limit + 1,
    )
    return make_page(
        [approvals.request_out(session, r) for r in rows],
        page.limit,
        lambda r: [r.requested_at.isoformat(), str(r.id)],
    )


@router.get(
    "/withdrawal-requests/{request_id}",
    response_model=WithdrawalRequestOut,
    responses=coop_responses(WithdrawalRequestNotFound),
    summary="A withdrawal waiting for a supervisor, or decided",
)
def get_withdrawal_request(
    request_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
) -> WithdrawalRequestOut:
    return approvals.request_out(
        session, approvals.get_request(session, ctx.cooperative_id, request_id)
    )


@router.post(
    "/withdrawal-requests/{request_id}/approve",
    status_code=status.HTTP_201_CREATED,
    response_model=Movement,
    responses=money_responses(
        WithdrawalRequestNotFound,
        WithdrawalRequestDecided,
        *DECISION_ERRORS,
        TillSessionClosed,
        TillSessionRequired,
        TillCashInsufficient,
        *DEBIT_ERRORS,
        LimitExceeded,
    ),
    summary="A supervisor approves a withdrawal: the cash is paid from the asking till "
    "(Idempotency-Key required)",
)
async def approve_withdrawal(
    request_id: uuid.UUID,
    body: Decision,
    money: Annotated[MoneyRequest, Depends(idempotent(SUPERVISE_TILLS))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: approvals.approve(session, ctx, request_id, body.note)
    )


@router.post(
    "/withdrawal-requests/{request_id}/reject",
    response_model=WithdrawalRequestOut,
    responses=money_responses(
        WithdrawalRequestNotFound, WithdrawalRequestDecided, *DECISION_ERRORS
    ),
    summary="A supervisor rejects a withdrawal: nothing moves (Idempotency-Key required)",
)
async def reject_withdrawal(
    request_id: uuid.UUID,
    body: Decision,
    money: Annotated[MoneyRequest, Depends(idempotent(SUPERVISE_TILLS))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: approvals.reject(session, ctx, request_id, body.note),
        status.HTTP_200_OK,
    )
