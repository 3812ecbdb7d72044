"""A teller's session at a till: opened with what they count, closed with another count,
the difference booked as over or short; the arqueo."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text, tuple_
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.federation.models import Cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind, GlAccount
from coopac_core.models_base import utcnow
from coopac_core.money import Currency
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import ANY_BRANCH, SUPERVISE_TILLS
from coopac_core.tellers.errors import (
    BranchNotAllowed,
    NotYourTillSession,
    TillBusy,
    TillIsVault,
    TillOverNeedsSupervisor,
    TillSessionAlreadyOpen,
    TillSessionClosed,
    TillSessionNotFound,
)
from coopac_core.tellers.models import (
    CounterAccount,
    CounterPurpose,
    SessionStatus,
    Till,
    TillCash,
    TillKind,
    TillSession,
)
from coopac_core.tellers.schemas import (
    Count,
    CurrencyAmount,
    SessionMovement,
    TillSessionOut,
)
from coopac_core.tellers.service.cash import ZERO
from coopac_core.tellers.service.tills import _cash_rows, _open_session_of_till, get_till


def _business_date(session: Session, cooperative_id: uuid.UUID) -> Any:
    coop = session.get(Cooperative, cooperative_id)
    assert coop is not None
    return coop.business_date


def counter_account(
    session: Session, cooperative_id: uuid.UUID, purpose: str, currency: str
) -> GlAccount:
    row = session.get(CounterAccount, (cooperative_id, purpose, currency))
    assert row is not None, (purpose, currency)  # seeded with the chart (migration 0021)
    return ledger.get_gl_account(session, cooperative_id, row.gl_account_id)


def _book_difference(
    session: Session,
    ctx: CoopContext,
    till: Till,
    cash: TillCash,
    difference: Decimal,
    session_id: uuid.UUID,
    moment: str,
) -> None:
    """A count's difference: an overage raises the till's cash against the overage
    account, a shortage lowers it against the shortage account."""
    till_gl = ledger.get_gl_account(session, ctx.cooperative_id, cash.gl_account_id)
    if difference > 0:
        other = counter_account(
            session, ctx.cooperative_id, CounterPurpose.cash_over, cash.currency
        )
        legs = [ledger.Leg(till_gl, difference), ledger.Leg(other, -difference)]
        what = "Sobrante"
    else:
        other = counter_account(
            session, ctx.cooperative_id, CounterPurpose.cash_short, cash.currency
        )
        legs = [ledger.Leg(other, -difference), ledger.Leg(till_gl, difference)]
        what = "Faltante"
    ledger.post_entry(
        session,
        ctx,
        EntryKind.cash_over_short,
        legs,
        branch_id=till.branch_id,
        description=f"{what} de caja {till.code} al {moment}",
        till_session_id=session_id,
    )


def _differences(
    session: Session,
    ctx: CoopContext,
    till: Till,
    cash_rows: list[TillCash],
    counted: list[Count],
    session_id: uuid.UUID,
    moment: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(expected, differences) per currency, each difference booked. A currency neither
    counted nor held is left out; one held and not counted was counted as zero."""
    by_currency = {c.currency.value: c.amount for c in counted}
    expected: list[dict[str, Any]] = []
    differences: list[dict[str, Any]] = []
    for cash in cash_rows:
        if cash.currency not in by_currency and cash.balance == 0:
            continue
        expected.append({"currency": cash.currency, "amount": f"{cash.balance:.2f}"})
        difference = by_currency.get(cash.currency, ZERO) - cash.balance
        differences.append({"currency": cash.currency, "amount": f"{difference:.2f}"})
        if difference != 0:
            _book_difference(session, ctx, till, cash, difference, session_id, moment)
    return expected, differences


def _counts_json(counted: list[Count]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json", exclude_none=True) for c in counted]


def open_session(
    session: Session, ctx: CoopContext, till_id: uuid.UUID, counted: list[Count]
) -> TillSessionOut:
    """The calling teller opens a till with what they count in it. A count that differs
    from the till's books is booked as over or short at once, as at a close."""
    till = get_till(session, ctx.cooperative_id, till_id)
    if till.kind == TillKind.vault:
        raise TillIsVault()
    principal = ctx.principal
    person = principal.person_id
    assert person is not None  # a person or a key's owner: every principal in a cooperative
    if not ctx.roles & ANY_BRANCH and principal.branches.get(ctx.cooperative_id) != till.branch_id:
        raise BranchNotAllowed()
    cash_rows = _cash_rows(session, till, lock=True)
    busy = _open_session_of_till(session, till)
    if busy is not None:
        raise TillBusy(teller=busy.teller_name)
    if not ctx.roles & SUPERVISE_TILLS:
        books = {c.currency: c.balance for c in cash_rows}
        for count in counted:
            over = count.amount - books.get(count.currency.value, ZERO)
            if over > 0:
                raise TillOverNeedsSupervisor(amount=f"{over:.2f}", currency=count.currency.value)
    mine = session.exec(
        select(TillSession).where(
            TillSession.cooperative_id == ctx.cooperative_id,
            TillSession.teller_id == person,
            TillSession.status == SessionStatus.open,
        )
    ).first()
    if mine is not None:
        raise TillSessionAlreadyOpen()
    row = TillSession(
        cooperative_id=ctx.cooperative_id,
        till_id=till.id,
        branch_id=till.branch_id,
        teller_id=person,
        teller_name=principal.name,
        business_date=_business_date(session, ctx.cooperative_id),
        opening_count=_counts_json(counted),
        opening_differences=[],
    )
    session.add(row)
    flush_or_conflict(session, TillSessionAlreadyOpen())
    _, differences = _differences(session, ctx, till, cash_rows, counted, row.id, "abrir")
    row.opening_differences = [d for d in differences if Decimal(d["amount"]) != 0]
    session.add(row)
    session.flush()
    audit_service.record(
        session,
        principal,
        "till_session.open",
        "till_session",
        row.id,
        cooperative_id=ctx.cooperative_id,
        details={"till_id": str(till.id), "counted": _counts_json(counted)},
    )
    return session_out(session, row)


def get_session(
    session: Session, cooperative_id: uuid.UUID, session_id: uuid.UUID, *, lock: bool = False
) -> TillSession:
    stmt = select(TillSession).where(
        TillSession.cooperative_id == cooperative_id, TillSession.id == session_id
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = session.exec(stmt).first()
    if row is None:
        raise TillSessionNotFound()
    return row


def close_session(
    session: Session, ctx: CoopContext, session_id: uuid.UUID, counted: list[Count]
) -> TillSessionOut:
    """Close with a count: the differences from the books are booked (over or short) and
    the till then holds what was counted. The teller closes their own; a supervisor closes
    one a teller left open."""
    row = get_session(session, ctx.cooperative_id, session_id, lock=True)
    if row.status == SessionStatus.closed:
        raise TillSessionClosed()
    if ctx.principal.person_id != row.teller_id and not ctx.roles & SUPERVISE_TILLS:
        raise NotYourTillSession()
    till = get_till(session, ctx.cooperative_id, row.till_id)
    cash_rows = _cash_rows(session, till, lock=True)
    expected, differences = _differences(session, ctx, till, cash_rows, counted, row.id, "cerrar")
    row.status = SessionStatus.closed
    row.closed_at = utcnow()
    row.closed_by_id = ctx.principal.person_id
    row.closed_by_name = ctx.principal.name
    row.closing_count = _counts_json(counted)
    row.expected = expected
    row.differences = differences
    session.add(row)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "till_session.close",
        "till_session",
        row.id,
        cooperative_id=ctx.cooperative_id,
        details={"counted": row.closing_count, "differences": differences},
    )
    return session_out(session, row)


MOVEMENTS = text(
    """
SELECT e.id, e.kind, e.description, e.created_at, e.reversal_of, e.recorded_at, e.seq,
    r.number, p.currency, sum(p.amount) AS amount
FROM journal_entry e
JOIN posting p ON p.cooperative_id = e.cooperative_id AND p.entry_id = e.id
JOIN till_cash c ON c.cooperative_id = p.cooperative_id AND c.gl_account_id = p.gl_account_id
    AND c.till_id = :t
LEFT JOIN receipt r ON r.cooperative_id = e.cooperative_id AND r.journal_entry_id = e.id
WHERE e.cooperative_id = :c AND e.till_session_id = :s
GROUP BY e.id, e.kind, e.description, e.created_at, e.reversal_of, e.recorded_at, e.seq,
    r.number, p.currency
ORDER BY e.seq, p.currency
"""
)


def _amounts(rows: list[dict[str, Any]] | None) -> list[CurrencyAmount]:
    return [CurrencyAmount.model_validate(r) for r in rows or []]


def session_out(session: Session, row: TillSession) -> TillSessionOut:
    """A session with its arqueo: every movement of its till's cash, the counts, and what
    the books expect (now, while open; at the close, once closed)."""
    till = get_till(session, row.cooperative_id, row.till_id)
    movements = [
        SessionMovement(
            journal_entry_id=m.id,
            kind=EntryKind(m.kind),
            receipt_number=m.number,
            currency=Currency(m.currency),
            amount=m.amount,
            description=m.description,
            booked_at=m.created_at,
            reversal_of=m.reversal_of,
            offline=m.recorded_at is not None,
        )
        for m in session.execute(
            MOVEMENTS, {"c": row.cooperative_id, "s": row.id, "t": row.till_id}
        )
    ]
    if row.status == SessionStatus.open:
        expected = [
            CurrencyAmount(currency=Currency(c.currency), amount=c.balance)
            for c in _cash_rows(session, till)
            if c.balance != 0
        ]
    else:
        expected = _amounts(row.expected)
    return TillSessionOut(
        id=row.id,
        till_id=row.till_id,
        till_code=till.code,
        branch_id=row.branch_id,
        teller_id=row.teller_id,
        teller_name=row.teller_name,
        status=SessionStatus(row.status),
        business_date=row.business_date,
        opened_at=row.opened_at,
        counted_at_opening=_amounts(row.opening_count),
        opening_differences=_amounts(row.opening_differences),
        closed_at=row.closed_at,
        closed_by=row.closed_by_name,
        counted=_amounts(row.closing_count) if row.status == SessionStatus.closed else None,
        expected=expected,
        differences=_amounts(row.differences) if row.status == SessionStatus.closed else None,
        movements=movements,
    )


def list_sessions(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    status: SessionStatus | None,
    branch_id: uuid.UUID | None,
    business_date: Any,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[TillSession]:
    stmt = select(TillSession).where(TillSession.cooperative_id == cooperative_id)
    if status is not None:
        stmt = stmt.where(TillSession.status == status)
    if branch_id is not None:
        stmt = stmt.where(TillSession.branch_id == branch_id)
    if business_date is not None:
        stmt = stmt.where(TillSession.business_date == business_date)
    if after is not None:
        stmt = stmt.where(
            tuple_(col(TillSession.opened_at), col(TillSession.id)) > tuple_(after[0], after[1])
        )
    stmt = stmt.order_by(col(TillSession.opened_at), col(TillSession.id))
    return list(session.exec(stmt.limit(limit)))


def open_sessions_through(
    session: Session, cooperative_id: uuid.UUID, last_day: Any
) -> list[TillSession]:
    """Sessions still open of a day up to ``last_day``: close of business refuses to
    close those days while they are."""
    return list(
        session.exec(
            select(TillSession)
            .where(
                TillSession.cooperative_id == cooperative_id,
                TillSession.status == SessionStatus.open,
                col(TillSession.business_date) <= last_day,
            )
            .order_by(col(TillSession.opened_at))
        )
    )
