from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import Response

from coopac_core.errors import AmountInvalid
from coopac_core.idempotent_creates import CreateOnce
from coopac_core.ledger import service as ledger
from coopac_core.ledger.ranges import DateRangeDep, DateRangeInvalid
from coopac_core.ledger.schemas import StatementPage
from coopac_core.members.errors import MemberNotActive, MemberNotFound, MemberRequired
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import Page, PageDep, cursor_key, cursor_time_id, make_page
from coopac_core.products import ProductExists, ProductInactive, ProductNotFound
from coopac_core.savings import holds, service, term_deposits
from coopac_core.savings.errors import (
    AccountClosed,
    AccountNotEmpty,
    AccountNotFound,
    HoldNotFound,
    HoldReleased,
    InterestUnpaid,
    InvalidPayoutAccount,
    NotATermDeposit,
)
from coopac_core.savings.schemas import (
    HoldCreate,
    HoldOut,
    MaturityInstructionChange,
    SavingsAccountCreate,
    SavingsAccountOut,
    SavingsAccountUpdate,
    SavingsProductCreate,
    SavingsProductOut,
)
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    MANAGE_ACCOUNTS,
    MANAGE_PRODUCTS,
    OPEN_ACCOUNTS,
    READ_ACCOUNTS,
    READ_PRODUCTS,
)

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["savings"])


@router.post(
    "/savings-products",
    status_code=status.HTTP_201_CREATED,
    response_model=SavingsProductOut,
    responses=coop_responses(ProductExists),
    summary="Create a savings product (sight or term)",
)
def create_savings_product(
    body: SavingsProductCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_PRODUCTS))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(
        session,
        ctx,
        lambda: SavingsProductOut.model_validate(service.create_product(session, ctx, body)),
    )


@router.get(
    "/savings-products",
    response_model=Page[SavingsProductOut],
    responses=list_responses(),
    summary="The cooperative's savings products, by code",
)
def list_savings_products(
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
    responses=coop_responses(
        MemberNotFound,
        MemberNotActive,
        MemberRequired,
        ProductNotFound,
        ProductInactive,
        InvalidPayoutAccount,
    ),
    summary="Open a savings account for a member or client",
)
def open_savings_account(
    body: SavingsAccountCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(OPEN_ACCOUNTS))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    def make() -> SavingsAccountOut:
        account = service.open_account(
            session,
            ctx,
            body.member_id,
            body.product_id,
            body.maturity_instruction,
            body.payout_account_id,
        )
        return service.account_out(session, account)

    return once.run(session, ctx, make)


@router.get(
    "/savings-accounts/{account_id}",
    response_model=SavingsAccountOut,
    responses=coop_responses(AccountNotFound),
    summary="A savings account with its balance and available balance",
)
def get_savings_account(
    account_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
) -> SavingsAccountOut:
    return service.account_out(
        session, service.get_account(session, ctx.cooperative_id, account_id)
    )


@router.get(
    "/members/{member_id}/savings-accounts",
    response_model=Page[SavingsAccountOut],
    responses=list_responses(MemberNotFound),
    summary="A member's savings accounts, by number",
)
def list_member_savings_accounts(
    member_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
    page: PageDep,
) -> Page[SavingsAccountOut]:
    rows = service.list_member_accounts(
        session,
        ctx.cooperative_id,
        member_id,
        after_number=cursor_key(page.cursor, str),
        limit=page.limit + 1,
    )
    accrued = service.accrued_interest(session, ctx.cooperative_id, [a.id for a in rows])
    items = [service.account_out(session, a, accrued.get(a.id, Decimal(0))) for a in rows]
    return make_page(items, page.limit, lambda a: [a.number])


@router.patch(
    "/savings-accounts/{account_id}",
    response_model=SavingsAccountOut,
    responses=coop_responses(AccountNotFound, AccountClosed, AccountNotEmpty, InterestUnpaid),
    summary="Block, unblock, mark dormant or close an account",
)
def update_savings_account(
    account_id: uuid.UUID,
    body: SavingsAccountUpdate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_ACCOUNTS, money=True))],
    session: SessionDep,
) -> SavingsAccountOut:
    return service.account_out(session, service.set_status(session, ctx, account_id, body.status))


@router.put(
    "/savings-accounts/{account_id}/maturity-instruction",
    response_model=SavingsAccountOut,
    responses=coop_responses(AccountNotFound, NotATermDeposit, InvalidPayoutAccount),
    summary="Change what a term deposit does at maturity (until the day before it)",
)
def change_maturity_instruction(
    account_id: uuid.UUID,
    body: MaturityInstructionChange,
    ctx: Annotated[CoopContext, Depends(coop_access(OPEN_ACCOUNTS))],
    session: SessionDep,
) -> SavingsAccountOut:
    return service.account_out(
        session, term_deposits.change_instruction(session, ctx, account_id, body)
    )


@router.get(
    "/savings-accounts/{account_id}/transactions",
    response_model=StatementPage,
    responses=list_responses(AccountNotFound, DateRangeInvalid),
    summary="The account's statement, oldest or newest first, over a range of dates",
)
def savings_statement(
    account_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
    page: PageDep,
    span: DateRangeDep,
) -> StatementPage:
    account = service.get_account(session, ctx.cooperative_id, account_id)
    return ledger.statement_page(session, account, page.cursor, page.limit, span)


@router.post(
    "/savings-accounts/{account_id}/holds",
    status_code=status.HTTP_201_CREATED,
    response_model=HoldOut,
    responses=coop_responses(AccountNotFound, AccountClosed, AmountInvalid),
    summary="Hold an amount (a court order, a guarantee): it lowers the available balance",
)
def place_hold(
    account_id: uuid.UUID,
    body: HoldCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_ACCOUNTS, money=True))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(
        session,
        ctx,
        lambda: HoldOut.model_validate(holds.place_hold(session, ctx, account_id, body)),
    )


@router.get(
    "/savings-accounts/{account_id}/holds",
    response_model=Page[HoldOut],
    responses=list_responses(AccountNotFound),
    summary="An account's holds, in the order they were placed",
)
def list_holds(
    account_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
    page: PageDep,
) -> Page[HoldOut]:
    rows = holds.list_holds(
        session,
        ctx.cooperative_id,
        account_id,
        after=cursor_time_id(page.cursor),
        limit=page.limit + 1,
    )
    items = [HoldOut.model_validate(h) for h in rows]
    return make_page(items, page.limit, lambda h: [h.placed_at.isoformat(), str(h.id)])


@router.post(
    "/savings-accounts/{account_id}/holds/{hold_id}/release",
    response_model=HoldOut,
    responses=coop_responses(AccountNotFound, HoldNotFound, HoldReleased),
    summary="Release a hold: its amount is available again",
)
def release_hold(
    account_id: uuid.UUID,
    hold_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_ACCOUNTS, money=True))],
    session: SessionDep,
) -> HoldOut:
    return HoldOut.model_validate(holds.release_hold(session, ctx, account_id, hold_id))
