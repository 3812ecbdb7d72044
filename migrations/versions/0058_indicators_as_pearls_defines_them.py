"""the federation's indicators as PEARLS defines them: each month keeps its loans in arrears
by age (period_snapshot.overdue_1_30 ... overdue_over_365, for P1 and P2) and the months of
the year the cooperative operated by it (months_operated, what ROA and ROE annualise over);
institutional capital counts the results not yet distributed, a loss included. The months
already taken get all three from their own records (loan_classification, their GL
balances in soles, the months before them)

Revision ID: 0058
Revises: 0057
Create Date: 2026-12-07 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0058"
down_revision: str | None = "0057"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AGES = ("overdue_1_30", "overdue_31_90", "overdue_91_180", "overdue_181_365", "overdue_over_365")

MONTHS_TAKEN = """
SELECT set_config('coopac.tenant', '*', true);
UPDATE period_snapshot s SET months_operated = (
    SELECT right(s.period, 2)::int - right(min(f.period), 2)::int + 1 FROM period_snapshot f
    WHERE f.cooperative_id = s.cooperative_id AND f.period <= s.period
      AND left(f.period, 4) = left(s.period, 4));
UPDATE period_snapshot s SET
    overdue_1_30 = a.d1_30, overdue_31_90 = a.d31_90, overdue_91_180 = a.d91_180,
    overdue_181_365 = a.d181_365, overdue_over_365 = a.d_over_365
FROM (
    SELECT cooperative_id, as_of,
        round(coalesce(sum(soles) FILTER (WHERE dpd BETWEEN 1 AND 30), 0), 2) AS d1_30,
        round(coalesce(sum(soles) FILTER (WHERE dpd BETWEEN 31 AND 90), 0), 2) AS d31_90,
        round(coalesce(sum(soles) FILTER (WHERE dpd BETWEEN 91 AND 180), 0), 2) AS d91_180,
        round(coalesce(sum(soles) FILTER (WHERE dpd BETWEEN 181 AND 365), 0), 2) AS d181_365,
        round(coalesce(sum(soles) FILTER (WHERE dpd > 365), 0), 2) AS d_over_365
    FROM (
        SELECT k.cooperative_id, k.as_of, k.days_past_due AS dpd,
            k.balance * CASE WHEN k.currency = 'USD' THEN p.exchange_rate ELSE 1 END AS soles
        FROM loan_classification k
        JOIN period_snapshot p ON p.cooperative_id = k.cooperative_id AND p.period_end = k.as_of
    ) l
    GROUP BY cooperative_id, as_of
) a
WHERE a.cooperative_id = s.cooperative_id AND a.as_of = s.period_end;
UPDATE period_snapshot s SET institutional_capital = -coalesce((
    SELECT sum(b.balance_pen) FROM period_gl_balance b
    WHERE b.cooperative_id = s.cooperative_id AND b.period = s.period
      AND (left(b.code, 2) IN ('33', '39') OR left(b.code, 1) IN ('4', '5'))), 0);
"""


def upgrade() -> None:
    for column in AGES:
        op.add_column(
            "period_snapshot",
            sa.Column(column, sa.Numeric(18, 2), server_default="0", nullable=False),
        )
    op.add_column(
        "period_snapshot",
        sa.Column("months_operated", sa.Integer(), server_default="12", nullable=False),
    )
    # closed months too: their figures by the rule the indicators now follow
    op.execute("ALTER TABLE period_snapshot DISABLE TRIGGER period_snapshot_closed")
    op.execute(MONTHS_TAKEN)
    op.execute("ALTER TABLE period_snapshot ENABLE TRIGGER period_snapshot_closed")


def downgrade() -> None:
    op.drop_column("period_snapshot", "months_operated")
    for column in AGES:
        op.drop_column("period_snapshot", column)
