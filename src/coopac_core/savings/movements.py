"""Money in and out of savings: deposits, withdrawals, transfers, and a savings account
(or the branch's cash) as the other side of a member's share or loan movement."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from coopac_core import database_rules as rules
from coopac_core.errors import AmountInvalid, DomainError
from coopac_core.federation.errors import BranchNotFound
from coopac_core.ledger import service as ledger
from coopac_core.ledger.errors import CurrencyMismatch
from coopac_core.ledger.models import EntryKind
from coopac_core.ledger.schemas import Movement
from coopac_core.limits.errors import LimitExceeded
from coopac_core.money import check_amount
from coopac_core.savings.errors import (
    AccountBlocked,
    AccountClosed,
    AccountDormant,
    AccountNotFound,
    AccountOwnerMismatch,
    InsufficientFunds,
    TermDepositPlaced,
    TermNotMatured,
    TermPartialWithdrawal,
)
from coopac_core.savings.schemas import CashMovementRequest, TransferOut, TransferRequest
from coopac_core.savings.service import (
    after_credit,
    available,
    check_can_credit,
    check_can_debit,
    check_currency,
    get_product,
    lock_savings_account,
    moved_by_holder,
)
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.errors import BranchNotAllowed
from coopac_core.tellers.service import branch_cash

# What each movement can refuse, for the routes' documented answers.
CASH_ERRORS: tuple[type[DomainError], ...] = (
    AmountInvalid,
    BranchNotAllowed,
    BranchNotFound,
    LimitExceeded,
)
CREDIT_ERRORS: tuple[type[DomainError], ...] = (
    AccountNotFound,
    CurrencyMismatch,
    AccountBlocked,
    AccountClosed,
    TermDepositPlaced,
)
DEBIT_ERRORS: tuple[type[DomainError], ...] = (
    AccountNotFound,
    CurrencyMismatch,
    AccountBlocked,
    AccountClosed,
    AccountDormant,
    TermNotMatured,
    TermPartialWithdrawal,
    InsufficientFunds,
)
DEPOSIT = text(
    "SELECT coopac_savings_deposit(:c, :a, :amount, :cur, :b, :d, CAST(:actor AS jsonb), "
    "CAST(:policy AS jsonb))"
)
TRANSFER = text(
    "SELECT coopac_savings_transfer(:c, :f, :t, :amount, :cur, :d, CAST(:actor AS jsonb), "
    "CAST(:policy AS jsonb))"
)
# Cash, or the member's own savings account, on either side.
COUNTERPART_ERRORS = (*CASH_ERRORS, *CREDIT_ERRORS, *DEBIT_ERRORS, AccountOwnerMismatch)


def deposit(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: CashMovementRequest
) -> Movement:
    """A cash deposit: the database function ``coopac_savings_deposit`` (migration 0020)
    holds its rules and books it, for this path and the one-call path alike."""
    amount = check_amount(data.amount)
    body = rules.call(
        session,
        DEPOSIT,
        {
            "c": ctx.cooperative_id,
            "a": account_id,
            "amount": amount,
            "cur": data.currency.value if data.currency else None,
            "b": data.branch_id,
            "d": data.description,
            "actor": rules.actor_json(ctx),
            "policy": rules.policy_json(),
        },
    )
    return Movement.model_validate(body)


def withdraw(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: CashMovementRequest
) -> Movement:
    amount = check_amount(data.amount)
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    check_currency(account, data.currency)
    product = get_product(session, ctx.cooperative_id, account.product_id)
    check_can_debit(session, account, product, amount)
    cash = branch_cash(session, ctx, data.branch_id, account.currency)
    savings_gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.withdrawal,
        [ledger.Leg(savings_gl, amount, account), ledger.Leg(cash, -amount)],
        branch_id=data.branch_id,
        description=data.description or "Retiro en efectivo",
    )
    moved_by_holder(account, entry.business_date)
    return ledger.movement(account, entry, postings[0], -amount, available(account, product))


def transfer(session: Session, ctx: CoopContext, data: TransferRequest) -> TransferOut:
    """A transfer between two savings accounts: the database function
    ``coopac_savings_transfer`` (migration 0020) holds its rules and books it."""
    amount = check_amount(data.amount)
    body = rules.call(
        session,
        TRANSFER,
        {
            "c": ctx.cooperative_id,
            "f": data.from_account_id,
            "t": data.to_account_id,
            "amount": amount,
            "cur": data.currency.value if data.currency else None,
            "d": data.description,
            "actor": rules.actor_json(ctx),
            "policy": rules.policy_json(),
        },
    )
    return TransferOut.model_validate(body)


def counterpart_leg(
    session: Session,
    ctx: CoopContext,
    *,
    amount: Decimal,
    currency: str,
    member_id: uuid.UUID,
    branch_id: uuid.UUID | None,
    account_id: uuid.UUID | None,
) -> ledger.Leg:
    """The other side of a member's movement (a share payment, a loan repayment or
    disbursement): cash at a branch, or one of the member's own savings accounts.

    ``amount`` is the leg's posting amount: positive takes money from the savings account
    (or into the till), negative pays it into the account (or out of the till).
    """
    if account_id is None:
        assert branch_id is not None
        return ledger.Leg(branch_cash(session, ctx, branch_id, currency), amount)
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    if account.member_id != member_id:
        raise AccountOwnerMismatch()
    if account.currency != currency:
        raise CurrencyMismatch(reason=f"la cuenta de ahorro no es en {currency}")
    product = get_product(session, ctx.cooperative_id, account.product_id)
    if amount > 0:
        check_can_debit(session, account, product, amount)
    else:
        check_can_credit(session, account, product)
        after_credit(session, account, product)
    gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    return ledger.Leg(gl, amount, account)
