"""Posting a balanced entry: the one way money moves and member balances change."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from coopac_core import database_rules as rules
from coopac_core.channels import origin_of, origin_var
from coopac_core.errors import AmountInvalid
from coopac_core.ledger.accounts import M, MemberAccount, control_accounts, holder_amount
from coopac_core.ledger.errors import (
    AlreadyReversed,
    ControlAccount,
    CurrencyMismatch,
    EntryUnbalanced,
    GlAccountNotPostable,
)
from coopac_core.ledger.models import AccountPart, GlAccount, JournalEntry, Posting
from coopac_core.ledger.periods import check_open
from coopac_core.ledger.schemas import Movement
from coopac_core.money import CENT
from coopac_core.observability import request_id_var
from coopac_core.security.principal import CoopContext


@dataclass
class Leg:
    gl_account: GlAccount
    amount: Decimal  # positive: debit; negative: credit
    member_account: MemberAccount | None = None  # locked by the caller
    # a balance the member account keeps beside its own, on this line's account: the line
    # moves that part, not the balance
    part: AccountPart | None = None


@dataclass(frozen=True)
class Counterpart:
    """The other side of a member's movement in a product (a loan paid out or repaid, share
    capital refunded, a term deposit cancelled): its leg, the till session whose cash it
    is, the branch, and what its own product does once the entry is posted (``after``: a
    savings account moved). Products ask for one (``OtherSide``); flows make it."""

    leg: Leg
    till_session_id: uuid.UUID | None = None
    branch_id: uuid.UUID | None = None
    after: Callable[[Session, date], None] | None = None

    def posted(self, session: Session, day: date) -> None:
        if self.after is not None:
            self.after(session, day)


# The other side for an amount (as its leg posts it: positive takes money from it,
# negative pays into it), in a currency, of a member.
OtherSide = Callable[[Decimal, str, uuid.UUID], Counterpart]


def lock_member_accounts(
    session: Session, model: type[M], cooperative_id: uuid.UUID, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, M]:
    """Lock member accounts of one kind for this transaction, always in id order so that
    two transfers between the same accounts cannot deadlock."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.exec(
        select(model)
        .where(model.cooperative_id == cooperative_id, col(model.id).in_(wanted))  # type: ignore[attr-defined]
        .order_by(model.id)  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {row.id: row for row in rows}  # type: ignore[attr-defined]


def check_legs(legs: Sequence[Leg]) -> None:
    """Refuse an entry that would not balance per currency, or that touches an account it
    may not (a header account, a control account without its member account)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for leg in legs:
        gl = leg.gl_account
        if leg.amount == 0 or leg.amount != leg.amount.quantize(CENT):
            raise AmountInvalid(reason="importe de asiento")
        if not gl.allows_posting:
            raise GlAccountNotPostable(code=gl.code)
        acct = leg.member_account
        if leg.part is not None:
            if acct is None or leg.part.holder != acct.ACCOUNT_KIND or gl.control_kind:
                raise ControlAccount(code=gl.code)
        elif gl.control_kind is not None:
            if (
                acct is None
                or gl.control_kind != acct.ACCOUNT_KIND
                or gl.id not in control_accounts(acct)
            ):
                raise ControlAccount(code=gl.code)
        elif acct is not None:
            raise ControlAccount(code=gl.code)
        if acct is not None and acct.currency != gl.currency:
            raise CurrencyMismatch(reason=f"la cuenta es en {acct.currency}, no en {gl.currency}")
        totals[gl.currency] += leg.amount
    unbalanced = [cur for cur, total in totals.items() if total != 0]
    if unbalanced:
        raise EntryUnbalanced(currencies=", ".join(unbalanced))


def _kind(leg: Leg) -> str | None:
    """What a line names: the member account's kind, or the part of it the line moves."""
    if leg.part is not None:
        return leg.part.value
    return leg.member_account.ACCOUNT_KIND if leg.member_account is not None else None


POST = text(
    "SELECT entry_id, business_date, created_at, seq, posting_ids FROM coopac_post(:c, :k, "
    ":b, :d, CAST(:actor AS jsonb), CAST(:policy AS jsonb), CAST(:gls AS uuid[]), "
    "CAST(:curs AS text[]), CAST(:amounts AS numeric[]), CAST(:kinds AS text[]), "
    "CAST(:accts AS uuid[]), CAST(:afters AS numeric[]), :day, :reversal_of)"
)


def post_entry(
    session: Session,
    ctx: CoopContext,
    kind: str,
    legs: Sequence[Leg],
    *,
    branch_id: uuid.UUID | None = None,
    description: str | None = None,
    reversal_of: uuid.UUID | None = None,
    business_date: date | None = None,
    till_session_id: uuid.UUID | None = None,
) -> tuple[JournalEntry, list[Posting]]:
    """Post one balanced entry and move the member balances it touches, atomically.

    Member accounts in ``legs`` must already be locked by the caller, which has checked
    its own rules against the locked balances. ``business_date``: close of business books
    the day it closes, which is before the cooperative's date (already moved on); anything
    else is booked on the cooperative's business date.

    The posting itself is the database function ``coopac_post`` (sql/functions/), the one the
    one-call deposit, transfer and share payment post through: the cooperative active,
    the caller's limits, the entry and its lines in one round trip. ``till_session_id``:
    the till session whose cash the entry moves; a counter operation's receipt is issued
    with it.
    """
    check_legs(legs)
    cooperative_id = ctx.cooperative_id
    if business_date is not None:  # the business date itself is never in a closed month
        check_open(session, cooperative_id, business_date)
    # The balance each line leaves, line after line: an entry may touch one account twice
    # (a loan moving between its own GL accounts).
    afters: list[Decimal | None] = []
    running: dict[int, Decimal] = {}
    for leg in legs:
        acct = leg.member_account
        if acct is None or leg.part is not None:
            afters.append(None)
            continue
        after = running.get(id(acct), acct.balance) + holder_amount(acct.NORMAL_SIDE, leg.amount)
        if after < 0:
            raise acct.NEGATIVE_BALANCE_ERROR("El movimiento dejaría la cuenta en negativo")
        running[id(acct)] = after
        afters.append(after)
    session.flush()  # the caller's own changes go first, in the same transaction
    try:
        row = session.execute(
            POST,
            {
                "c": cooperative_id,
                "k": kind,
                "b": branch_id,
                "d": description,
                "actor": rules.actor_json(ctx, till_session_id),
                "policy": rules.policy_json(),
                "gls": [leg.gl_account.id for leg in legs],
                "curs": [leg.gl_account.currency for leg in legs],
                "amounts": [leg.amount for leg in legs],
                "kinds": [_kind(leg) for leg in legs],
                "accts": [leg.member_account.id if leg.member_account else None for leg in legs],
                "afters": afters,
                "day": business_date,
                "reversal_of": reversal_of,
            },
        ).one()
    except DBAPIError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if constraint == "uq_journal_entry_reversal_of":
            raise AlreadyReversed() from None
        if constraint == "till_cash_not_negative":
            # a path that did not ask coopac_counter_cash first: the till's CHECK holds
            raise rules.refusal(
                "till_cash_insufficient",
                json.dumps({"detail": "La caja no tiene efectivo suficiente para este movimiento"}),
            ) from None
        refusal = rules.refusal_of(exc)
        if refusal is None:
            raise
        raise refusal from None
    actor = ctx.principal
    origin = origin_of(ctx)
    # The rows as written, for the caller's answer: not added to the session (they are in
    # the database already, and append-only).
    entry = JournalEntry(
        cooperative_id=cooperative_id,
        id=row.entry_id,
        seq=row.seq,
        kind=kind,
        branch_id=branch_id,
        business_date=row.business_date,
        value_date=row.business_date,
        description=description,
        actor_user_id=actor.person_id,
        actor_api_key_id=actor.api_key_id,
        actor_name=actor.name,
        request_id=request_id_var.get(),
        reversal_of=reversal_of,
        created_at=row.created_at,
        channel=origin["channel"],
        till_session_id=till_session_id,
        recorded_at=origin_var.get().recorded_at,
        device_id=origin["device_id"],
    )
    postings: list[Posting] = []
    parts_moved: dict[int, Any] = {}
    for leg, balance_after, posting_id in zip(legs, afters, row.posting_ids, strict=True):
        acct = leg.member_account
        if acct is not None:
            # The trigger moved the balance (the service's role may not write it); the
            # row is locked, so this is what it made it.
            if leg.part is None:
                set_committed_value(acct, "balance", balance_after)
            if getattr(acct, "KEPT_BY_POSTINGS", ()):
                parts_moved[id(acct)] = acct
        postings.append(
            Posting(
                cooperative_id=cooperative_id,
                id=posting_id,
                entry_id=row.entry_id,
                gl_account_id=leg.gl_account.id,
                currency=leg.gl_account.currency,
                amount=leg.amount,
                account_kind=_kind(leg),
                account_id=acct.id if acct is not None else None,
                balance_after=balance_after,
                business_date=row.business_date,
                value_date=row.business_date,
            )
        )
    # the parts the trigger keeps besides the balance (a loan's vencidos, judicial, interest
    # in suspense, provisions): read back once per account
    for acct in parts_moved.values():
        session.refresh(acct, attribute_names=list(acct.KEPT_BY_POSTINGS))
    return entry, postings


def _set_entry(
    session: Session,
    ctx: CoopContext,
    kind: str,
    business_date: date,
    description: str,
    entry_id: uuid.UUID | None = None,
    year_close: bool = False,
) -> JournalEntry:
    """The entry of a set-based posting, written before its lines name it."""
    if not year_close:
        check_open(session, ctx.cooperative_id, business_date)
    origin = origin_of(ctx)  # where it came in, as coopac_post records it for the others
    entry = JournalEntry(
        cooperative_id=ctx.cooperative_id,
        id=entry_id or uuid.uuid4(),
        kind=kind,
        business_date=business_date,
        value_date=business_date,
        description=description,
        actor_user_id=ctx.principal.person_id,
        actor_api_key_id=ctx.principal.api_key_id,
        actor_name=ctx.principal.name,
        request_id=request_id_var.get(),
        channel=origin["channel"],
        recorded_at=origin_var.get().recorded_at,
        device_id=origin["device_id"],
    )
    session.add(entry)
    session.flush()
    return entry


def post_bulk_entry(
    session: Session,
    ctx: CoopContext,
    kind: str,
    *,
    business_date: date,
    description: str,
    counterpart: GlAccount,
    member_lines: str,
    params: dict[str, Any],
    entry_id: uuid.UUID | None = None,
) -> JournalEntry:
    """One entry with a line per member account, for work done over many accounts at once
    (a month's interest), and one line on ``counterpart`` that balances them.

    ``member_lines`` is a query, run inside the INSERT, that yields ``gl_account_id,
    currency, amount, account_kind, account_id, balance_after`` for accounts the caller has
    locked and checked; it must yield at least one line. ``entry_id``: when the caller's
    own rows name the entry before it exists. The posting trigger moves their
    balances, as for every entry. Set-based: no row passes through Python."""
    entry = _set_entry(session, ctx, kind, business_date, description, entry_id)
    session.execute(
        text(
            f"WITH lines AS ({member_lines}) "
            "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
            "account_kind, account_id, balance_after, business_date, value_date) "
            "SELECT :bulk_c, :bulk_e, gl_account_id, currency, amount, account_kind, account_id, "
            "balance_after, :bulk_d, :bulk_d FROM lines "
            "UNION ALL "
            "SELECT :bulk_c, :bulk_e, :bulk_gl, :bulk_cur, -sum(amount), NULL, NULL, NULL, "
            ":bulk_d, :bulk_d FROM lines HAVING count(*) > 0"
        ),
        {
            **params,
            "bulk_c": ctx.cooperative_id,
            "bulk_e": entry.id,
            "bulk_d": business_date,
            "bulk_gl": counterpart.id,
            "bulk_cur": counterpart.currency,
        },
    )
    return entry


@dataclass(frozen=True)
class Line:
    """A line for ``post_lines``: a member line names its account, already locked and
    checked by the caller, and the balance it leaves."""

    gl_account_id: uuid.UUID
    currency: str
    amount: Decimal
    account_kind: str | None = None
    account_id: uuid.UUID | None = None
    balance_after: Decimal | None = None


def post_lines(
    session: Session,
    ctx: CoopContext,
    kind: str,
    lines: Sequence[Line],
    *,
    business_date: date,
    description: str,
    year_close: bool = False,
) -> JournalEntry | None:
    """One entry from many lines computed by a set-based step (close of business moving
    loans between accounts), in one INSERT: the posting triggers check that it balances and
    move the member balances, as for every entry. Nothing to post: no entry.
    ``year_close``: the year's closing entry, the one a closed December takes (dated its
    31st; the database allows that kind of entry only)."""
    lines = [line for line in lines if line.amount != 0]
    if not lines:
        return None
    entry = _set_entry(session, ctx, kind, business_date, description, year_close=year_close)
    session.execute(
        text(
            "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
            "account_kind, account_id, balance_after, business_date, value_date) "
            "SELECT :c, :e, l.gl, l.cur, l.amount, l.kind, l.acct, l.after, :d, :d "
            "FROM unnest(CAST(:gls AS uuid[]), CAST(:curs AS text[]), "
            "CAST(:amounts AS numeric[]), CAST(:kinds AS text[]), CAST(:accts AS uuid[]), "
            "CAST(:afters AS numeric[])) AS l(gl, cur, amount, kind, acct, after)"
        ),
        {
            "c": ctx.cooperative_id,
            "e": entry.id,
            "d": business_date,
            "gls": [line.gl_account_id for line in lines],
            "curs": [line.currency for line in lines],
            "amounts": [line.amount for line in lines],
            "kinds": [line.account_kind for line in lines],
            "accts": [line.account_id for line in lines],
            "afters": [line.balance_after for line in lines],
        },
    )
    return entry


def movement(
    account: MemberAccount,
    entry: JournalEntry,
    posting: Posting,
    amount: Decimal,
    available: Decimal,
) -> Movement:
    """The answer to a money POST on a member account."""
    return Movement(
        id=posting.id or 0,
        journal_entry_id=entry.id,
        account_id=account.id,
        kind=entry.kind,
        amount=amount,
        currency=account.currency,
        balance=account.balance,
        available_balance=available,
        value_date=entry.value_date,
        booked_at=entry.created_at,
        description=entry.description,
    )
