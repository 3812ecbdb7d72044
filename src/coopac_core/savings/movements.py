"""Money in and out of savings: deposits, withdrawals, transfers, and a savings account
(or the branch's cash) as the other side of a member's share or loan movement."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel import Session

from coopac_core.errors import AmountInvalid, DomainError
from coopac_core.federation.errors import BranchNotFound
from coopac_core.ledger import service as ledger
from coopac_core.ledger.errors import CurrencyMismatch
from coopac_core.ledger.models import EntryKind
from coopac_core.ledger.schemas import Movement
from coopac_core.limits.errors import LimitExceeded
from coopac_core.money import Currency, check_amount
from coopac_core.savings.errors import (
    AccountBlocked,
    AccountClosed,
    AccountDormant,
    AccountNotFound,
    AccountOwnerMismatch,
    InsufficientFunds,
    SameAccount,
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
    lock_savings_accounts,
    moved_by_holder,
)
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.errors import BranchNotAllowed
from coopac_core.tellers.service import branch_cash, check_member_branch

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
# Cash, or the member's own savings account, on either side.
COUNTERPART_ERRORS = (*CASH_ERRORS, *CREDIT_ERRORS, *DEBIT_ERRORS, AccountOwnerMismatch)


def deposit(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: CashMovementRequest
) -> Movement:
    amount = check_amount(data.amount)
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    check_currency(account, data.currency)
    product = get_product(session, ctx.cooperative_id, account.product_id)
    check_can_credit(account, product)
    cash = branch_cash(session, ctx, data.branch_id, account.currency)
    savings_gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.deposit,
        [ledger.Leg(cash, amount), ledger.Leg(savings_gl, -amount, account)],
        branch_id=data.branch_id,
        description=data.description or "Depósito en efectivo",
    )
    after_credit(session, account, product)
    moved_by_holder(account, entry.business_date)
    return ledger.movement(account, entry, postings[1], amount, available(account, product))


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
    amount = check_amount(data.amount)
    if data.from_account_id == data.to_account_id:
        raise SameAccount()
    locked = lock_savings_accounts(
        session, ctx.cooperative_id, [data.from_account_id, data.to_account_id]
    )
    source = locked.get(data.from_account_id)
    target = locked.get(data.to_account_id)
    if source is None or target is None:
        raise AccountNotFound()
    if source.currency != target.currency:
        raise CurrencyMismatch(reason="las cuentas son de monedas distintas")
    check_currency(source, data.currency)
    check_member_branch(session, ctx, source.member_id)
    source_product = get_product(session, ctx.cooperative_id, source.product_id)
    target_product = get_product(session, ctx.cooperative_id, target.product_id)
    check_can_debit(session, source, source_product, amount)
    check_can_credit(target, target_product)
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.transfer,
        [
            ledger.Leg(
                ledger.get_gl_account(session, ctx.cooperative_id, source.gl_account_id),
                amount,
                source,
            ),
            ledger.Leg(
                ledger.get_gl_account(session, ctx.cooperative_id, target.gl_account_id),
                -amount,
                target,
            ),
        ],
        description=data.description or f"Transferencia a {target.number}",
    )
    after_credit(session, target, target_product)
    moved_by_holder(source, entry.business_date)
    moved_by_holder(target, entry.business_date)
    return TransferOut(
        id=postings[0].id or 0,
        journal_entry_id=entry.id,
        amount=amount,
        currency=Currency(source.currency),
        from_account_id=source.id,
        to_account_id=target.id,
        balance=source.balance,
        available_balance=available(source, source_product),
        to_balance=target.balance,
        value_date=entry.value_date,
        booked_at=entry.created_at,
        description=entry.description,
    )


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
        check_can_credit(account, product)
        after_credit(session, account, product)
    gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    return ledger.Leg(gl, amount, account)
