"""Money in and out of savings: deposits, withdrawals, transfers, and a savings account
(or the branch's cash) as the other side of a member's share or loan movement."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
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
from coopac_core.savings.models import SavingsAccount
from coopac_core.savings.schemas import CashMovementRequest
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
from coopac_core.tellers import approvals
from coopac_core.tellers.errors import TillCashInsufficient, TillCashLimit, TillSessionRequired
from coopac_core.tellers.schemas import WithdrawalRequestOut
from coopac_core.tellers.service import counter_cash, receipt_number_of

# What each movement can refuse, for the routes' documented answers.
CASH_ERRORS: tuple[type[DomainError], ...] = (
    AmountInvalid,
    BranchNotFound,
    LimitExceeded,
    TillSessionRequired,
    TillCashInsufficient,
    TillCashLimit,
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
# Cash, or the member's own savings account, on either side.
COUNTERPART_ERRORS = (*CASH_ERRORS, *CREDIT_ERRORS, *DEBIT_ERRORS, AccountOwnerMismatch)


def deposit(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: CashMovementRequest
) -> Movement:
    """A cash deposit: the database function ``coopac_savings_deposit`` (sql/functions/)
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
) -> Movement | tuple[WithdrawalRequestOut, int]:
    """A cash withdrawal at the caller's till; above the cooperative's threshold it waits
    for a supervisor (202, pending_approval)."""
    amount = check_amount(data.amount)
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    check_currency(account, data.currency)
    product = get_product(session, ctx.cooperative_id, account.product_id)
    check_can_debit(session, account, product, amount)
    cash = counter_cash(session, ctx, data.branch_id, account.currency, -amount)
    above = approvals.threshold(session, ctx.cooperative_id, account.currency)
    if above is not None and amount > above:
        pending = approvals.request_withdrawal(session, ctx, account, amount, cash, data)
        return pending, 202
    savings_gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.withdrawal,
        [ledger.Leg(savings_gl, amount, account), ledger.Leg(cash.gl_account, -amount)],
        branch_id=cash.branch_id,
        description=data.description or "Retiro en efectivo",
        till_session_id=cash.session_id,
    )
    moved_by_holder(session, account, entry.business_date)
    out = ledger.movement(account, entry, postings[0], -amount, available(session, account))
    out.receipt_number = receipt_number_of(session, ctx.cooperative_id, entry.id)
    return out


@dataclass(frozen=True)
class Counterpart:
    """The other side of a member's movement, and the till session whose cash it is."""

    leg: ledger.Leg
    till_session_id: uuid.UUID | None = None
    branch_id: uuid.UUID | None = None
    savings_account: SavingsAccount | None = None

    def posted(self, session: Session, day: date) -> None:
        """Once the movement is posted: a savings account the member paid from or was paid
        into has moved (its last movement, a dormant account woken, a term deposit
        placed)."""
        if self.savings_account is None:
            return
        if self.leg.amount < 0:
            after_credit(session, self.savings_account, day)
        else:
            moved_by_holder(session, self.savings_account, day)


def counterpart_leg(
    session: Session,
    ctx: CoopContext,
    *,
    amount: Decimal,
    currency: str,
    member_id: uuid.UUID,
    branch_id: uuid.UUID | None,
    account_id: uuid.UUID | None,
) -> Counterpart:
    """The other side of a member's movement (a share payment, a loan repayment or
    disbursement): cash at the caller's till, or one of the member's own savings accounts.

    ``amount`` is the leg's posting amount: positive takes money from the savings account
    (or into the till), negative pays it into the account (or out of the till).
    """
    if account_id is None:
        cash = counter_cash(session, ctx, branch_id, currency, amount)
        return Counterpart(ledger.Leg(cash.gl_account, amount), cash.session_id, cash.branch_id)
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
    gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    return Counterpart(ledger.Leg(gl, amount, account), savings_account=account)
