"""A month's GL balances in the snapshot: every account's balance at the month end and
what moved in it since the first of January, in its currency and in soles (the dollars as
``exchange.revaluation`` expresses them), and the figures the federation's indicators are
made of. Taken with the month's snapshot, and again for a month an accountant's entry
changed before it was closed (``refresh_ledger``)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, col, delete, select

from coopac_core.exchange import revaluation
from coopac_core.ledger import service as ledger
from coopac_core.models_base import utcnow
from coopac_core.money import round_cents
from coopac_core.reports.figures import ledger_figures
from coopac_core.reports.models import PeriodGlBalance, PeriodSnapshot
from coopac_core.reports.months import period_end, period_of, previous_period

ZERO = Decimal("0.00")
# Before any book: where a first snapshot (no previous month) starts summing the postings.
_BEGINNING = date(1900, 1, 1)


# Each account's balance at the month end: the previous month's snapshot plus the month's
# postings (or every posting up to the month end, for a first snapshot); and its movement
# since the first of January, which is what the income statement shows.
_GL_BALANCES = """
INSERT INTO period_gl_balance (cooperative_id, period, gl_account_id, code, name, currency,
    balance, year_to_date, balance_pen, year_to_date_pen)
SELECT *, balance, year_to_date FROM (
SELECT g.cooperative_id, :p, g.id, g.code, g.name, g.currency,
    coalesce(prev.balance, 0) + coalesce(mv.amount, 0) AS balance,
    CASE WHEN :carry_year THEN coalesce(prev.year_to_date, 0) ELSE 0 END
        + coalesce(mv.year_to_date, 0) AS year_to_date
FROM gl_account g
LEFT JOIN period_gl_balance prev ON prev.cooperative_id = g.cooperative_id
    AND prev.period = :prev AND prev.gl_account_id = g.id
LEFT JOIN (
    SELECT gl_account_id, sum(amount) AS amount,
        sum(amount) FILTER (WHERE business_date >= :jan1) AS year_to_date
    FROM posting
    WHERE cooperative_id = :c AND (business_date > :since AND business_date <= :d
        -- January carries the closing entry of the year before (dated its last day, posted
        -- after December's snapshot was final), not in the year's own results
        OR (business_date = CAST(:closing AS date) AND entry_id IN (
            SELECT e.id FROM journal_entry e WHERE e.cooperative_id = :c
            AND e.kind = 'year_close' AND e.business_date = CAST(:closing AS date))))
    GROUP BY gl_account_id
) mv ON mv.gl_account_id = g.id
WHERE g.cooperative_id = :c AND (prev.gl_account_id IS NOT NULL OR mv.gl_account_id IS NOT NULL)
) b
"""


def take_gl_balances(session: Session, cooperative_id: uuid.UUID, period: str) -> None:
    end = period_end(period)
    prev = previous_period(period)
    has_prev = (
        session.get(PeriodSnapshot, (cooperative_id, prev)) is not None
    )  # months are taken in order: without the previous one, this is the first
    session.execute(
        text(_GL_BALANCES),
        {
            "c": cooperative_id,
            "p": period,
            "prev": prev,
            "d": end,
            "since": period_end(prev) if has_prev else _BEGINNING,
            "jan1": date(end.year, 1, 1),
            "carry_year": has_prev and end.month > 1,
            "closing": period_end(prev) if has_prev and end.month == 1 else None,
        },
    )
    _dollars_in_soles(session, cooperative_id, period)


def _dollars_in_soles(session: Session, cooperative_id: uuid.UUID, period: str) -> None:
    """The dollar accounts' balances in soles (``exchange.revaluation``): the balance sheet's
    at the month end's accounting rate, the income and expense at the rate of their day, the
    exchange position what balances the rest (the soles balances were copied as they are)."""
    end = period_end(period)
    rate = revaluation.rate_on(session, cooperative_id, end)
    results = {
        r.gl_account_id: r
        for r in revaluation.results_in_soles(
            session, cooperative_id, revaluation.open_since(session, cooperative_id), end
        )
    }
    position = revaluation.position_accounts(session, cooperative_id)["USD"]
    rows = session.exec(
        select(PeriodGlBalance).where(
            PeriodGlBalance.cooperative_id == cooperative_id,
            PeriodGlBalance.period == period,
            PeriodGlBalance.currency == "USD",
        )
    ).all()
    if not rows:
        return
    balancing = next((r for r in rows if r.gl_account_id == position), None)
    if balancing is None:
        account = ledger.get_gl_account(session, cooperative_id, position)
        balancing = PeriodGlBalance(
            cooperative_id=cooperative_id,
            period=period,
            gl_account_id=position,
            code=account.code,
            name=account.name,
            currency="USD",
        )
        session.add(balancing)
    others = ZERO
    for row in rows:
        if row is balancing:
            continue
        result = results.get(row.gl_account_id)
        if result is not None:
            row.balance_pen, row.year_to_date_pen = (
                round_cents(result.pen),
                round_cents(result.pen_year),
            )
        else:
            row.balance_pen = round_cents(row.balance * rate)
            row.year_to_date_pen = round_cents(row.year_to_date * rate)
        others += row.balance_pen
        session.add(row)
    balancing.balance_pen, balancing.year_to_date_pen = -others, ZERO
    session.flush()


def apply_ledger_figures(session: Session, snap: PeriodSnapshot) -> None:
    rows = session.execute(
        select(
            col(PeriodGlBalance.code),
            col(PeriodGlBalance.balance_pen),
            col(PeriodGlBalance.year_to_date_pen),
        ).where(
            PeriodGlBalance.cooperative_id == snap.cooperative_id,
            PeriodGlBalance.period == snap.period,
        )
    ).all()
    figures = ledger_figures((code, bal, ytd) for code, bal, ytd in rows)
    for name, value in vars(figures).items():
        setattr(snap, name, value)


def refresh_ledger(session: Session, cooperative_id: uuid.UUID, day: date) -> list[str]:
    """After an entry dated ``day`` in a month already taken (an accountant's adjustment
    before closing it): that month's GL balances and figures again, and every later month's,
    which carry them. Those months are all open (they close in order). Returns them."""
    periods = list(
        session.exec(
            select(PeriodSnapshot)
            .where(
                PeriodSnapshot.cooperative_id == cooperative_id,
                col(PeriodSnapshot.period) >= period_of(day),
            )
            .order_by(col(PeriodSnapshot.period))
            .with_for_update()
        )
    )
    for snap in periods:
        session.execute(
            delete(PeriodGlBalance).where(
                col(PeriodGlBalance.cooperative_id) == cooperative_id,
                col(PeriodGlBalance.period) == snap.period,
            )
        )
        take_gl_balances(session, cooperative_id, snap.period)
        apply_ledger_figures(session, snap)
        snap.refreshed_at = utcnow()
        session.add(snap)
        session.flush()
    return [s.period for s in periods]
