"""The counter: tills and the vault, a teller's session, cash between them, receipts.

A till's cash is a GL sub-account per currency under its branch's cash account
(11x1.<branch>.<till>); ``till_cash.balance`` is what its postings make it, kept by the
posting trigger (``coopac_post_statement``), whose CHECK never lets it below zero. Every cash
operation posts to the caller's open session's till (``counter_cash``, the database function
``coopac_counter_cash``, which the one-call deposit and share payment run too).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text, tuple_
from sqlmodel import Session, col, select

from coopac_core import database_rules as rules
from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import get_branch
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import code_for
from coopac_core.ledger.models import EntryKind, GlAccount
from coopac_core.ledger.service.verification import PRODUCT_CHECKS
from coopac_core.models_base import utcnow
from coopac_core.money import Currency, check_amount
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import ANY_BRANCH, SUPERVISE_TILLS
from coopac_core.tellers.errors import (
    BranchNotAllowed,
    NotAVault,
    NotYourTillSession,
    ReceiptNotFound,
    TillBusy,
    TillCashInsufficient,
    TillCashLimit,
    TillExists,
    TillIsVault,
    TillNotFound,
    TillSessionAlreadyOpen,
    TillSessionClosed,
    TillSessionNotFound,
    TillTransferAmountMismatch,
    TillTransferInvalid,
    TillTransferNotFound,
    TillTransferNotYours,
    TillTransferReceived,
)
from coopac_core.tellers.models import (
    CounterAccount,
    CounterPurpose,
    Receipt,
    SessionStatus,
    Till,
    TillCash,
    TillKind,
    TillSession,
    TillTransfer,
    TransferStatus,
)
from coopac_core.tellers.schemas import (
    BankMovement,
    BankMovementOut,
    Count,
    CurrencyAmount,
    SessionMovement,
    TillCashOut,
    TillCreate,
    TillOut,
    TillSessionOut,
    TillTransferCreate,
    TillTransferOut,
    TillUpdate,
)
from coopac_core.tellers.setup import open_till_cash

BANK_GL = "11{c}3"
ZERO = Decimal("0.00")

# --- the counter's cash, for every cash operation ----------------------------------------

COUNTER_CASH = text(
    "SELECT gl_account_id, branch_id, session_id FROM coopac_counter_cash(:c, :b, :cur, "
    "CAST(:actor AS jsonb), :delta)"
)


@dataclass(frozen=True)
class CounterCash:
    """The till a cash operation moves: its GL sub-account, its branch, the session."""

    gl_account: GlAccount
    branch_id: uuid.UUID
    session_id: uuid.UUID


def counter_cash(
    session: Session,
    ctx: CoopContext,
    branch_id: uuid.UUID | None,
    currency: str,
    delta: Decimal,
) -> CounterCash:
    """The caller's till for a cash operation that moves ``delta`` into it (negative: out).

    Refused without an open session of today (409 till_session_required), at another
    branch than ``branch_id`` if one is named, below zero (till_cash_insufficient) or above
    the till's ceiling (till_cash_limit). The rule is ``coopac_counter_cash`` (migration
    0021), which the one-call deposit and share payment run too. The till's cash row stays
    locked until the transaction ends.
    """
    with rules.refusals():
        row = session.execute(
            COUNTER_CASH,
            {
                "c": ctx.cooperative_id,
                "b": branch_id,
                "cur": currency,
                "actor": rules.actor_json(ctx),
                "delta": delta,
            },
        ).one()
    gl = ledger.get_gl_account(session, ctx.cooperative_id, row.gl_account_id)
    return CounterCash(gl, row.branch_id, row.session_id)


SESSION_CASH = text(
    "SELECT gl_account_id, branch_id, session_id FROM coopac_session_cash(:c, :s, :cur, :delta)"
)


def session_cash(
    session: Session, ctx: CoopContext, session_id: uuid.UUID, currency: str, delta: Decimal
) -> CounterCash:
    """The cash of a given till session (a supervisor pays a withdrawal another asked at
    it), by the session's rules (``coopac_session_cash``, sql/functions/): open, of today,
    never below zero or above the ceiling; its row locked."""
    with rules.refusals():
        row = session.execute(
            SESSION_CASH,
            {"c": ctx.cooperative_id, "s": session_id, "cur": currency, "delta": delta},
        ).one()
    gl = ledger.get_gl_account(session, ctx.cooperative_id, row.gl_account_id)
    return CounterCash(gl, row.branch_id, row.session_id)


def receipt_number_of(
    session: Session, cooperative_id: uuid.UUID, entry_id: uuid.UUID
) -> str | None:
    number: str | None = session.exec(
        select(Receipt.number).where(
            Receipt.cooperative_id == cooperative_id, Receipt.journal_entry_id == entry_id
        )
    ).first()
    return number


# --- tills and the vault -----------------------------------------------------------------


def create_till(
    session: Session, ctx: CoopContext, branch_id: uuid.UUID, data: TillCreate
) -> TillOut:
    branch = get_branch(session, ctx.cooperative_id, branch_id)
    till = Till(
        cooperative_id=ctx.cooperative_id, branch_id=branch.id, code=data.code, name=data.name
    )
    session.add(till)
    flush_or_conflict(session, TillExists(code=data.code))
    open_till_cash(session, branch, till, data.cash_limits)
    audit_service.record(
        session,
        ctx.principal,
        "till.create",
        "till",
        till.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    return till_out(session, till)


def get_till(session: Session, cooperative_id: uuid.UUID, till_id: uuid.UUID) -> Till:
    till = session.get(Till, (cooperative_id, till_id))
    if till is None:
        raise TillNotFound()
    return till


def update_till(
    session: Session, ctx: CoopContext, till_id: uuid.UUID, data: TillUpdate
) -> TillOut:
    till = get_till(session, ctx.cooperative_id, till_id)
    if data.name is not None:
        till.name = data.name
    if data.cash_limits is not None:
        ceilings = {limit.currency.value: limit.amount for limit in data.cash_limits}
        for cash in _cash_rows(session, till, lock=True):
            if cash.currency in ceilings:
                cash.ceiling = ceilings[cash.currency] or None
                session.add(cash)
    session.add(till)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "till.update",
        "till",
        till.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json", exclude_none=True),
    )
    return till_out(session, till)


def _cash_rows(session: Session, till: Till, *, lock: bool = False) -> list[TillCash]:
    stmt = (
        select(TillCash)
        .where(TillCash.cooperative_id == till.cooperative_id, TillCash.till_id == till.id)
        .order_by(col(TillCash.currency))
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update()
    return list(session.exec(stmt))


def _open_session_of_till(session: Session, till: Till) -> TillSession | None:
    return session.exec(
        select(TillSession).where(
            TillSession.cooperative_id == till.cooperative_id,
            TillSession.till_id == till.id,
            TillSession.status == SessionStatus.open,
        )
    ).first()


def till_out(session: Session, till: Till) -> TillOut:
    codes = {
        g.id: g.code
        for g in session.exec(
            select(GlAccount).where(
                GlAccount.cooperative_id == till.cooperative_id,
                col(GlAccount.id).in_([c.gl_account_id for c in _cash_rows(session, till)]),
            )
        )
    }
    open_session = _open_session_of_till(session, till)
    return TillOut(
        id=till.id,
        branch_id=till.branch_id,
        code=till.code,
        name=till.name,
        kind=TillKind(till.kind),
        cash=[
            TillCashOut(
                currency=Currency(c.currency),
                balance=c.balance,
                cash_limit=c.ceiling,
                gl_account_code=codes[c.gl_account_id],
            )
            for c in _cash_rows(session, till)
        ],
        open_session_id=open_session.id if open_session else None,
    )


def list_tills(
    session: Session,
    cooperative_id: uuid.UUID,
    branch_id: uuid.UUID,
    *,
    after_code: str | None,
    limit: int,
) -> list[TillOut]:
    """The vault first (its code sorts as any other), then the tills by code."""
    get_branch(session, cooperative_id, branch_id)
    stmt = select(Till).where(Till.cooperative_id == cooperative_id, Till.branch_id == branch_id)
    if after_code is not None:
        stmt = stmt.where(col(Till.code) > after_code)
    tills = session.exec(stmt.order_by(col(Till.code)).limit(limit))
    return [till_out(session, t) for t in tills]


# --- sessions ----------------------------------------------------------------------------


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


# --- cash between the vault and a till ---------------------------------------------------


def _side_session(session: Session, ctx: CoopContext, till: Till, side: str) -> uuid.UUID | None:
    """Who may act for ``till`` in a transfer: its open session's teller for a till (the
    session's id), a supervisor for the vault (None)."""
    if till.kind == TillKind.vault:
        if not ctx.roles & SUPERVISE_TILLS:
            raise TillTransferNotYours(reason=f"La bóveda la {side} un supervisor")
        return None
    open_row = _open_session_of_till(session, till)
    if open_row is None or open_row.teller_id != ctx.principal.person_id:
        raise TillTransferNotYours(
            reason=f"La caja {till.code} la {side} quien tiene abierta su sesión"
        )
    if open_row.business_date != _business_date(session, ctx.cooperative_id):
        raise TillSessionClosed("La sesión de caja es de un día ya cerrado: ciérrela")
    return open_row.id


def _locked_cash(session: Session, till: Till, currency: str) -> TillCash:
    cash = session.exec(
        select(TillCash)
        .where(
            TillCash.cooperative_id == till.cooperative_id,
            TillCash.till_id == till.id,
            TillCash.currency == currency,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return cash


def send_transfer(session: Session, ctx: CoopContext, data: TillTransferCreate) -> TillTransferOut:
    """The sender records cash leaving their till (or the vault): it is in transit until
    the receiver confirms it."""
    amount = check_amount(data.amount)
    source = get_till(session, ctx.cooperative_id, data.from_till_id)
    target = get_till(session, ctx.cooperative_id, data.to_till_id)
    if source.id == target.id:
        raise TillTransferInvalid(reason="origen y destino son la misma caja")
    if source.branch_id != target.branch_id:
        raise TillTransferInvalid(reason="origen y destino son de agencias distintas")
    if TillKind.vault not in (source.kind, target.kind):
        raise TillTransferInvalid(reason="el efectivo va de la bóveda a una caja o al revés")
    session_id = _side_session(session, ctx, source, "envía")
    currency = data.currency.value
    cash = _locked_cash(session, source, currency)
    if cash.balance < amount:
        raise TillCashInsufficient(available=f"{cash.balance:.2f}", currency=currency)
    transit = counter_account(session, ctx.cooperative_id, CounterPurpose.cash_in_transit, currency)
    source_gl = ledger.get_gl_account(session, ctx.cooperative_id, cash.gl_account_id)
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.cash_transfer,
        [ledger.Leg(transit, amount), ledger.Leg(source_gl, -amount)],
        branch_id=source.branch_id,
        description=f"Traslado de efectivo {source.code} a {target.code}",
        till_session_id=session_id,
    )
    row = TillTransfer(
        cooperative_id=ctx.cooperative_id,
        branch_id=source.branch_id,
        from_till_id=source.id,
        to_till_id=target.id,
        currency=currency,
        amount=amount,
        sent_by_id=ctx.principal.person_id,
        sent_by_name=ctx.principal.name,
        send_entry_id=entry.id,
    )
    session.add(row)
    session.flush()
    return transfer_out(row)


def receive_transfer(
    session: Session, ctx: CoopContext, transfer_id: uuid.UUID, amount: Decimal
) -> TillTransferOut:
    """The receiver confirms the amount sent: the cash enters their till (or the vault)."""
    row = session.exec(
        select(TillTransfer)
        .where(TillTransfer.cooperative_id == ctx.cooperative_id, TillTransfer.id == transfer_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise TillTransferNotFound()
    if row.status == TransferStatus.received:
        raise TillTransferReceived()
    if row.sent_by_id == ctx.principal.person_id:
        raise TillTransferNotYours(
            reason="Quien envía el efectivo no lo recibe: lo confirma otra persona"
        )
    target = get_till(session, ctx.cooperative_id, row.to_till_id)
    session_id = _side_session(session, ctx, target, "recibe")
    if amount != row.amount:
        raise TillTransferAmountMismatch(received=f"{amount:.2f}", sent=f"{row.amount:.2f}")
    cash = _locked_cash(session, target, row.currency)
    if cash.ceiling is not None and cash.balance + amount > cash.ceiling:
        raise TillCashLimit(limit=f"{cash.ceiling:.2f}", currency=row.currency)
    transit = counter_account(
        session, ctx.cooperative_id, CounterPurpose.cash_in_transit, row.currency
    )
    target_gl = ledger.get_gl_account(session, ctx.cooperative_id, cash.gl_account_id)
    source = get_till(session, ctx.cooperative_id, row.from_till_id)
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.cash_transfer,
        [ledger.Leg(target_gl, amount), ledger.Leg(transit, -amount)],
        branch_id=target.branch_id,
        description=f"Recepción de efectivo de {source.code} en {target.code}",
        till_session_id=session_id,
    )
    row.status = TransferStatus.received
    row.received_by_id = ctx.principal.person_id
    row.received_by_name = ctx.principal.name
    row.received_at = utcnow()
    row.receive_entry_id = entry.id
    session.add(row)
    session.flush()
    return transfer_out(row)


def transfer_out(row: TillTransfer) -> TillTransferOut:
    return TillTransferOut(
        id=row.id,
        branch_id=row.branch_id,
        from_till_id=row.from_till_id,
        to_till_id=row.to_till_id,
        currency=Currency(row.currency),
        amount=row.amount,
        status=TransferStatus(row.status),
        sent_by=row.sent_by_name,
        sent_at=row.sent_at,
        send_journal_entry_id=row.send_entry_id,
        received_by=row.received_by_name,
        received_at=row.received_at,
        receive_journal_entry_id=row.receive_entry_id,
    )


def get_transfer(
    session: Session, cooperative_id: uuid.UUID, transfer_id: uuid.UUID
) -> TillTransfer:
    row = session.get(TillTransfer, (cooperative_id, transfer_id))
    if row is None:
        raise TillTransferNotFound()
    return row


def list_transfers(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    status: TransferStatus | None,
    branch_id: uuid.UUID | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[TillTransfer]:
    stmt = select(TillTransfer).where(TillTransfer.cooperative_id == cooperative_id)
    if status is not None:
        stmt = stmt.where(TillTransfer.status == status)
    if branch_id is not None:
        stmt = stmt.where(TillTransfer.branch_id == branch_id)
    if after is not None:
        stmt = stmt.where(
            tuple_(col(TillTransfer.sent_at), col(TillTransfer.id)) > tuple_(after[0], after[1])
        )
    stmt = stmt.order_by(col(TillTransfer.sent_at), col(TillTransfer.id))
    return list(session.exec(stmt.limit(limit)))


# --- the vault and the banks -------------------------------------------------------------


def bank_movement(
    session: Session,
    ctx: CoopContext,
    vault_id: uuid.UUID,
    data: BankMovement,
    *,
    into_bank: bool,
) -> BankMovementOut:
    """Cash the vault takes to a bank (a deposit) or brings from one (a withdrawal): an
    entry against the bank's GL account."""
    amount = check_amount(data.amount)
    vault = get_till(session, ctx.cooperative_id, vault_id)
    if vault.kind != TillKind.vault:
        raise NotAVault()
    currency = data.currency
    code = data.bank_account or code_for(BANK_GL, currency)
    bank = ledger.gl_account_by_code(session, ctx.cooperative_id, code)
    if bank.currency != currency.value:
        raise TillTransferInvalid(reason=f"la cuenta {code} no es en {currency.value}")
    if bank.branch_id is not None or bank.control_kind is not None or not code.startswith("11"):
        raise TillTransferInvalid(reason=f"la cuenta {code} no es una cuenta de bancos")
    cash = _locked_cash(session, vault, currency.value)
    if into_bank and cash.balance < amount:
        raise TillCashInsufficient(available=f"{cash.balance:.2f}", currency=currency.value)
    vault_gl = ledger.get_gl_account(session, ctx.cooperative_id, cash.gl_account_id)
    sign = Decimal(1) if into_bank else Decimal(-1)
    what = "Depósito en banco" if into_bank else "Retiro de banco"
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.bank_deposit if into_bank else EntryKind.bank_withdrawal,
        [ledger.Leg(bank, sign * amount), ledger.Leg(vault_gl, -sign * amount)],
        branch_id=vault.branch_id,
        description=f"{what}: {data.reference}" if data.reference else what,
    )
    after = _locked_cash(session, vault, currency.value)
    return BankMovementOut(
        journal_entry_id=entry.id,
        till_id=vault.id,
        currency=currency,
        amount=amount,
        vault_balance=after.balance,
        bank_account=code,
    )


def get_receipt(session: Session, cooperative_id: uuid.UUID, number: str) -> Receipt:
    row = session.get(Receipt, (cooperative_id, number))
    if row is None:
        raise ReceiptNotFound()
    return row


# --- proof ------------------------------------------------------------------------------


def check_till_cash(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """Each till's cash (the balance the counter keeps and refuses below zero or above its
    ceiling) equals its GL sub-account's postings; each transfer in transit is in the
    transit account; no receipt number of a series is missing. ``coopac verify-ledger``."""
    problems: list[str] = []
    rows = session.execute(
        text(
            "SELECT t.code, c.currency, c.balance, coalesce((SELECT sum(p.amount) FROM posting p "
            "WHERE p.cooperative_id = c.cooperative_id AND p.gl_account_id = c.gl_account_id), 0) "
            "FROM till_cash c JOIN till t ON t.cooperative_id = c.cooperative_id "
            "AND t.id = c.till_id WHERE c.cooperative_id = :c"
        ),
        {"c": cooperative_id},
    ).all()
    for code, currency, balance, posted in rows:
        if balance != posted:
            problems.append(f"till {code} {currency}: cash {balance} but postings sum {posted}")
    transit = session.execute(
        text(
            "SELECT a.currency, coalesce((SELECT sum(p.amount) FROM posting p "
            "WHERE p.cooperative_id = a.cooperative_id AND p.gl_account_id = a.gl_account_id), 0), "
            "coalesce((SELECT sum(x.amount) FROM till_transfer x WHERE x.cooperative_id = "
            "a.cooperative_id AND x.currency = a.currency AND x.status = 'in_transit'), 0) "
            "FROM counter_account a WHERE a.cooperative_id = :c AND a.purpose = 'cash_in_transit'"
        ),
        {"c": cooperative_id},
    ).all()
    for currency, posted, pending in transit:
        if posted != pending:
            problems.append(f"cash in transit {currency}: books {posted} but transfers {pending}")
    gaps = session.execute(
        text(
            "SELECT r.series, s.last_number, count(*), max(r.sequence) FROM receipt r "
            "JOIN receipt_series s ON s.cooperative_id = r.cooperative_id "
            "AND s.branch_id = r.branch_id AND s.series = r.series "
            "WHERE r.cooperative_id = :c GROUP BY r.branch_id, r.series, s.last_number"
        ),
        {"c": cooperative_id},
    ).all()
    for series, last, issued, highest in gaps:
        if not issued == highest == last:
            problems.append(f"receipt series {series}: {issued} issued, last number {last}")
    return problems


PRODUCT_CHECKS.append(check_till_cash)
