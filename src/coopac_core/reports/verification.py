"""What ``coopac verify-ledger`` proves of the month-end snapshots: every number a report or
the federation reads goes back to the ledger.

- each month's GL balances (and year-to-date movements) are the postings up to its end (a
  year's closing entry counts from January);
- its figures (assets, deposits, loans, provisions...) are those balances;
- its members' deposits add up to the savings control accounts, and its portfolio to the
  loan control accounts, currency by currency."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, select

from coopac_core.reports.channels import operations_by_channel
from coopac_core.reports.figures import LedgerFigures, ledger_figures
from coopac_core.reports.models import PeriodSnapshot

_GL_AGAINST_POSTINGS = """
WITH monthly AS (
    SELECT gl_account_id, date_trunc('month', business_date)::date AS month,
        entry_id IN (SELECT e.id FROM journal_entry e WHERE e.cooperative_id = :c
                     AND e.kind = 'year_close') AS closing,
        sum(amount) AS amount
    FROM posting WHERE cooperative_id = :c GROUP BY 1, 2, 3
), expected AS (
    SELECT s.period, m.gl_account_id, sum(m.amount) AS balance,
        coalesce(sum(m.amount) FILTER (
            WHERE m.month >= date_trunc('year', s.period_end)::date), 0) AS year_to_date
    FROM period_snapshot s JOIN monthly m ON m.month <= s.period_end
        -- a year's closing entry (31 December) is in the months after December, whose
        -- snapshot is the year's books before it (fiscal_years)
        AND (NOT m.closing OR m.month < date_trunc('month', s.period_end)::date)
    WHERE s.cooperative_id = :c
    GROUP BY s.period, m.gl_account_id
), kept AS (
    SELECT period, gl_account_id, balance, year_to_date FROM period_gl_balance
    WHERE cooperative_id = :c
)
SELECT coalesce(e.period, k.period) AS period, coalesce(e.gl_account_id, k.gl_account_id) AS gl,
    coalesce(e.balance, 0) AS posted, coalesce(k.balance, 0) AS kept,
    coalesce(e.year_to_date, 0) AS posted_ytd, coalesce(k.year_to_date, 0) AS kept_ytd
FROM expected e FULL JOIN kept k ON k.period = e.period AND k.gl_account_id = e.gl_account_id
WHERE coalesce(e.balance, 0) <> coalesce(k.balance, 0)
   OR coalesce(e.year_to_date, 0) <> coalesce(k.year_to_date, 0)
ORDER BY 1, 2
"""

# Per month and currency: (savings controls, members' deposits), (loan controls, portfolio).
_PARTS = """
SELECT s.period, g.currency,
    coalesce(sum(b.balance) FILTER (WHERE g.control_kind = 'savings'), 0) AS savings_gl,
    coalesce(sum(b.balance) FILTER (WHERE g.control_kind = 'loan'), 0) AS loans_gl,
    (SELECT coalesce(sum(CASE g.currency WHEN 'USD' THEN d.balance_usd
            ELSE d.balance_pen END), 0) FROM period_member_deposit d
        WHERE d.cooperative_id = s.cooperative_id AND d.period = s.period) AS deposits,
    (SELECT coalesce(sum(p.balance), 0) FROM period_portfolio p
        WHERE p.cooperative_id = s.cooperative_id AND p.period = s.period
          AND p.currency = g.currency) AS portfolio
FROM period_snapshot s
JOIN period_gl_balance b ON b.cooperative_id = s.cooperative_id AND b.period = s.period
JOIN gl_account g ON g.cooperative_id = b.cooperative_id AND g.id = b.gl_account_id
WHERE s.cooperative_id = :c
GROUP BY s.cooperative_id, s.period, g.currency
"""


def check_snapshots(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    problems: list[str] = []
    params = {"c": cooperative_id}
    for r in session.execute(text(_GL_AGAINST_POSTINGS), params):
        problems.append(
            f"period {r.period}: GL {r.gl} kept {r.kept} (year {r.kept_ytd}) but postings "
            f"to its end sum {r.posted} (year {r.posted_ytd})"
        )
    rows: dict[str, list[tuple[str, Decimal, Decimal]]] = defaultdict(list)
    in_soles: dict[str, Decimal] = defaultdict(Decimal)
    for period, code, currency, balance, ytd, balance_pen, ytd_pen in session.execute(
        text(
            "SELECT period, code, currency, balance, year_to_date, balance_pen, "
            "year_to_date_pen FROM period_gl_balance WHERE cooperative_id = :c"
        ),
        params,
    ):
        rows[period].append((code, balance_pen, ytd_pen))
        in_soles[period] += balance_pen
        if currency == "PEN" and (balance_pen, ytd_pen) != (balance, ytd):
            problems.append(f"period {period}: GL {code} in soles is not its balance")
    for period, total in sorted(in_soles.items()):
        if total:
            problems.append(f"period {period}: its balances in soles add up to {total}, not 0")
    for snap in session.exec(
        select(PeriodSnapshot).where(PeriodSnapshot.cooperative_id == cooperative_id)
    ):
        figures = ledger_figures(rows[snap.period])
        for name in LedgerFigures.__dataclass_fields__:
            kept, derived = getattr(snap, name), getattr(figures, name)
            if kept != derived:
                problems.append(
                    f"period {snap.period}: {name} is {kept} but its GL balances make {derived}"
                )
    for snap in session.exec(
        select(PeriodSnapshot).where(PeriodSnapshot.cooperative_id == cooperative_id)
    ):
        channels = operations_by_channel(session, cooperative_id, snap.period, snap.period_end)
        if snap.operations != sum(channels.values()):
            problems.append(
                f"period {snap.period}: {snap.operations} operations kept but the journal "
                f"has {sum(channels.values())}"
            )
    for r in session.execute(text(_PARTS), params):
        if -r.savings_gl != r.deposits:
            problems.append(
                f"period {r.period}: members' deposits in {r.currency} sum {r.deposits} but "
                f"the savings control accounts hold {-r.savings_gl}"
            )
        if r.loans_gl != r.portfolio:
            problems.append(
                f"period {r.period}: the portfolio in {r.currency} sums {r.portfolio} but the "
                f"loan control accounts hold {r.loans_gl}"
            )
    return problems
