from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from coopac_core.errors import AmountInvalid
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.ledger import service as ledger
from coopac_core.ledger.ranges import DateRangeDep, DateRangeInvalid
from coopac_core.ledger.schemas import Movement, StatementLine
from coopac_core.members.errors import MemberNotActive, MemberNotFound
from coopac_core.money import check_amount
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_key, make_page
from coopac_core.savings.movements import COUNTERPART_ERRORS
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MOVE_MONEY, READ_ACCOUNTS
from coopac_core.shares import service
from coopac_core.shares.errors import MemberNotWithdrawn, NothingToRefund, ShareAccountNotFound
from coopac_core.shares.schemas import ShareAccountOut, SharePayment, ShareRefund

router = APIRouter(
    prefix="/api/v1/cooperatives/{cooperative_id}/members/{member_id}/share-account",
    tags=["shares"],
)
ACCOUNT_ERRORS = (MemberNotFound, ShareAccountNotFound)


@router.get(
    "",
    response_model=ShareAccountOut,
    responses=coop_responses(*ACCOUNT_ERRORS),
    summary="A member's share account",
)
def get_share_account(
    member_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
) -> ShareAccountOut:
    return ShareAccountOut.model_validate(
        service.get_share_account(session, ctx.cooperative_id, member_id)
    )


@router.post(
    "/payments",
    status_code=201,
    response_model=Movement,
    responses=money_responses(*ACCOUNT_ERRORS, MemberNotActive, AmountInvalid, *COUNTERPART_ERRORS),
    summary="Pay in share capital, in cash or from savings (Idempotency-Key required)",
)
async def pay_shares(
    member_id: uuid.UUID,
    body: SharePayment,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> Response:
    return await money.call(
        "share_payment",
        {"member_id": str(member_id), **body.model_dump(mode="json")},
        check=lambda: check_amount(body.amount),
    )


@router.post(
    "/refund",
    status_code=201,
    response_model=Movement,
    responses=money_responses(
        *ACCOUNT_ERRORS, MemberNotWithdrawn, NothingToRefund, *COUNTERPART_ERRORS
    ),
    summary="Return all paid-in capital to a withdrawn or deceased member (Idempotency-Key)",
)
async def refund_shares(
    member_id: uuid.UUID,
    body: ShareRefund,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: service.refund(session, ctx, member_id, body))


@router.get(
    "/transactions",
    response_model=Page[StatementLine],
    responses=list_responses(*ACCOUNT_ERRORS, DateRangeInvalid),
    summary="The share account's statement",
)
def share_statement(
    member_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
    page: PageDep,
    span: DateRangeDep,
) -> Page[StatementLine]:
    account = service.get_share_account(session, ctx.cooperative_id, member_id)
    lines = ledger.statement_lines(
        session, account, after_id=cursor_key(page.cursor, int), limit=page.limit + 1, span=span
    )
    return make_page(lines, page.limit, lambda line: [line.id])
