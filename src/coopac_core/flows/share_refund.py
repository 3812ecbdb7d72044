"""A member's share capital refunded, across products: shares, the member's loans (netted
first) and the other side it is paid to (cash or savings: flows.counter)."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from coopac_core.federation.service import get_cooperative
from coopac_core.flows import counter
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind
from coopac_core.ledger.schemas import Movement
from coopac_core.loans.service import operations as loans
from coopac_core.members.models import Member, MemberStatus
from coopac_core.security.principal import CoopContext
from coopac_core.shares import service as shares
from coopac_core.shares.errors import MemberNotWithdrawn, NothingToRefund
from coopac_core.shares.models import ShareAccountStatus
from coopac_core.shares.schemas import ShareRefund


def refund(session: Session, ctx: CoopContext, member_id: uuid.UUID, data: ShareRefund) -> Movement:
    """A withdrawn or deceased member's share capital: what they owe the cooperative is
    netted first (each active loan a repayment from the shares), the rest paid out in cash
    or to one of their savings accounts; the share account closes."""
    account = shares.lock_share_account(session, ctx.cooperative_id, member_id)
    member = session.get(Member, (ctx.cooperative_id, member_id))
    if member is None or member.status not in (MemberStatus.withdrawn, MemberStatus.deceased):
        raise MemberNotWithdrawn()
    shares.check_not_guarantor(session, ctx.cooperative_id, member_id)
    if account.balance <= 0:
        raise NothingToRefund()
    share_gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    # what the member owes the cooperative is netted first (each loan a repayment from
    # the shares); the rest is paid out
    netted, last_entry = loans.net_member_debts(
        session,
        ctx,
        member_id,
        account.currency,
        account.balance,
        lambda part, _currency, _member: ledger.Counterpart(ledger.Leg(share_gl, part, account)),
    )
    amount = account.balance
    if amount <= 0 and last_entry is not None:  # all of it went to the member's debts
        account.status = ShareAccountStatus.closed
        account.closed_on = get_cooperative(session, ctx.cooperative_id).business_date
        session.add(account)
        entry = ledger.get_entry(session, ctx.cooperative_id, last_entry)
        line = next(
            p
            for p in ledger.entry_postings(session, ctx.cooperative_id, [last_entry])[last_entry]
            if p.account_id == account.id
        )
        return ledger.movement(account, entry, line, -netted, account.balance)
    target = counter.other_side(
        session, ctx, branch_id=data.branch_id, account_id=data.to_account_id
    )(-amount, account.currency, member_id)
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.share_refund,
        [ledger.Leg(share_gl, amount, account), target.leg],
        branch_id=target.branch_id or data.branch_id,
        description=data.description or "Devolución de aportaciones por retiro",
        till_session_id=target.till_session_id,
    )
    target.posted(session, entry.business_date)
    account.status = ShareAccountStatus.closed
    account.closed_on = entry.business_date
    session.add(account)
    return ledger.movement(account, entry, postings[0], -amount, account.balance)
