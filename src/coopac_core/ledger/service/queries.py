"""Reading the ledger back: entries, their postings, the trial balance, statements."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from coopac_core.ledger.accounts import MemberAccount, holder_amount
from coopac_core.ledger.errors import JournalEntryNotFound
from coopac_core.ledger.models import GlAccount, JournalEntry, Posting
from coopac_core.ledger.ranges import DateRange, StatementOrder
from coopac_core.ledger.schemas import StatementLine, StatementPage
from coopac_core.pagination import cursor_key, make_page


def get_entry(session: Session, cooperative_id: uuid.UUID, entry_id: uuid.UUID) -> JournalEntry:
    entry = session.get(JournalEntry, (cooperative_id, entry_id))
    if entry is None:
        raise JournalEntryNotFound()
    return entry


def entry_postings(
    session: Session, cooperative_id: uuid.UUID, entry_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Posting]]:
    out: dict[uuid.UUID, list[Posting]] = defaultdict(list)
    if entry_ids:
        rows = session.exec(
            select(Posting)
            .where(Posting.cooperative_id == cooperative_id, col(Posting.entry_id).in_(entry_ids))
            .order_by(col(Posting.id))
        )
        for p in rows:
            out[p.entry_id].append(p)
    return out


def reversal_of_entry(
    session: Session, cooperative_id: uuid.UUID, entry_id: uuid.UUID
) -> JournalEntry | None:
    return session.exec(
        select(JournalEntry).where(
            JournalEntry.cooperative_id == cooperative_id, JournalEntry.reversal_of == entry_id
        )
    ).first()


def list_entries(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    date_from: date | None,
    date_to: date | None,
    kind: str | None,
    gl_account_id: uuid.UUID | None,
    after_seq: int | None,
    limit: int,
) -> list[JournalEntry]:
    stmt = select(JournalEntry).where(JournalEntry.cooperative_id == cooperative_id)
    if date_from:
        stmt = stmt.where(JournalEntry.business_date >= date_from)
    if date_to:
        stmt = stmt.where(JournalEntry.business_date <= date_to)
    if kind:
        stmt = stmt.where(JournalEntry.kind == kind)
    if gl_account_id:
        touching = select(Posting.entry_id).where(
            Posting.cooperative_id == cooperative_id, Posting.gl_account_id == gl_account_id
        )
        stmt = stmt.where(col(JournalEntry.id).in_(touching))
    if after_seq is not None:
        stmt = stmt.where(col(JournalEntry.seq) > after_seq)
    return list(session.exec(stmt.order_by(col(JournalEntry.seq)).limit(limit)))


@dataclass
class TrialBalanceLine:
    code: str
    name: str
    currency: str
    debits: Decimal
    credits: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debits - self.credits


def trial_balance(
    session: Session, cooperative_id: uuid.UUID, as_of: date, currency: str | None
) -> list[TrialBalanceLine]:
    """Debits and credits of every account with movement up to ``as_of`` (business date)."""
    debit = func.coalesce(func.sum(Posting.amount).filter(col(Posting.amount) > 0), 0)
    credit = func.coalesce(-func.sum(Posting.amount).filter(col(Posting.amount) < 0), 0)
    stmt = (
        sa_select(col(GlAccount.code), col(GlAccount.name), col(GlAccount.currency), debit, credit)
        .join(
            Posting,
            (col(Posting.cooperative_id) == col(GlAccount.cooperative_id))
            & (col(Posting.gl_account_id) == col(GlAccount.id)),
        )
        .where(col(GlAccount.cooperative_id) == cooperative_id, col(Posting.business_date) <= as_of)
        .group_by(
            col(GlAccount.id), col(GlAccount.code), col(GlAccount.name), col(GlAccount.currency)
        )
        .order_by(col(GlAccount.currency), col(GlAccount.code))
    )
    if currency:
        stmt = stmt.where(col(GlAccount.currency) == currency)
    return [
        TrialBalanceLine(code, name, cur, Decimal(d), Decimal(c))
        for code, name, cur, d, c in session.execute(stmt)
    ]


def statement(
    session: Session,
    cooperative_id: uuid.UUID,
    account_kind: str,
    account_id: uuid.UUID,
    normal_side: str,
    *,
    after_id: int | None,
    limit: int,
    span: DateRange = DateRange(),
) -> list[tuple[Posting, JournalEntry, Decimal]]:
    """Postings of one member account in booking order (or newest first), within the
    range's business dates, with the holder-side amount. The cursor is the last line's id
    (the account's index reads from it, either way)."""
    stmt = (
        select(Posting, JournalEntry)
        .join(
            JournalEntry,
            (col(JournalEntry.cooperative_id) == col(Posting.cooperative_id))
            & (col(JournalEntry.id) == col(Posting.entry_id)),
        )
        .where(
            Posting.cooperative_id == cooperative_id,
            Posting.account_id == account_id,
            Posting.account_kind == account_kind,
        )
    )
    newest = span.order is StatementOrder.newest
    if after_id is not None:
        stmt = stmt.where(col(Posting.id) < after_id if newest else col(Posting.id) > after_id)
    if span.since is not None:
        stmt = stmt.where(col(Posting.business_date) >= span.since)
    if span.until is not None:
        stmt = stmt.where(col(Posting.business_date) <= span.until)
    order = col(Posting.id).desc() if newest else col(Posting.id)
    rows = session.exec(stmt.order_by(order).limit(limit)).all()
    return [(p, e, holder_amount(normal_side, p.amount)) for p, e in rows]


def opening_balance(session: Session, account: MemberAccount, since: date | None) -> Decimal:
    """The account's balance at the start of ``since`` (the holder's side), for a statement
    over a range: its balance now less what was posted from that day on (a day's entries
    may be booked after the next day's, so no line's running balance is it). Without
    ``since``, the statement starts with the account: 0."""
    if since is None:
        return Decimal("0.00")
    moved = session.execute(
        sa_select(func.coalesce(func.sum(Posting.amount), 0)).where(
            col(Posting.cooperative_id) == account.cooperative_id,
            col(Posting.account_id) == account.id,
            col(Posting.account_kind) == account.ACCOUNT_KIND,
            col(Posting.business_date) >= since,
        )
    ).scalar_one()
    return account.balance - holder_amount(account.NORMAL_SIDE, Decimal(moved))


def statement_page(
    session: Session, account: MemberAccount, cursor: str | None, limit: int, span: DateRange
) -> StatementPage:
    """A page of the account's statement (a cursor is a line's id), with the balance its
    range starts from."""
    lines = statement_lines(
        session, account, after_id=cursor_key(cursor, int), limit=limit + 1, span=span
    )
    shown = make_page(lines, limit, lambda line: [line.id])
    return StatementPage(
        items=shown.items,
        next_cursor=shown.next_cursor,
        opening_balance=opening_balance(session, account, span.since),
    )


def statement_lines(
    session: Session,
    account: MemberAccount,
    *,
    after_id: int | None,
    limit: int,
    span: DateRange = DateRange(),
) -> list[StatementLine]:
    """A member account's statement lines."""
    rows = statement(
        session,
        account.cooperative_id,
        account.ACCOUNT_KIND,
        account.id,
        account.NORMAL_SIDE,
        after_id=after_id,
        limit=limit,
        span=span,
    )
    return [
        StatementLine(
            id=p.id or 0,
            booked_at=e.created_at,
            value_date=p.value_date,
            kind=e.kind,
            amount=amount,
            balance_after=p.balance_after if p.balance_after is not None else Decimal(0),
            description=e.description,
            journal_entry_id=e.id,
        )
        for p, e, amount in rows
    ]


def reversals_of(
    session: Session, cooperative_id: uuid.UUID, entry_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """Map each reversed entry among ``entry_ids`` to the entry that reversed it."""
    if not entry_ids:
        return {}
    rows = session.exec(
        select(JournalEntry.reversal_of, JournalEntry.id).where(
            JournalEntry.cooperative_id == cooperative_id,
            col(JournalEntry.reversal_of).in_(entry_ids),
        )
    )
    return {orig: rev for orig, rev in rows if orig is not None}
