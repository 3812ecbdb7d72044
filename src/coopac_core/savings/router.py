from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import JSONResponse

from coopac_core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Unprocessable,
    problem_responses,
)
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.ledger import service as ledger
from coopac_core.ledger.schemas import Movement, StatementLine
from coopac_core.pagination import Page, PageParams, cursor_key, make_page, page_params
from coopac_core.savings import service
from coopac_core.savings.schemas import (
    CashMovementRequest,
    HoldCreate,
    HoldOut,
    SavingsAccountCreate,
    SavingsAccountOut,
    SavingsAccountUpdate,
    SavingsProductCreate,
    SavingsProductOut,
    TransferOut,
    TransferRequest,
)
from coopac_core.security.deps import CoopContext, SessionDep, coop_access
from coopac_core.security.roles import (
    MANAGE_ACCOUNTS,
    MANAGE_PRODUCTS,
    MOVE_MONEY,
    OPEN_ACCOUNTS,
    READ_ACCOUNTS,
    READ_PRODUCTS,
)

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["savings"])
MONEY_ERRORS = problem_responses(BadRequest, Forbidden, NotFound, Conflict, Unprocessable)
PageDep = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/savings-products",
    status_code=status.HTTP_201_CREATED,
    response_model=SavingsProductOut,
    responses=problem_responses(Forbidden, NotFound, Conflict),
)
def create_product(
    body: SavingsProductCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_PRODUCTS))],
    session: SessionDep,
) -> SavingsProductOut:
    return SavingsProductOut.model_validate(service.create_product(session, ctx, body))


@router.get(
    "/savings-products",
    response_model=Page[SavingsProductOut],
    responses=problem_responses(Forbidden, NotFound),
)
def list_products(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_PRODUCTS))],
    session: SessionDep,
    page: PageDep,
) -> Page[SavingsProductOut]:
    rows = service.list_products(
        session, ctx.cooperative_id, after_code=cursor_key(page.cursor, str), limit=page.limit + 1
    )
    return make_page(
        [SavingsProductOut.model_validate(p) for p in rows], page.limit, lambda p: [p.code]
    )


@router.post(
    "/savings-accounts",
    status_code=status.HTTP_201_CREATED,
    response_model=SavingsAccountOut,
    responses=problem_responses(Forbidden, NotFound, Unprocessable),
)
def open_account(
    body: SavingsAccountCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(OPEN_ACCOUNTS))],
    session: SessionDep,
) -> SavingsAccountOut:
    account = service.open_account(session, ctx, body.member_id, body.product_id)
    return service.account_out(session, account)


@router.get(
    "/savings-accounts/{account_id}",
    response_model=SavingsAccountOut,
    responses=problem_responses(Forbidden, NotFound),
)
def get_account(
    account_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
) -> SavingsAccountOut:
    return service.account_out(
        session, service.get_account(session, ctx.cooperative_id, account_id)
    )


@router.get(
    "/members/{member_id}/savings-accounts",
    response_model=list[SavingsAccountOut],
    responses=problem_responses(Forbidden, NotFound),
)
def member_accounts(
    member_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
) -> list[SavingsAccountOut]:
    return [
        service.account_out(session, a)
        for a in service.list_member_accounts(session, ctx.cooperative_id, member_id)
    ]


@router.patch(
    "/savings-accounts/{account_id}",
    response_model=SavingsAccountOut,
    responses=problem_responses(Forbidden, NotFound, Conflict),
    summary="Block, unblock, mark dormant or close an account",
)
def update_account(
    account_id: uuid.UUID,
    body: SavingsAccountUpdate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_ACCOUNTS))],
    session: SessionDep,
) -> SavingsAccountOut:
    return service.account_out(session, service.set_status(session, ctx, account_id, body.status))


@router.post(
    "/savings-accounts/{account_id}/deposits",
    status_code=status.HTTP_201_CREATED,
    response_model=Movement,
    responses=MONEY_ERRORS,
    summary="Cash deposit at a branch counter (Idempotency-Key required)",
)
async def deposit(
    account_id: uuid.UUID,
    body: CashMovementRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: service.deposit(session, ctx, account_id, body))


@router.post(
    "/savings-accounts/{account_id}/withdrawals",
    status_code=status.HTTP_201_CREATED,
    response_model=Movement,
    responses=MONEY_ERRORS,
    summary="Cash withdrawal at a branch counter (Idempotency-Key required)",
)
async def withdraw(
    account_id: uuid.UUID,
    body: CashMovementRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: service.withdraw(session, ctx, account_id, body))


@router.post(
    "/transfers",
    status_code=status.HTTP_201_CREATED,
    response_model=TransferOut,
    responses=MONEY_ERRORS,
    summary="Transfer between two savings accounts of the cooperative (Idempotency-Key required)",
)
async def transfer(
    body: TransferRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: service.transfer(session, ctx, body))


@router.get(
    "/savings-accounts/{account_id}/transactions",
    response_model=Page[StatementLine],
    responses=problem_responses(Forbidden, NotFound),
    summary="The account's statement, oldest first",
)
def statement(
    account_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
    page: PageDep,
) -> Page[StatementLine]:
    account = service.get_account(session, ctx.cooperative_id, account_id)
    lines = ledger.statement_lines(
        session, account, after_id=cursor_key(page.cursor, int), limit=page.limit + 1
    )
    return make_page(lines, page.limit, lambda line: [line.id])


@router.post(
    "/savings-accounts/{account_id}/holds",
    status_code=status.HTTP_201_CREATED,
    response_model=HoldOut,
    responses=problem_responses(Forbidden, NotFound, Conflict, Unprocessable),
    summary="Hold an amount (a court order, a guarantee): it lowers the available balance",
)
def place_hold(
    account_id: uuid.UUID,
    body: HoldCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_ACCOUNTS))],
    session: SessionDep,
) -> HoldOut:
    return HoldOut.model_validate(service.place_hold(session, ctx, account_id, body))


@router.get(
    "/savings-accounts/{account_id}/holds",
    response_model=list[HoldOut],
    responses=problem_responses(Forbidden, NotFound),
)
def list_holds(
    account_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
) -> list[HoldOut]:
    return [
        HoldOut.model_validate(h)
        for h in service.list_holds(session, ctx.cooperative_id, account_id)
    ]


@router.post(
    "/savings-accounts/{account_id}/holds/{hold_id}/release",
    response_model=HoldOut,
    responses=problem_responses(Forbidden, NotFound, Conflict),
)
def release_hold(
    account_id: uuid.UUID,
    hold_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_ACCOUNTS))],
    session: SessionDep,
) -> HoldOut:
    return HoldOut.model_validate(service.release_hold(session, ctx, account_id, hold_id))
