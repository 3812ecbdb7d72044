"""Closing a fiscal year: every income and expense account (classes 4 and 5), in each
currency, closed into the year's result in soles (39x1, Resultado neto del ejercicio; the
dollars' at the rate of their day) by one entry dated 31 December, once December is
closed. December's snapshot stays as it was closed (the
year's statements before the close); the live trial balance of 31 December and the months
after it show the entry (``reports.snapshot`` carries it into January's balances)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from coopac_core.audit import service as audit_service
from coopac_core.exchange import revaluation
from coopac_core.federation.service import get_cooperative, set_policy
from coopac_core.fiscal_years.errors import (
    FiscalYearClosed,
    FiscalYearNotFound,
    LaterPeriodClosed,
    PeriodOpen,
    PreviousYearOpen,
)
from coopac_core.fiscal_years.models import FiscalYear, FiscalYearStatus
from coopac_core.fiscal_years.schemas import AgreedDistribution, FiscalYearOut
from coopac_core.fiscal_years.surplus import SurplusPolicy, policy_of
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import YEAR_RESULT_GL, code_for
from coopac_core.ledger.models import EntryKind
from coopac_core.money import Currency, round_cents
from coopac_core.reports.gl_balances import refresh_ledger
from coopac_core.reports.models import PeriodSnapshot, PeriodStatus
from coopac_core.security.principal import CoopContext

ZERO = Decimal("0.00")

# Each income and expense account's balance at a day's end (debits positive).
RESULTS = """
SELECT g.id, g.currency, sum(p.amount) AS balance
FROM posting p JOIN gl_account g ON g.cooperative_id = p.cooperative_id AND g.id = p.gl_account_id
WHERE p.cooperative_id = :c AND p.business_date <= :d AND left(g.code, 1) IN ('4', '5')
GROUP BY g.id, g.currency HAVING sum(p.amount) <> 0
ORDER BY g.currency, g.id
"""


def closes_on(year: int) -> date:
    return date(year, 12, 31)


def _results_of(
    session: Session, cooperative_id: uuid.UUID, since: date, day: date
) -> dict[str, Decimal]:
    """What classes 4 and 5 added up to, per currency, between two days (profit positive)."""
    rows = session.execute(
        text(
            "SELECT g.currency, -sum(p.amount) FROM posting p JOIN gl_account g "
            "ON g.cooperative_id = p.cooperative_id AND g.id = p.gl_account_id "
            "WHERE p.cooperative_id = :c AND p.business_date BETWEEN :a AND :d "
            "AND left(g.code, 1) IN ('4', '5') GROUP BY g.currency"
        ),
        {"c": cooperative_id, "a": since, "d": day},
    ).all()
    out = {c.value: ZERO for c in Currency}
    out.update({currency: Decimal(amount) for currency, amount in rows})
    return out


def _check_closable(session: Session, cooperative_id: uuid.UUID, year: int) -> PeriodSnapshot:
    december = session.get(PeriodSnapshot, (cooperative_id, f"{year:04d}-12"), with_for_update=True)
    if december is None or december.status != PeriodStatus.closed:
        raise PeriodOpen(period=f"{year:04d}-12")
    if session.get(FiscalYear, (cooperative_id, year)) is not None:
        raise FiscalYearClosed(year=year)
    # years close in order: results left in an earlier year that was never closed
    earlier = session.execute(
        text(
            "SELECT 1 FROM posting p JOIN gl_account g ON g.cooperative_id = p.cooperative_id "
            "AND g.id = p.gl_account_id WHERE p.cooperative_id = :c AND p.business_date < :jan1 "
            "AND left(g.code, 1) IN ('4', '5') LIMIT 1"
        ),
        {"c": cooperative_id, "jan1": date(year, 1, 1)},
    ).first()
    if earlier is not None and session.get(FiscalYear, (cooperative_id, year - 1)) is None:
        raise PreviousYearOpen(year=year - 1)
    later = session.execute(
        text(
            "SELECT period FROM period_snapshot WHERE cooperative_id = :c AND period > :p "
            "AND status = 'closed' ORDER BY period LIMIT 1"
        ),
        {"c": cooperative_id, "p": f"{year:04d}-12"},
    ).scalar_one_or_none()
    if later is not None:
        raise LaterPeriodClosed(period=later, year=year)
    return december


def close_year(session: Session, ctx: CoopContext, year: int) -> FiscalYearOut:
    coop_id = ctx.cooperative_id
    december = _check_closable(session, coop_id, year)
    day = closes_on(year)
    rows = session.execute(text(RESULTS), {"c": coop_id, "d": day}).all()
    results = {c.value: ZERO for c in Currency}
    lines = []
    for gl_id, currency, balance in rows:
        lines.append(ledger.Line(gl_id, currency, -balance))
        results[currency] -= balance
    # the dollar results go into the year's result in soles at the rate of their day,
    # through the exchange position (exchange.revaluation): the dollars they left stay in
    # the position, worth in soles what they were when earned
    usd_in_soles = -revaluation.year_results_in_soles(session, coop_id, year)
    position = revaluation.position_accounts(session, coop_id)
    if results[Currency.USD]:
        lines.append(ledger.Line(position["USD"], Currency.USD, -results[Currency.USD]))
    if usd_in_soles:
        lines.append(ledger.Line(position["PEN"], Currency.PEN, usd_in_soles))
    in_soles = results[Currency.PEN] + usd_in_soles
    if in_soles:
        target = ledger.gl_account_by_code(session, coop_id, code_for(YEAR_RESULT_GL, Currency.PEN))
        lines.append(ledger.Line(target.id, Currency.PEN, -in_soles))
    entry = ledger.post_lines(
        session,
        ctx,
        EntryKind.year_close,
        lines,
        business_date=day,
        description=f"Cierre del ejercicio {year}: resultados al resultado neto del ejercicio",
        year_close=True,
    )
    fiscal = FiscalYear(
        cooperative_id=coop_id,
        year=year,
        result_pen=results[Currency.PEN],
        result_usd=results[Currency.USD],
        result_usd_pen=usd_in_soles,
        exchange_rate=december.exchange_rate,
        closing_entry_id=entry.id if entry else None,
        closed_by=ctx.principal.name,
        closed_by_id=ctx.principal.person_id,
    )
    session.add(fiscal)
    try:
        session.flush()
    except IntegrityError:  # closed at the same moment by someone else
        raise FiscalYearClosed(year=year) from None
    # the months after it carry its balances: January's opening has no results left
    refresh_ledger(session, coop_id, date(year + 1, 1, 1))
    audit_service.record(
        session,
        ctx.principal,
        "fiscal_year.close",
        "fiscal_year",
        None,
        cooperative_id=coop_id,
        details={
            "year": year,
            "result_pen": str(fiscal.result_pen),
            "result_usd": str(fiscal.result_usd),
            "result_usd_pen": str(fiscal.result_usd_pen),
            "entry_id": str(fiscal.closing_entry_id) if fiscal.closing_entry_id else None,
        },
    )
    session.flush()
    return _out(fiscal)


def _out(fiscal: FiscalYear) -> FiscalYearOut:
    return FiscalYearOut(
        year=fiscal.year,
        status=FiscalYearStatus(fiscal.status),
        closes_on=closes_on(fiscal.year),
        # a year closed before the dollars were revalued kept them in 39x2
        result=fiscal.in_soles
        if fiscal.result_usd_pen or not fiscal.result_usd
        else round_cents(fiscal.result_pen + fiscal.result_usd * fiscal.exchange_rate),
        result_pen=fiscal.result_pen,
        result_usd=fiscal.result_usd,
        result_usd_in_soles=fiscal.result_usd_pen,
        exchange_rate=fiscal.exchange_rate,
        closing_entry_id=fiscal.closing_entry_id,
        closed_by=fiscal.closed_by,
        closed_at=fiscal.closed_at,
        distribution=AgreedDistribution.model_validate(
            {**fiscal.distribution, "journal_entry_id": fiscal.distribution_entry_id}
        )
        if fiscal.distribution
        else None,
    )


def get_year(session: Session, cooperative_id: uuid.UUID, year: int) -> FiscalYearOut:
    fiscal = session.get(FiscalYear, (cooperative_id, year))
    if fiscal is not None:
        return _out(fiscal)
    coop = get_cooperative(session, cooperative_id)
    if year > coop.business_date.year:
        raise FiscalYearNotFound(year=year)
    # open: its results so far, the dollars' in soles at the rate of their day
    so_far = _results_of(session, cooperative_id, date(year, 1, 1), closes_on(year))
    usd_in_soles = -revaluation.year_results_in_soles(session, cooperative_id, year)
    return FiscalYearOut(
        year=year,
        status=FiscalYearStatus.open,
        closes_on=closes_on(year),
        result=so_far[Currency.PEN] + usd_in_soles,
        result_pen=so_far[Currency.PEN],
        result_usd=so_far[Currency.USD],
        result_usd_in_soles=usd_in_soles,
        exchange_rate=None,
        closing_entry_id=None,
        closed_by=None,
        closed_at=None,
    )


def surplus_policy(session: Session, cooperative_id: uuid.UUID) -> SurplusPolicy:
    return policy_of(get_cooperative(session, cooperative_id).surplus_policy)


def set_surplus_policy(session: Session, ctx: CoopContext, policy: SurplusPolicy) -> SurplusPolicy:
    set_policy(session, ctx, "surplus_policy", policy.model_dump(mode="json"))
    return policy
