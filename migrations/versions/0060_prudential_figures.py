"""the supervisor's limits: each month keeps what they are made of (period_snapshot's liquid
assets and short-term liabilities per currency, basic equity, generic provisions and fixed
assets, by reports.figures), the federation's prudential settings (risk weights, capital
minimum, concentration limits), and whether a member is a related party of the cooperative.
The months already taken get their figures from their own GL balances in soles

Revision ID: 0060
Revises: 0059
Create Date: 2026-12-08 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0060"
down_revision: str | None = "0059"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURES = (
    "liquid_assets_pen",
    "liquid_assets_usd",
    "short_term_liabilities_pen",
    "short_term_liabilities_usd",
    "basic_equity",
    "generic_provisions",
    "fixed_assets",
)

# reports.figures.ledger_figures as it stands at this revision, over the months taken
MONTHS_TAKEN = """
SELECT set_config('coopac.tenant', '*', true);
UPDATE period_snapshot s SET
    liquid_assets_pen = f.liquid_pen, liquid_assets_usd = f.liquid_usd,
    short_term_liabilities_pen = f.short_pen, short_term_liabilities_usd = f.short_usd,
    basic_equity = f.capital + least(f.results, 0), generic_provisions = f.generic,
    fixed_assets = f.fixed
FROM (
    SELECT cooperative_id, period,
        coalesce(sum(balance_pen) FILTER (WHERE left(code, 3) = '111'), 0) AS liquid_pen,
        coalesce(sum(balance_pen) FILTER (WHERE left(code, 3) = '112'), 0) AS liquid_usd,
        -coalesce(sum(balance_pen) FILTER (WHERE left(code, 2) IN ('21', '24')
                                           AND substr(code, 3, 1) = '1'), 0) AS short_pen,
        -coalesce(sum(balance_pen) FILTER (WHERE left(code, 2) IN ('21', '24')
                                           AND substr(code, 3, 1) = '2'), 0) AS short_usd,
        -coalesce(sum(balance_pen) FILTER (WHERE left(code, 2) IN ('31', '32', '33')), 0)
            AS capital,
        -coalesce(sum(balance_pen) FILTER (WHERE left(code, 2) IN ('38', '39')
                                           OR left(code, 1) IN ('4', '5')), 0) AS results,
        -coalesce(sum(balance_pen) FILTER (WHERE left(code, 2) = '14'
                                           AND substr(code, 4, 4) = '9.02'), 0) AS generic,
        coalesce(sum(balance_pen) FILTER (WHERE left(code, 2) = '18'), 0) AS fixed
    FROM period_gl_balance GROUP BY cooperative_id, period
) f
WHERE f.cooperative_id = s.cooperative_id AND f.period = s.period;
"""


def upgrade() -> None:
    for column in FIGURES:
        op.add_column(
            "period_snapshot",
            sa.Column(column, sa.Numeric(18, 2), server_default="0", nullable=False),
        )
    op.add_column(
        "federation_settings",
        sa.Column(
            "prudential",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
    )
    op.add_column(
        "member",
        sa.Column("related_party", sa.Boolean(), server_default="false", nullable=False),
    )
    # closed months too: their figures by the rule the limits now read
    op.execute("ALTER TABLE period_snapshot DISABLE TRIGGER period_snapshot_closed")
    op.execute(MONTHS_TAKEN)
    op.execute("ALTER TABLE period_snapshot ENABLE TRIGGER period_snapshot_closed")


def downgrade() -> None:
    op.drop_column("member", "related_party")
    op.drop_column("federation_settings", "prudential")
    for column in FIGURES:
        op.drop_column("period_snapshot", column)
