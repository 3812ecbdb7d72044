"""Share capital: opening with the membership, payments in, refund on withdrawal."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, select

from coopac_core import database_rules as rules
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import SHARE_CAPITAL_GL
from coopac_core.ledger.models import JournalEntry
from coopac_core.ledger.schemas import Movement
from coopac_core.members.errors import MemberNotFound
from coopac_core.members.models import Member
from coopac_core.money import Currency, check_amount
from coopac_core.security.principal import CoopContext
from coopac_core.shares.errors import (
    GuarantorOfOutstandingLoan,
    ShareAccountClosed,
    ShareAccountNotFound,
)
from coopac_core.shares.models import ShareAccount, ShareAccountStatus
from coopac_core.shares.schemas import SharePayment

PAY = text(
    "SELECT coopac_share_payment(:c, :m, :amount, :b, :f, :d, CAST(:actor AS jsonb), "
    "CAST(:policy AS jsonb))"
)
# Share capital is subscribed in the cooperative's base currency.
SHARE_CURRENCY = Currency.PEN


def open_share_account(session: Session, member: Member) -> ShareAccount:
    gl = ledger.gl_account_for(
        session, member.cooperative_id, SHARE_CAPITAL_GL, SHARE_CURRENCY.value
    )
    account = ShareAccount(
        cooperative_id=member.cooperative_id,
        member_id=member.id,
        currency=SHARE_CURRENCY.value,
        gl_account_id=gl.id,
        opened_on=get_cooperative(session, member.cooperative_id).business_date,
    )
    session.add(account)
    return account


def guard_reversal(session: Session, account: ShareAccount, delta: Decimal) -> None:
    """A closed share account (capital returned to a withdrawn or deceased member) takes
    no reversal: it would put capital back into it."""
    if account.status == ShareAccountStatus.closed:
        raise ShareAccountClosed()


def check_not_guarantor(session: Session, cooperative_id: uuid.UUID, member_id: uuid.UUID) -> None:
    """A guarantor stays bound while a loan they guarantee is outstanding: their share
    capital is not refunded."""
    number = session.execute(
        text(
            "SELECT l.number FROM loan_guarantor g JOIN loan l ON l.cooperative_id = "
            "g.cooperative_id AND l.id = g.loan_id WHERE g.cooperative_id = :c "
            "AND g.member_id = :m AND l.status = 'active' ORDER BY l.number LIMIT 1"
        ),
        {"c": cooperative_id, "m": member_id},
    ).scalar_one_or_none()
    if number is not None:
        raise GuarantorOfOutstandingLoan(number=number)


def undo_refund(session: Session, entry: JournalEntry) -> None:
    """The inverse of a refund: the share account it closed opens again, so that the
    capital it gets back is the member's again (awaiting a correct refund, if the member
    stays withdrawn or deceased). Its lines are already locked by the reversal."""
    postings = ledger.entry_postings(session, entry.cooperative_id, [entry.id])[entry.id]
    for p in postings:
        if p.account_kind == ShareAccount.ACCOUNT_KIND and p.account_id is not None:
            account = session.get(ShareAccount, (entry.cooperative_id, p.account_id))
            assert account is not None
            account.status = ShareAccountStatus.active
            account.closed_on = None
            session.add(account)


def get_share_account(
    session: Session, cooperative_id: uuid.UUID, member_id: uuid.UUID
) -> ShareAccount:
    account = session.exec(
        select(ShareAccount).where(
            ShareAccount.cooperative_id == cooperative_id, ShareAccount.member_id == member_id
        )
    ).first()
    if account is None:
        member = session.get(Member, (cooperative_id, member_id))
        if member is None:
            raise MemberNotFound()
        raise ShareAccountNotFound()
    return account


def lock_share_account(
    session: Session, cooperative_id: uuid.UUID, member_id: uuid.UUID
) -> ShareAccount:
    account = get_share_account(session, cooperative_id, member_id)
    locked = ledger.lock_member_accounts(session, ShareAccount, cooperative_id, [account.id])
    return locked[account.id]


def pay(session: Session, ctx: CoopContext, member_id: uuid.UUID, data: SharePayment) -> Movement:
    """Share capital paid in: the database function ``coopac_share_payment`` (migration
    0020) holds its rules and books it, for this path and the one-call path alike."""
    amount = check_amount(data.amount)
    body = rules.call(
        session,
        PAY,
        {
            "c": ctx.cooperative_id,
            "m": member_id,
            "amount": amount,
            "b": data.branch_id,
            "f": data.from_account_id,
            "d": data.description,
            "actor": rules.actor_json(ctx),
            "policy": rules.policy_json(),
        },
    )
    return Movement.model_validate(body)
