"""Member money at the counter over HTTP, across products: cash deposits and withdrawals,
transfers, a term deposit cancelled, share capital paid in or refunded, a loan paid out,
repaid or recovered. Each names its other side (cash at the caller's till, or one of the
member's savings accounts: flows.counter); the products do the rest."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import JSONResponse, Response

from coopac_core.compliance import screening
from coopac_core.compliance.schemas import SCREENING_HOLD
from coopac_core.errors import AmountInvalid
from coopac_core.flows import counter, screened
from coopac_core.flows.counter import COUNTERPART_ERRORS
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.ledger.schemas import Movement
from coopac_core.limits.errors import LimitExceeded
from coopac_core.loans.errors import (
    InvalidLoanStatus,
    LoanNotFound,
    NotWrittenOff,
    Overpayment,
    RecoveryExceedsDebt,
    ScheduleInvalid,
)
from coopac_core.loans.schemas import (
    DisbursementRequest,
    LoanOut,
    RecoveryOut,
    RecoveryRequest,
    RepaymentOut,
    RepaymentRequest,
)
from coopac_core.members.errors import MemberNotActive, MemberNotFound
from coopac_core.money import check_amount
from coopac_core.openapi import money_responses
from coopac_core.savings.errors import (
    CREDIT_ERRORS,
    DEBIT_ERRORS,
    AccountClosed,
    AccountNotFound,
    InsufficientFunds,
    MemberInSettlement,
    MemberNotInSettlement,
    NotATermDeposit,
    SameAccount,
    TermNotMatured,
)
from coopac_core.savings.schemas import (
    CashMovementRequest,
    SettlementRequest,
    TermCancellation,
    TermCancellationOut,
    TransferOut,
    TransferRequest,
)
from coopac_core.security.roles import DISBURSE_LOANS, MOVE_MONEY, SETTLE_ACCOUNTS
from coopac_core.shares.errors import MemberNotWithdrawn, NothingToRefund, ShareAccountNotFound
from coopac_core.shares.schemas import SharePayment, ShareRefund
from coopac_core.tellers.errors import CASH_ERRORS, MemberOfOtherBranch
from coopac_core.tellers.schemas import WithdrawalRequestOut

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}")
# a member's share account: the member, and their account
SHARE_ACCOUNT_ERRORS = (MemberNotFound, ShareAccountNotFound)


@router.post(
    "/savings-accounts/{account_id}/deposits",
    tags=["savings"],
    status_code=status.HTTP_201_CREATED,
    response_model=Movement,
    responses={**money_responses(*CASH_ERRORS, *CREDIT_ERRORS), **SCREENING_HOLD},
    summary="Cash deposit at a branch counter (Idempotency-Key required)",
)
async def deposit(
    account_id: uuid.UUID,
    body: CashMovementRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> Response:
    if screening.might_hold(body.amount):  # the screening lists may hold it
        return await money.run(
            lambda session, ctx: screened.deposit(session, ctx, account_id, body)
        )
    return await money.call(
        "deposit",
        {"account_id": str(account_id), **body.model_dump(mode="json")},
        check=lambda: check_amount(body.amount),
    )


@router.post(
    "/savings-accounts/{account_id}/settlement",
    tags=["savings"],
    status_code=status.HTTP_201_CREATED,
    response_model=Movement,
    responses=money_responses(
        *CASH_ERRORS, AccountNotFound, AccountClosed, InsufficientFunds, MemberNotInSettlement
    ),
    summary="Settle a deceased or withdrawn member's savings account: the manager pays it out "
    "whole, in cash at their till, on the document that proves it; the account closes "
    "(Idempotency-Key required)",
)
async def settle_account(
    account_id: uuid.UUID,
    body: SettlementRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(SETTLE_ACCOUNTS))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: counter.settle(session, ctx, account_id, body))


@router.post(
    "/savings-accounts/{account_id}/withdrawals",
    tags=["savings"],
    status_code=status.HTTP_201_CREATED,
    response_model=Movement,
    responses={
        **money_responses(*CASH_ERRORS, *DEBIT_ERRORS),
        202: {
            "model": WithdrawalRequestOut,
            "description": "Above the cooperative's threshold: it waits for a supervisor "
            "(status pending_approval; approve or reject at withdrawal-requests/{id}); or its "
            "member is on a screening list: it waits for the compliance officer "
            "(screening-holds/{id})",
        },
    },
    summary="Cash withdrawal at the caller's till (Idempotency-Key required)",
)
async def withdraw(
    account_id: uuid.UUID,
    body: CashMovementRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: screened.withdraw(session, ctx, account_id, body))


@router.post(
    "/savings-accounts/{account_id}/cancellation",
    tags=["savings"],
    status_code=status.HTTP_201_CREATED,
    response_model=TermCancellationOut,
    responses={
        **money_responses(
            *COUNTERPART_ERRORS,
            NotATermDeposit,
            TermNotMatured,
            InsufficientFunds,
            AccountClosed,
            MemberInSettlement,
        ),
        **SCREENING_HOLD,
    },
    summary="Close a savings account with its member, in cash or to another account of "
    "theirs: a sight account's interest accrued to the day is paid in first, then everything "
    "out; a term deposit before maturity, the principal and the interest its product allows "
    "(Idempotency-Key required)",
)
async def cancel_account(
    account_id: uuid.UUID,
    body: TermCancellation,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: screened.cancel_account(session, ctx, account_id, body)
    )


@router.post(
    "/transfers",
    tags=["savings"],
    status_code=status.HTTP_201_CREATED,
    response_model=TransferOut,
    responses=money_responses(
        AmountInvalid,
        SameAccount,
        LimitExceeded,
        MemberOfOtherBranch,
        *DEBIT_ERRORS,
        *CREDIT_ERRORS,
    ),
    summary="Transfer between two savings accounts of the cooperative (Idempotency-Key required)",
)
async def transfer(
    body: TransferRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> Response:
    return await money.call(
        "transfer",
        body.model_dump(mode="json"),
        check=lambda: check_amount(body.amount),
    )


@router.post(
    "/loans/{loan_id}/disburse",
    tags=["loans"],
    status_code=status.HTTP_201_CREATED,
    response_model=LoanOut,
    responses={
        **money_responses(LoanNotFound, InvalidLoanStatus, ScheduleInvalid, *COUNTERPART_ERRORS),
        **SCREENING_HOLD,
    },
    summary="Pay out an approved loan to savings or in cash (Idempotency-Key required)",
)
async def disburse_loan(
    loan_id: uuid.UUID,
    body: DisbursementRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(DISBURSE_LOANS))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: screened.disburse(session, ctx, loan_id, body))


@router.post(
    "/loans/{loan_id}/repayments",
    tags=["loans"],
    status_code=status.HTTP_201_CREATED,
    response_model=RepaymentOut,
    responses={
        **money_responses(LoanNotFound, InvalidLoanStatus, Overpayment, *COUNTERPART_ERRORS),
        **SCREENING_HOLD,
    },
    summary="Pay: oldest installment first; insurance and fees, moratory, interest, principal "
    "(Idempotency-Key required)",
)
async def repay_loan(
    loan_id: uuid.UUID,
    body: RepaymentRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: screened.repay(session, ctx, loan_id, body))


@router.post(
    "/loans/{loan_id}/recoveries",
    tags=["loans"],
    status_code=status.HTTP_201_CREATED,
    response_model=RecoveryOut,
    responses={
        **money_responses(LoanNotFound, NotWrittenOff, RecoveryExceedsDebt, *COUNTERPART_ERRORS),
        **SCREENING_HOLD,
    },
    summary="A payment on a written-off loan: income, and the written-off debt goes down "
    "(Idempotency-Key required)",
)
async def recover_loan(
    loan_id: uuid.UUID,
    body: RecoveryRequest,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: screened.recover(session, ctx, loan_id, body))


@router.post(
    "/members/{member_id}/share-account/payments",
    tags=["shares"],
    status_code=201,
    response_model=Movement,
    responses={
        **money_responses(
            *SHARE_ACCOUNT_ERRORS, MemberNotActive, AmountInvalid, *COUNTERPART_ERRORS
        ),
        **SCREENING_HOLD,
    },
    summary="Pay in share capital, in cash or from savings (Idempotency-Key required)",
)
async def pay_shares(
    member_id: uuid.UUID,
    body: SharePayment,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> Response:
    if body.from_account_id is None and screening.might_hold(body.amount):
        return await money.run(
            lambda session, ctx: screened.pay_shares(session, ctx, member_id, body)
        )
    return await money.call(
        "share_payment",
        {"member_id": str(member_id), **body.model_dump(mode="json")},
        check=lambda: check_amount(body.amount),
    )


@router.post(
    "/members/{member_id}/share-account/refund",
    tags=["shares"],
    status_code=201,
    response_model=Movement,
    responses={
        **money_responses(
            *SHARE_ACCOUNT_ERRORS, MemberNotWithdrawn, NothingToRefund, *COUNTERPART_ERRORS
        ),
        **SCREENING_HOLD,
    },
    summary="Return all paid-in capital to a withdrawn or deceased member (Idempotency-Key)",
)
async def refund_shares(
    member_id: uuid.UUID,
    body: ShareRefund,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: screened.refund_shares(session, ctx, member_id, body)
    )
