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
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.audit import service as audit_service
from coopac_core.compliance import screening
from coopac_core.compliance.schemas import ScreeningHoldOut
from coopac_core.exchange.errors import (
    ExchangeAccountInvalid,
    ExchangeRateMissing,
    RateRequestDecided,
    RateRequestNotFound,
)
from coopac_core.exchange.models import AccountingRate, ExchangeOperation, ExchangeRate
from coopac_core.exchange.revaluation import rate_on
from coopac_core.exchange.schemas import (
    AccountingRateOut,
    AccountingRateSource,
    ExchangeCreate,
    ExchangeKind,
    ExchangeOut,
    RateCreate,
)
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind
from coopac_core.members.service import get_member
from coopac_core.models_base import utcnow
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

# A board within the band of the reference one (its spread too) is published at once;
# beyond it, another person approves it (the attack published buy 0.0001, sell 99.9999
# alone). The board is the day's: a request not decided the same day is stale.
RATE = ApprovalKind(
    name="exchange_rate",
    subject_kind=None,
    not_found=RateRequestNotFound,
    decided=RateRequestDecided,
    ttl=timedelta(hours=12),
)


def _reference(session: Session, cooperative_id: uuid.UUID) -> ExchangeRate | None:
    """The board a new one is held to: the last of an earlier business day, or, on the first
    day, today's first. Not the latest: boards a few percent apart, one after another,
    would walk the rate anywhere in a day with no second person."""
    day = get_cooperative(session, cooperative_id).business_date
    earlier = session.exec(
        select(ExchangeRate)
        .where(ExchangeRate.cooperative_id == cooperative_id, ExchangeRate.business_date < day)
        .order_by(col(ExchangeRate.published_at).desc(), col(ExchangeRate.id).desc())
        .limit(1)
    ).first()
    if earlier is not None:
        return earlier
    return session.exec(
        select(ExchangeRate)
        .where(ExchangeRate.cooperative_id == cooperative_id)
        .order_by(col(ExchangeRate.published_at), col(ExchangeRate.id))
        .limit(1)
    ).first()


def out_of_band(
    buy: Decimal, sell: Decimal, previous: ExchangeRate | None, band: Decimal
) -> str | None:
    """Why a board needs a second person, or None: a spread wider than the band, or a
    rate that moves more than the band from the reference board's (``_reference``)."""
    if (sell - buy) / ((buy + sell) / 2) > band:
        return f"el diferencial entre compra y venta pasa del {band:.0%}"
    if previous is not None:
        for side, new, old in (("compra", buy, previous.buy), ("venta", sell, previous.sell)):
            if abs(new - old) / old > band:
                return f"la {side} se aparta más del {band:.0%} de la de referencia ({old})"
    return None


def publish(
    session: Session, ctx: CoopContext, data: RateCreate, band: Decimal
) -> ExchangeRate | ApprovalRequest:
    """Publish the board for the business date (the latest publication of a day is its
    board; an earlier one stays, for the operations that used it), or, out of the band,
    ask another person to."""
    reason = out_of_band(data.buy, data.sell, _reference(session, ctx.cooperative_id), band)
    if reason is not None:
        return approvals.ask(
            session,
            ctx,
            RATE,
            subject_id=None,
            payload={"buy": str(data.buy), "sell": str(data.sell), "reason": reason},
        )
    return _publish(session, ctx, data.buy, data.sell)


def _publish(
    session: Session,
    ctx: CoopContext,
    buy: Decimal,
    sell: Decimal,
    asked: ApprovalRequest | None = None,
) -> ExchangeRate:
    coop = get_cooperative(session, ctx.cooperative_id)
    rate = ExchangeRate(
        cooperative_id=ctx.cooperative_id,
        business_date=coop.business_date,
        buy=buy,
        sell=sell,
        published_by=asked.requested_by if asked else ctx.principal.name,
        published_by_id=asked.requested_by_id if asked else ctx.principal.person_id,
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
        details={"buy": str(buy), "sell": str(sell), "request": str(asked.id) if asked else None},
    )
    return rate


def approve_rate(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> ExchangeRate:
    """Another person approves the board asked for: it is published now, as the asker's."""
    row = approvals.decidable(session, ctx, RATE, request_id)
    rate = _publish(session, ctx, Decimal(row.payload["buy"]), Decimal(row.payload["sell"]), row)
    approvals.approve(session, ctx, RATE, row, note)
    return rate


def reject_rate(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> ApprovalRequest:
    return approvals.reject(session, ctx, RATE, request_id, note)


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
    session.add(
        ExchangeOperation(
            cooperative_id=coop_id,
            journal_entry_id=entry.id,
            member_id=data.member_id,
            kind=data.kind.value,
            amount_usd=usd,
            amount_pen=pen,
            rate_id=rate.id,
        )
    )
    session.flush()
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


def set_accounting_rate(session: Session, ctx: CoopContext, rate: Decimal) -> AccountingRateOut:
    """The accounting rate of the business day; set again the same day, the last one
    stands (the day is not closed yet: nothing was revalued at it)."""
    coop_id = ctx.cooperative_id
    day = get_cooperative(session, coop_id).business_date
    row = session.get(AccountingRate, (coop_id, day), with_for_update=True)
    previous = row.rate if row else None
    if row is None:
        row = AccountingRate(
            cooperative_id=coop_id, business_date=day, rate=rate, set_by=ctx.principal.name
        )
    row.rate, row.set_by, row.set_by_id = rate, ctx.principal.name, ctx.principal.person_id
    row.set_at = utcnow()
    session.add(row)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "exchange_rate.accounting",
        "accounting_rate",
        None,
        cooperative_id=coop_id,
        details={
            "business_date": day.isoformat(),
            "rate": str(rate),
            "previous": str(previous) if previous is not None else None,
        },
    )
    return accounting_rate(session, coop_id, day)


def accounting_rate(
    session: Session, cooperative_id: uuid.UUID, day: date | None
) -> AccountingRateOut:
    """The accounting rate in force on ``day`` (the business date by default)."""
    day = day or get_cooperative(session, cooperative_id).business_date
    row = session.exec(
        select(AccountingRate)
        .where(AccountingRate.cooperative_id == cooperative_id, AccountingRate.business_date <= day)
        .order_by(col(AccountingRate.business_date).desc())
        .limit(1)
    ).first()
    return AccountingRateOut(
        as_of=day,
        rate=rate_on(session, cooperative_id, day),
        source=AccountingRateSource.accounting if row else AccountingRateSource.cooperative,
        set_on=row.business_date if row else None,
        set_by=row.set_by if row else None,
    )


def exchange_at_counter(
    session: Session, ctx: CoopContext, data: ExchangeCreate
) -> ExchangeOut | tuple[ScreeningHoldOut, int]:
    """An exchange whose member is on a screening list, from the screening threshold,
    waits for the compliance officer (202; ``flows.screened`` makes it once approved)."""
    held = screening.check_operation(
        session, ctx, "exchange", data.member_id, check_amount(data.amount_usd), "USD",
        {"body": data.model_dump(mode="json")},
    )  # fmt: skip
    return (held, 202) if held is not None else exchange(session, ctx, data)
