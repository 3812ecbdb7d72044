"""Cash between the vault and a till: the sender records it (in transit), the receiver
confirms the amount."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind
from coopac_core.models_base import utcnow
from coopac_core.money import Currency, check_amount
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import SUPERVISE_TILLS
from coopac_core.tellers.errors import (
    TillCashInsufficient,
    TillCashLimit,
    TillSessionClosed,
    TillTransferAmountMismatch,
    TillTransferInvalid,
    TillTransferNotFound,
    TillTransferNotYours,
    TillTransferReceived,
)
from coopac_core.tellers.models import (
    CounterPurpose,
    Till,
    TillCash,
    TillKind,
    TillTransfer,
    TransferStatus,
)
from coopac_core.tellers.schemas import (
    TillTransferCreate,
    TillTransferOut,
)
from coopac_core.tellers.service.sessions import _business_date, counter_account
from coopac_core.tellers.service.tills import _open_session_of_till, get_till


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
