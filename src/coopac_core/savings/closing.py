"""Closing a savings account with the member: the interest accrued to the closing day paid in
first (rounded half-up, from interest payable, as a month's is), then everything paid out in
cash or to another account of the member, and the account closed: what it earned never stays
in 21x8 owed to nobody. A term deposit before maturity is its product's early cancellation
(``term_deposits.cancel``)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel import Session

from coopac_core import database_rules as rules
from coopac_core.audit import service as audit_service
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import INTEREST_PAYABLE_GL
from coopac_core.ledger.models import EntryKind
from coopac_core.money import round_cents
from coopac_core.savings import term_deposits
from coopac_core.savings.errors import AccountClosed, InsufficientFunds
from coopac_core.savings.models import (
    AccountStatus,
    ProductKind,
    SavingsAccount,
    SavingsCapitalisation,
)
from coopac_core.savings.schemas import TermCancellation, TermCancellationOut
from coopac_core.savings.service import (
    MEMBER_DEBITABLE,
    accrued_interest,
    get_product,
    lock_savings_account,
)
from coopac_core.security.principal import CoopContext

ZERO = Decimal("0.00")


def cancel_account(
    session: Session,
    ctx: CoopContext,
    account_id: uuid.UUID,
    data: TermCancellation,
    to: ledger.OtherSide,
) -> TermCancellationOut:
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    product = get_product(session, ctx.cooperative_id, account.product_id)
    if product.kind == ProductKind.term:
        return term_deposits.cancel(session, ctx, account_id, data, to)
    return _close_sight(session, ctx, account, data, to)


def pay_accrued_interest(
    session: Session, ctx: CoopContext, account: SavingsAccount
) -> tuple[SavingsCapitalisation | None, uuid.UUID | None]:
    """The interest the account has accrued and not been paid (last month's rounding carried,
    every day since), paid in now, half-up, and kept as a capitalisation of today so that
    month end does not pay it again."""
    coop_id = ctx.cooperative_id
    accrued = accrued_interest(session, coop_id, [account.id]).get(account.id)
    if not accrued:
        return None, None
    interest = round_cents(accrued)
    today = get_cooperative(session, coop_id).business_date
    entry_id = None
    if interest > 0:
        payable = ledger.gl_account_for(session, coop_id, INTEREST_PAYABLE_GL, account.currency)
        own = ledger.get_gl_account(session, coop_id, account.gl_account_id)
        entry, _ = ledger.post_entry(
            session,
            ctx,
            EntryKind.interest,
            [ledger.Leg(payable, interest), ledger.Leg(own, -interest, account)],
            description=f"Intereses al cierre de la cuenta {account.number}",
        )
        entry_id = entry.id
    paid = SavingsCapitalisation(
        cooperative_id=coop_id,
        account_id=account.id,
        period_end=today,
        product_id=account.product_id,
        accrued=accrued,
        amount=interest,
        carried=accrued - interest,
        journal_entry_id=entry_id,
    )
    session.add(paid)
    session.flush()
    return paid, entry_id


def _close_sight(
    session: Session,
    ctx: CoopContext,
    account: SavingsAccount,
    data: TermCancellation,
    to: ledger.OtherSide,
) -> TermCancellationOut:
    coop_id = ctx.cooperative_id
    if account.status == AccountStatus.closed:
        raise AccountClosed()
    # a hold (a court's, a guarantee's) or a block keeps the money where it is
    if account.held_amount > 0 or account.status == AccountStatus.blocked:
        raise InsufficientFunds()
    rules.call(session, MEMBER_DEBITABLE, {"c": coop_id, "m": account.member_id})
    principal = account.balance
    paid, interest_entry = pay_accrued_interest(session, ctx, account)
    interest = paid.amount if paid else ZERO
    everything = account.balance
    entry_id = interest_entry
    if everything > 0:
        out = to(-everything, account.currency, account.member_id)
        own = ledger.get_gl_account(session, coop_id, account.gl_account_id)
        entry, _ = ledger.post_entry(
            session,
            ctx,
            EntryKind.withdrawal,
            [ledger.Leg(own, everything, account), out.leg],
            branch_id=out.branch_id or data.branch_id,
            description=f"Cierre de la cuenta {account.number}",
            till_session_id=out.till_session_id,
        )
        out.posted(session, entry.business_date)
        entry_id = entry.id
    today = get_cooperative(session, coop_id).business_date
    account.status = AccountStatus.closed
    account.closed_on = today
    session.add(account)
    audit_service.record(
        session,
        ctx.principal,
        "savings_account.close",
        "savings_account",
        account.id,
        cooperative_id=coop_id,
        details={"principal": str(principal), "interest": str(interest)},
    )
    session.flush()
    return TermCancellationOut(
        journal_entry_id=entry_id,
        account_id=account.id,
        principal=principal,
        interest=interest,
        paid_out=everything,
        currency=account.currency,
        closed_on=today,
    )
