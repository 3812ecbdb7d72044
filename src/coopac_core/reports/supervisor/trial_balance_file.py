"""The month's trial balance in the supervisor's layout: each account's opening balance, the
month's debits and credits and its closing balance, per currency and in soles. The closing
balance is the month-end snapshot's (``period_gl_balance``: the ledger's at the month end,
after the year's closing entry and the revaluation), the movements the month's postings."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.federation.models import Cooperative
from coopac_core.money import Currency
from coopac_core.reports.models import PeriodSnapshot
from coopac_core.reports.months import previous_period
from coopac_core.reports.render import Style, Table
from coopac_core.reports.service.common import header
from coopac_core.reports.supervisor.schemas import (
    TrialBalanceFileLineOut,
    TrialBalanceFileOut,
    TrialBalanceFileTotalOut,
)

ZERO = Decimal("0.00")

# Every account with a balance at either month end or a movement in the month. The opening
# is the closing less the month's movements (the month before's snapshot in soles).
_LINES = """
WITH moved AS (
    SELECT p.gl_account_id,
        coalesce(sum(p.amount) FILTER (WHERE p.amount > 0), 0) AS debits,
        coalesce(-sum(p.amount) FILTER (WHERE p.amount < 0), 0) AS credits
    FROM posting p
    WHERE p.cooperative_id = :c AND p.business_date BETWEEN :first AND :last
    GROUP BY p.gl_account_id
), closing AS (
    SELECT gl_account_id, balance, balance_pen FROM period_gl_balance
    WHERE cooperative_id = :c AND period = :p
), opening AS (
    SELECT gl_account_id, balance_pen FROM period_gl_balance
    WHERE cooperative_id = :c AND period = :prev
), accounts AS (
    SELECT gl_account_id FROM moved UNION SELECT gl_account_id FROM closing
    UNION SELECT gl_account_id FROM opening
)
SELECT g.code, g.name, g.currency,
    coalesce(c.balance, 0) - coalesce(m.debits, 0) + coalesce(m.credits, 0) AS opening,
    coalesce(m.debits, 0) AS debits, coalesce(m.credits, 0) AS credits,
    coalesce(c.balance, 0) AS closing, coalesce(o.balance_pen, 0) AS opening_pen,
    coalesce(c.balance_pen, 0) AS closing_pen
FROM accounts a
JOIN gl_account g ON g.cooperative_id = :c AND g.id = a.gl_account_id
LEFT JOIN moved m ON m.gl_account_id = a.gl_account_id
LEFT JOIN closing c ON c.gl_account_id = a.gl_account_id
LEFT JOIN opening o ON o.gl_account_id = a.gl_account_id
WHERE coalesce(c.balance, 0) <> 0 OR coalesce(m.debits, 0) <> 0
    OR coalesce(m.credits, 0) <> 0 OR coalesce(o.balance_pen, 0) <> 0
ORDER BY g.currency DESC, g.code
"""


def trial_balance_file(
    session: Session, coop: Cooperative, snap: PeriodSnapshot
) -> TrialBalanceFileOut:
    lines = [
        TrialBalanceFileLineOut(
            code=r.code,
            name=r.name,
            currency=Currency(r.currency),
            opening=r.opening,
            debits=r.debits,
            credits=r.credits,
            closing=r.closing,
            opening_pen=r.opening_pen,
            closing_pen=r.closing_pen,
        )
        for r in session.execute(
            text(_LINES),
            {
                "c": snap.cooperative_id,
                "p": snap.period,
                "prev": previous_period(snap.period),
                "first": snap.period_end.replace(day=1),
                "last": snap.period_end,
            },
        )
    ]
    return TrialBalanceFileOut(
        cooperative_id=coop.id,
        period=snap.period,
        period_status=snap.status,
        exchange_rate=snap.exchange_rate,
        lines=lines,
        totals=[
            TrialBalanceFileTotalOut(
                currency=currency,
                debits=sum((ln.debits for ln in lines if ln.currency is currency), ZERO),
                credits=sum((ln.credits for ln in lines if ln.currency is currency), ZERO),
            )
            for currency in sorted({ln.currency for ln in lines})
        ],
    )


def trial_balance_table(coop: Cooperative, snap: PeriodSnapshot, out: TrialBalanceFileOut) -> Table:
    table = Table(
        title="Balance de comprobación",
        subtitle=header(coop, snap, "Balance de comprobación"),
        columns=[
            "Cuenta",
            "Denominación",
            "Moneda",
            "Saldo inicial",
            "Debe",
            "Haber",
            "Saldo final",
            "Saldo inicial en soles",
            "Saldo final en soles",
        ],
        widths=[14, 40, 8, 16, 16, 16, 16, 16, 16],
    )
    for line in out.lines:
        table.add(
            [line.code, line.name, line.currency.value, line.opening, line.debits,
             line.credits, line.closing, line.opening_pen, line.closing_pen]
        )  # fmt: skip
    for total in out.totals:
        table.add(
            [f"Total {total.currency.value}", None, total.currency.value, None, total.debits,
             total.credits, None, None, None],
            Style.total,
        )  # fmt: skip
    return table
