"""The rate board and the exchange operations it prices.

An operation balances per currency through the exchange position account (one per
currency): the dollars go in or out of the till against the USD position, and the soles
against the PEN position valued at the board's mid rate; the spread between the rate
applied (buy or sell) and the mid rate is income. DOMAIN.md is silent on the accounts
(ledger.chart names them) and on whether the spread is recognised at the mid rate; the
prudent reading is that the cooperative earns only the spread, never a revaluation, on the
day it deals.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.exchange.errors import ExchangeAccountInvalid, ExchangeRateMissing
from coopac_core.exchange.models import ExchangeRate
from coopac_core.exchange.schemas import ExchangeCreate, ExchangeKind, ExchangeOut, RateCreate
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind
from coopac_core.members.service import get_member
from coopac_core.money import check_amount, round_cents
from coopac_core.savings.service import (
    after_credit,
    check_can_credit,
    get_product,
    lock_savings_account,
)
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.models import CounterPurpose
from coopac_core.tellers.service import counter_account, counter_cash, receipt_number_of


def publish(session: Session, ctx: CoopContext, data: RateCreate) -> ExchangeRate:
    """Publish the board for the business date; the latest publication of a day is its
    board (an earlier one stays, for the operations that used it)."""
    coop = get_cooperative(session, ctx.cooperative_id)
    rate = ExchangeRate(
        cooperative_id=ctx.cooperative_id,
        business_date=coop.business_date,
        buy=data.buy,
        sell=data.sell,
        published_by=ctx.principal.name,
        published_by_id=ctx.principal.person_id,
    )
    session.add(rate)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "exchange_rate.publish",
        "exchange_rate",
        rate.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    return rate


def current(session: Session, cooperative_id: uuid.UUID) -> ExchangeRate:
    """Today's board: the latest publication of the business date."""
    coop = get_cooperative(session, cooperative_id)
    rate = session.exec(
        select(ExchangeRate)
        .where(
            ExchangeRate.cooperative_id == cooperative_id,
            ExchangeRate.business_date == coop.business_date,
        )
        .order_by(col(ExchangeRate.published_at).desc(), col(ExchangeRate.id).desc())
        .limit(1)
    ).first()
    if rate is None:
        raise ExchangeRateMissing(business_date=coop.business_date.isoformat())
    return rate


def list_rates(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[ExchangeRate]:
    """Newest first."""
    stmt = select(ExchangeRate).where(ExchangeRate.cooperative_id == cooperative_id)
    if before is not None:
        stmt = stmt.where(
            tuple_(col(ExchangeRate.published_at), col(ExchangeRate.id))
            < tuple_(before[0], before[1])
        )
    stmt = stmt.order_by(col(ExchangeRate.published_at).desc(), col(ExchangeRate.id).desc())
    return list(session.exec(stmt.limit(limit)))


def exchange(session: Session, ctx: CoopContext, data: ExchangeCreate) -> ExchangeOut:
    """A member's dollars bought or sold at the caller's till, or deposited into their
    soles account, at today's board."""
    usd = check_amount(data.amount_usd)
    get_member(session, ctx.cooperative_id, data.member_id)
    rate = current(session, ctx.cooperative_id)
    mid = (rate.buy + rate.sell) / 2
    at_mid = round_cents(usd * mid)
    coop_id = ctx.cooperative_id
    position_usd = counter_account(session, coop_id, CounterPurpose.exchange_position, "USD")
    position_pen = counter_account(session, coop_id, CounterPurpose.exchange_position, "PEN")
    income = counter_account(session, coop_id, CounterPurpose.exchange_income, "PEN")
    account = None
    if data.kind == ExchangeKind.buy_usd:
        applied = rate.sell
        pen = round_cents(usd * applied)
        spread = pen - at_mid
        pen_cash = counter_cash(session, ctx, None, "PEN", pen)
        usd_cash = counter_cash(session, ctx, None, "USD", -usd)
        legs = [
            ledger.Leg(pen_cash.gl_account, pen),
            ledger.Leg(position_pen, -at_mid),
            ledger.Leg(position_usd, usd),
            ledger.Leg(usd_cash.gl_account, -usd),
        ]
        what = "Venta de dólares al socio"
    else:
        applied = rate.buy
        pen = round_cents(usd * applied)
        spread = at_mid - pen
        usd_cash = counter_cash(session, ctx, None, "USD", usd)
        legs = [
            ledger.Leg(usd_cash.gl_account, usd),
            ledger.Leg(position_usd, -usd),
            ledger.Leg(position_pen, at_mid),
        ]
        if data.kind == ExchangeKind.sell_usd:
            pen_cash = counter_cash(session, ctx, None, "PEN", -pen)
            legs.append(ledger.Leg(pen_cash.gl_account, -pen))
            what = "Compra de dólares al socio"
        else:
            assert data.account_id is not None  # the schema requires it
            account = lock_savings_account(session, coop_id, data.account_id)
            if account.member_id != data.member_id:
                raise ExchangeAccountInvalid(reason="no es del socio")
            if account.currency != "PEN":
                raise ExchangeAccountInvalid(reason="no es en soles")
            product = get_product(session, coop_id, account.product_id)
            check_can_credit(session, account, product)
            savings_gl = ledger.get_gl_account(session, coop_id, account.gl_account_id)
            legs.append(ledger.Leg(savings_gl, -pen, account))
            what = "Depósito de dólares en cuenta en soles"
    if spread:
        legs.append(ledger.Leg(income, -spread))
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.exchange,
        legs,
        branch_id=usd_cash.branch_id,
        description=data.description or f"{what} a {applied:.4f}",
        till_session_id=usd_cash.session_id,
    )
    if account is not None:
        after_credit(session, account, entry.business_date)
    return ExchangeOut(
        journal_entry_id=entry.id,
        kind=data.kind,
        member_id=data.member_id,
        account_id=account.id if account else None,
        amount_usd=usd,
        amount_pen=pen,
        rate=applied,
        rate_id=rate.id,
        spread_income=spread,
        receipt_number=receipt_number_of(session, coop_id, entry.id),
        booked_at=entry.created_at,
    )


ZERO = Decimal("0.00")
