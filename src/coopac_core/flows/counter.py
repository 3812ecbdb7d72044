"""Member money at the counter, across products: a cash deposit or withdrawal (savings and
the caller's till, a supervisor's approval above the threshold), and the other side of a
member's movement in a product (a loan paid out or repaid, share capital refunded, a term
deposit cancelled): cash at the caller's till, or one of the member's own savings accounts
(``other_side``)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from coopac_core import database_rules as rules
from coopac_core.audit import service as audit_service
from coopac_core.flows import withdrawals
from coopac_core.ledger import service as ledger
from coopac_core.ledger.errors import CurrencyMismatch
from coopac_core.ledger.schemas import Movement
from coopac_core.members.models import MemberStatus
from coopac_core.members.service import get_member
from coopac_core.money import check_amount
from coopac_core.savings import closing
from coopac_core.savings.errors import (
    CREDIT_ERRORS,
    DEBIT_ERRORS,
    AccountClosed,
    AccountOwnerMismatch,
    InsufficientFunds,
    MemberNotInSettlement,
)
from coopac_core.savings.models import AccountStatus
from coopac_core.savings.schemas import (
    CashMovementRequest,
    SettlementRequest,
    TermCancellation,
    TermCancellationOut,
)
from coopac_core.savings.service import (
    after_credit,
    check_can_credit,
    check_can_debit,
    check_currency,
    get_account,
    get_product,
    lock_savings_account,
    moved_by_holder,
)
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.errors import CASH_ERRORS, MemberOfOtherBranch
from coopac_core.tellers.schemas import WithdrawalRequestOut
from coopac_core.tellers.service import counter_cash

DEPOSIT = text(
    "SELECT coopac_savings_deposit(:c, :a, :amount, :cur, :b, :d, CAST(:actor AS jsonb), "
    "CAST(:policy AS jsonb))"
)
# Cash, or the member's own savings account, on either side.
COUNTERPART_ERRORS = (
    *CASH_ERRORS,
    *CREDIT_ERRORS,
    *DEBIT_ERRORS,
    AccountOwnerMismatch,
    MemberOfOtherBranch,
)


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
    """A cash withdrawal at the caller's till; one that takes the member's withdrawals of
    the day above the cooperative's threshold waits for a supervisor (202,
    pending_approval)."""
    amount = check_amount(data.amount)
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    check_currency(account, data.currency)
    product = get_product(session, ctx.cooperative_id, account.product_id)
    check_can_debit(session, account, product, amount)
    cash = counter_cash(session, ctx, data.branch_id, account.currency, -amount)
    if withdrawals.needs_approval(session, account, amount):
        pending = withdrawals.request_withdrawal(session, ctx, account, amount, cash, data)
        return pending, 202
    out = withdrawals.pay_out(
        session, ctx, account, amount, cash, data.description or "Retiro en efectivo"
    )
    moved_by_holder(session, account, out.value_date)
    return out


def settle(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: SettlementRequest
) -> Movement:
    """The one debit a deceased or withdrawn member's savings take: paid out whole (what a
    hold does not keep) in cash at the manager's till, on the document that proves the
    death and the heirs, or the leaving; the account is closed once empty."""
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    member = get_member(session, ctx.cooperative_id, account.member_id)
    if member.status not in (MemberStatus.deceased, MemberStatus.withdrawn):
        raise MemberNotInSettlement(status=member.status)
    if account.status == AccountStatus.closed:
        raise AccountClosed()
    amount = account.balance - account.held_amount
    if amount <= 0:
        raise InsufficientFunds()
    cash = counter_cash(session, ctx, data.branch_id, account.currency, -amount)
    out = withdrawals.pay_out(
        session,
        ctx,
        account,
        amount,
        cash,
        f"Liquidación de la cuenta {account.number}: {data.document_reference}",
    )
    if account.balance == 0:
        account.status = AccountStatus.closed
        account.closed_on = out.value_date
        session.add(account)
    audit_service.record(
        session,
        ctx.principal,
        "savings_account.settle",
        "savings_account",
        account.id,
        cooperative_id=ctx.cooperative_id,
        details={
            "member_status": member.status,
            "document_reference": data.document_reference,
            "amount": str(amount),
            "journal_entry_id": str(out.journal_entry_id),
        },
    )
    return out


def other_side(
    session: Session,
    ctx: CoopContext,
    *,
    branch_id: uuid.UUID | None,
    account_id: uuid.UUID | None,
) -> ledger.OtherSide:
    """The other side a request names (a savings account of the member, or else cash at
    the caller's till in ``branch_id``), for the product to ask for with its amount."""

    def make(amount: Decimal, currency: str, member_id: uuid.UUID) -> ledger.Counterpart:
        return counterpart_leg(
            session,
            ctx,
            amount=amount,
            currency=currency,
            member_id=member_id,
            branch_id=branch_id,
            account_id=account_id,
        )

    return make


def check_member_branch(session: Session, ctx: CoopContext, member_id: uuid.UUID) -> None:
    """A member's savings debited but in cash at the counter: by their own branch's staff
    only (``coopac_check_member_branch``, the rule's one home, which the one-call
    transfers and share payments run too)."""
    rules.call(
        session,
        text("SELECT coopac_check_member_branch(:c, :m, CAST(:a AS jsonb))"),
        {"c": ctx.cooperative_id, "m": member_id, "a": rules.actor_json(ctx)},
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
) -> ledger.Counterpart:
    """The other side of a member's movement (a share payment, a loan repayment or
    disbursement): cash at the caller's till, or one of the member's own savings accounts.

    ``amount`` is the leg's posting amount: positive takes money from the savings account
    (or into the till), negative pays it into the account (or out of the till).
    """
    if account_id is None:
        cash = counter_cash(session, ctx, branch_id, currency, amount)
        return ledger.Counterpart(
            ledger.Leg(cash.gl_account, amount), cash.session_id, cash.branch_id
        )
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    if account.member_id != member_id:
        raise AccountOwnerMismatch()
    if account.currency != currency:
        raise CurrencyMismatch(reason=f"la cuenta de ahorro no es en {currency}")
    product = get_product(session, ctx.cooperative_id, account.product_id)
    if amount > 0:
        check_member_branch(session, ctx, member_id)
        check_can_debit(session, account, product, amount)
    else:
        check_can_credit(session, account, product)
    gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    # once posted: money paid in is a credit (it may wake or place the account); money
    # taken out is the holder's movement
    moved = after_credit if amount < 0 else moved_by_holder
    return ledger.Counterpart(
        ledger.Leg(gl, amount, account), after=lambda s, day: moved(s, account, day)
    )


def cancel_account(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: TermCancellation
) -> TermCancellationOut:
    """Close a savings account with its member (``savings.closing``): paid out in cash at
    the caller's till, or into another account of theirs, which is a debit other than in
    cash: by the member's own branch's staff only, as a transfer."""
    if data.to_account_id is not None:
        account = get_account(session, ctx.cooperative_id, account_id)
        check_member_branch(session, ctx, account.member_id)
    return closing.cancel_account(
        session,
        ctx,
        account_id,
        data,
        other_side(session, ctx, branch_id=data.branch_id, account_id=data.to_account_id),
    )
