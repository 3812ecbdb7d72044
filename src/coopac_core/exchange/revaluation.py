"""Dollars in soles (DOMAIN.md: revalued at each month end at the SBS accounting rate; the
difference to exchange gain or loss; dollar income and expense at the rate of their day).

The ledger keeps each dollar account in dollars, and each entry balances in each currency:
dollars cross into soles only through the exchange position (19x9, one account per
currency, ``tellers`` counter accounts). Expressed in soles, every dollar account of the
balance sheet is worth its balance at the accounting rate of the day, and the dollar income
and expense of the years not yet closed what they were at the rate of their own day; the
dollar position is then worth what balances the rest. With the soles the position cost
(its soles account), that is the result of holding dollars: ``Position.difference``. Close
of business books it at each month end, in soles, from the position's soles account to
exchange gain (51x8) or loss (41x8), so that the position is worth nothing in soles after
it. A closed year takes its dollar results into the year's result in soles at the rate of
their day (``fiscal_years.service.close_year``), through the position, so nothing is
counted twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.day_steps import Chunk, Span, Step, is_month_end
from coopac_core.exchange.models import AccountingRate
from coopac_core.federation.models import Cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind
from coopac_core.money import round_cents
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.models import CounterAccount, CounterPurpose

ZERO = Decimal("0.00")
GAIN_GL = "51{c}8"
LOSS_GL = "41{c}8"


def rate_on(session: Session, cooperative_id: uuid.UUID, day: date) -> Decimal:
    """The accounting rate of ``day``: the last one set on or before it; before any, the
    rate the cooperative's reports were set to use."""
    rate = session.exec(
        select(col(AccountingRate.rate))
        .where(AccountingRate.cooperative_id == cooperative_id, AccountingRate.business_date <= day)
        .order_by(col(AccountingRate.business_date).desc())
        .limit(1)
    ).first()
    if rate is not None:
        return Decimal(rate)
    coop = session.get(Cooperative, cooperative_id)
    assert coop is not None
    return coop.exchange_rate


def open_since(session: Session, cooperative_id: uuid.UUID) -> date:
    """The last day of the last closed fiscal year: the results after it are still open."""
    year = session.execute(
        text("SELECT max(year) FROM fiscal_year WHERE cooperative_id = :c"), {"c": cooperative_id}
    ).scalar_one()
    return date(year, 12, 31) if year is not None else date(1900, 1, 1)


@dataclass(frozen=True)
class ResultInSoles:
    """A dollar income or expense account: in dollars and in soles at the rate of each
    day, since the last closed year and since the first of ``day``'s year."""

    gl_account_id: uuid.UUID
    usd: Decimal
    pen: Decimal
    usd_year: Decimal
    pen_year: Decimal


# Each dollar income or expense account's postings after ``since`` up to ``d``, in soles at
# the rate of their day (its accounting rate, or the last before it, or the fallback).
_RESULTS = """
WITH moved AS (
    SELECT p.gl_account_id, p.business_date, sum(p.amount) AS amount
    FROM posting p
    WHERE p.cooperative_id = :c AND p.gl_account_id = ANY(:ids)
      AND p.business_date > :since AND p.business_date <= :d
    GROUP BY p.gl_account_id, p.business_date
), valued AS (
    SELECT m.gl_account_id, m.business_date, m.amount,
        m.amount * coalesce((SELECT a.rate FROM accounting_rate a
            WHERE a.cooperative_id = :c AND a.business_date <= m.business_date
            ORDER BY a.business_date DESC LIMIT 1), :fallback) AS pen
    FROM moved m
)
SELECT gl_account_id, sum(amount), sum(pen),
    coalesce(sum(amount) FILTER (WHERE business_date >= :jan1), 0),
    coalesce(sum(pen) FILTER (WHERE business_date >= :jan1), 0)
FROM valued GROUP BY gl_account_id
"""


def results_in_soles(
    session: Session, cooperative_id: uuid.UUID, since: date, day: date
) -> list[ResultInSoles]:
    """Unrounded: a sum of them is rounded once."""
    ids = list(
        session.execute(
            text(
                "SELECT id FROM gl_account WHERE cooperative_id = :c AND currency = 'USD' "
                "AND left(code, 1) IN ('4', '5')"
            ),
            {"c": cooperative_id},
        ).scalars()
    )
    coop = session.get(Cooperative, cooperative_id)
    assert coop is not None
    rows = session.execute(
        text(_RESULTS),
        {
            "c": cooperative_id,
            "ids": ids,
            "since": since,
            "d": day,
            "jan1": date(day.year, 1, 1),
            "fallback": coop.exchange_rate,
        },
    ).all()
    return [ResultInSoles(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def year_results_in_soles(session: Session, cooperative_id: uuid.UUID, year: int) -> Decimal:
    """The dollar income and expense of ``year`` in soles at the rate of their day, rounded
    (debits positive: a profit is negative)."""
    rows = results_in_soles(session, cooperative_id, date(year - 1, 12, 31), date(year, 12, 31))
    return round_cents(sum((r.pen for r in rows), ZERO))


def position_accounts(session: Session, cooperative_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """The exchange position's account in each currency."""
    rows = session.exec(
        select(CounterAccount).where(
            CounterAccount.cooperative_id == cooperative_id,
            CounterAccount.purpose == CounterPurpose.exchange_position,
        )
    ).all()
    return {r.currency: r.gl_account_id for r in rows}


@dataclass(frozen=True)
class Position:
    """The dollars at a day's end, in soles."""

    rate: Decimal
    usd: Decimal  # the position's dollar account
    pen: Decimal  # what it cost in soles: the position's soles account
    results: Sequence[ResultInSoles]

    @property
    def results_usd(self) -> Decimal:
        return sum((r.usd for r in self.results), ZERO)

    @property
    def results_pen(self) -> Decimal:
        return sum((r.pen for r in self.results), ZERO)

    @property
    def carrying(self) -> Decimal:
        """What the position's dollar account is worth in soles: what balances the other
        dollar accounts (the balance sheet's at the rate, the results' at theirs), since
        every account in dollars adds up to nothing."""
        return self.rate * (self.usd + self.results_usd) - self.results_pen

    @property
    def difference(self) -> Decimal:
        """The result of holding dollars not yet booked (debits positive: a loss)."""
        return round_cents(self.carrying + self.pen)


def position(session: Session, cooperative_id: uuid.UUID, day: date) -> Position:
    accounts = position_accounts(session, cooperative_id)
    balances = dict(
        session.execute(
            text(
                "SELECT gl_account_id, sum(amount) FROM posting WHERE cooperative_id = :c "
                "AND gl_account_id = ANY(:ids) AND business_date <= :d GROUP BY gl_account_id"
            ),
            {"c": cooperative_id, "ids": list(accounts.values()), "d": day},
        ).all()
    )
    return Position(
        rate=rate_on(session, cooperative_id, day),
        usd=Decimal(balances.get(accounts.get("USD"), ZERO)),
        pen=Decimal(balances.get(accounts.get("PEN"), ZERO)),
        results=results_in_soles(session, cooperative_id, open_since(session, cooperative_id), day),
    )


def revalue(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """Close of business at a month end: the difference booked, from the position's soles
    account to exchange gain or loss. Computed against what is booked: done twice, it
    books once."""
    coop_id = ctx.cooperative_id
    difference = position(session, coop_id, day).difference
    if not difference:
        return Chunk(0, None)
    to = ledger.gl_account_for(session, coop_id, LOSS_GL if difference > 0 else GAIN_GL, "PEN")
    ledger.post_lines(
        session,
        ctx,
        EntryKind.exchange_revaluation,
        [
            ledger.Line(position_accounts(session, coop_id)["PEN"], "PEN", -difference),
            ledger.Line(to.id, "PEN", difference),
        ],
        business_date=day,
        description=f"Diferencia de cambio al {day.isoformat()}",
    )
    return Chunk(1, None)


REVALUATION = Step("exchange_revaluation", 60, lambda s, c, d: 1, revalue, applies=is_month_end)


def _next_month_end(day: date) -> date:
    after = day + timedelta(days=1)
    following = date(after.year + after.month // 12, after.month % 12 + 1, 1)
    return following - timedelta(days=1)


def check_revaluations(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """verify-ledger: from the first month end revalued on, every month end closed by close
    of business leaves the dollars worth in soles what the books say (nothing left to
    book)."""
    first = session.execute(
        text(
            "SELECT min(business_date) FROM journal_entry WHERE cooperative_id = :c "
            "AND kind = 'exchange_revaluation'"
        ),
        {"c": cooperative_id},
    ).scalar_one()
    if first is None:
        return []
    last_closed = session.execute(
        text("SELECT business_date - 1 FROM cooperative WHERE id = :c"), {"c": cooperative_id}
    ).scalar_one()
    problems = []
    end = first
    while end <= last_closed:
        left = position(session, cooperative_id, end).difference
        if left:
            problems.append(
                f"dollars at {end.isoformat()}: {left} of exchange difference not booked"
            )
        end = _next_month_end(end)
    return problems
