"""dollars in soles: the accounting rate of each day (accounting_rate), the GL balances of
every month in soles (period_gl_balance.balance_pen and year_to_date_pen: a month taken
before is expressed at its snapshot's rate, its exchange position balancing the rest), a
closed year's dollar results in soles (fiscal_year.result_usd_pen), and the accounts of
exchange gain and loss (51x8, 41x8) for every cooperative

Revision ID: 0057
Revises: 0056
Create Date: 2026-12-07 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls

revision: str = "0057"
down_revision: str | None = "0056"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXCHANGE_ACCOUNTS = """
SELECT set_config('coopac.tenant', '*', true);
INSERT INTO gl_account (cooperative_id, id, code, name, currency, normal_side, allows_posting,
    is_system)
SELECT c.id, gen_random_uuid(), a.class || d.digit || '8',
    a.name || ' (' || d.currency || ')', d.currency, a.side, true, true
FROM cooperative c
CROSS JOIN (VALUES ('PEN', '1'), ('USD', '2')) d(currency, digit)
CROSS JOIN (VALUES ('41', 'Pérdida por diferencia de cambio', 'debit'),
    ('51', 'Ganancia por diferencia de cambio', 'credit')) a(class, name, side)
ON CONFLICT (cooperative_id, code) DO NOTHING;
"""

# Months already taken, in soles at their snapshot's rate (what their reports showed); the
# exchange position's dollar row takes what rounding left, so that each month adds up to 0.
MONTHS_IN_SOLES = """
SELECT set_config('coopac.tenant', '*', true);
UPDATE period_gl_balance SET balance_pen = balance, year_to_date_pen = year_to_date
WHERE currency = 'PEN';
UPDATE period_gl_balance b SET balance_pen = round(b.balance * s.exchange_rate, 2),
    year_to_date_pen = round(b.year_to_date * s.exchange_rate, 2)
FROM period_snapshot s
WHERE s.cooperative_id = b.cooperative_id AND s.period = b.period AND b.currency = 'USD';
INSERT INTO period_gl_balance (cooperative_id, period, gl_account_id, code, name, currency,
    balance, year_to_date, balance_pen, year_to_date_pen)
SELECT t.cooperative_id, t.period, g.id, g.code, g.name, 'USD', 0, 0, 0, 0
FROM (SELECT cooperative_id, period FROM period_gl_balance GROUP BY 1, 2
      HAVING sum(balance_pen) <> 0) t
JOIN counter_account ca ON ca.cooperative_id = t.cooperative_id
    AND ca.purpose = 'exchange_position' AND ca.currency = 'USD'
JOIN gl_account g ON g.cooperative_id = ca.cooperative_id AND g.id = ca.gl_account_id
ON CONFLICT DO NOTHING;
UPDATE period_gl_balance b SET balance_pen = b.balance_pen - t.total
FROM (SELECT cooperative_id, period, sum(balance_pen) AS total FROM period_gl_balance
      GROUP BY 1, 2 HAVING sum(balance_pen) <> 0) t,
    counter_account ca
WHERE b.cooperative_id = t.cooperative_id AND b.period = t.period
  AND ca.cooperative_id = b.cooperative_id AND ca.purpose = 'exchange_position'
  AND ca.currency = 'USD' AND b.gl_account_id = ca.gl_account_id;
"""

CLOSED_PERIOD_TRIGGERS = ("period_gl_balance_closed_change", "period_gl_balance_closed_insert")


def _roles() -> tuple[str, str]:
    app = rls.app_role()
    return app, '"' + f"{app[1:-1]}_federation" + '"'


def upgrade() -> None:
    op.create_table(
        "accounting_rate",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "set_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint("rate > 0", name=op.f("rate_positive")),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("accounting_rate_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "business_date", name=op.f("accounting_rate_pkey")
        ),
    )
    app, federation = _roles()
    rls.enable_tenant_rls("accounting_rate")
    op.execute("ALTER TABLE accounting_rate FORCE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON accounting_rate FROM {app}, {federation}")
    op.execute(f"GRANT SELECT, INSERT ON accounting_rate TO {app}")
    # set again the same business day (before it is closed): the last one stands
    op.execute(f"GRANT UPDATE (rate, set_by, set_by_id, set_at) ON accounting_rate TO {app}")
    op.execute(f"GRANT SELECT ON accounting_rate TO {federation}")
    op.add_column(
        "fiscal_year",
        sa.Column(
            "result_usd_pen", sa.Numeric(precision=18, scale=2), server_default="0", nullable=False
        ),
    )
    for column in ("balance_pen", "year_to_date_pen"):
        op.add_column(
            "period_gl_balance",
            sa.Column(
                column, sa.Numeric(precision=18, scale=2), server_default="0", nullable=False
            ),
        )
    # the snapshot expresses a month's dollar rows in soles once they are in
    op.execute(f"GRANT UPDATE (balance_pen, year_to_date_pen) ON period_gl_balance TO {app}")
    for trigger in CLOSED_PERIOD_TRIGGERS:  # closed months too: what they showed, in soles
        op.execute(f"ALTER TABLE period_gl_balance DISABLE TRIGGER {trigger}")
    op.execute(MONTHS_IN_SOLES)
    for trigger in CLOSED_PERIOD_TRIGGERS:
        op.execute(f"ALTER TABLE period_gl_balance ENABLE TRIGGER {trigger}")
    op.execute(EXCHANGE_ACCOUNTS)


def downgrade() -> None:
    app, _ = _roles()
    op.execute(f"REVOKE UPDATE (balance_pen, year_to_date_pen) ON period_gl_balance FROM {app}")
    for trigger in CLOSED_PERIOD_TRIGGERS:
        op.execute(f"ALTER TABLE period_gl_balance DISABLE TRIGGER {trigger}")
    op.execute(
        "SELECT set_config('coopac.tenant', '*', true); "
        "DELETE FROM period_gl_balance WHERE balance = 0 AND year_to_date = 0 "
        "AND balance_pen <> 0"
    )
    for trigger in CLOSED_PERIOD_TRIGGERS:
        op.execute(f"ALTER TABLE period_gl_balance ENABLE TRIGGER {trigger}")
    op.drop_column("period_gl_balance", "year_to_date_pen")
    op.drop_column("period_gl_balance", "balance_pen")
    op.drop_column("fiscal_year", "result_usd_pen")
    op.drop_table("accounting_rate")
