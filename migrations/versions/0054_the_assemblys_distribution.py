"""the general assembly's distribution of a closed year: the agreement and its entry on the
year, each member's part (surplus_share), the statute's figures (cooperative.surplus_policy)
and the education and previsión social funds (25x1.02, 25x1.03) for every cooperative

Revision ID: 0054
Revises: 0053
Create Date: 2026-12-07 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls
from sqlalchemy.dialects import postgresql

revision: str = "0054"
down_revision: str | None = "0053"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUND_ACCOUNTS = """
SELECT set_config('coopac.tenant', '*', true);
INSERT INTO gl_account (cooperative_id, id, code, name, currency, normal_side, allows_posting,
    is_system)
SELECT c.id, gen_random_uuid(), '25' || d.digit || '1' || f.suffix,
    f.name || ' (' || d.currency || ')', d.currency, 'credit', true, true
FROM cooperative c
CROSS JOIN (VALUES ('PEN', '1'), ('USD', '2')) d(currency, digit)
CROSS JOIN (VALUES ('.02', 'Fondo de educación'), ('.03', 'Fondo de previsión social'))
    f(suffix, name)
ON CONFLICT (cooperative_id, code) DO NOTHING;
"""


def _roles() -> tuple[str, str]:
    app = rls.app_role()
    return app, '"' + f"{app[1:-1]}_federation" + '"'


def upgrade() -> None:
    op.add_column(
        "cooperative",
        sa.Column(
            "surplus_policy",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
    )
    op.add_column(
        "fiscal_year",
        sa.Column("distribution", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column("fiscal_year", sa.Column("distribution_entry_id", sa.Uuid(), nullable=True))
    op.create_table(
        "surplus_share",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("share_interest", sa.Numeric(18, 2), nullable=False),
        sa.Column("member_return", sa.Numeric(18, 2), nullable=False),
        sa.Column("account_kind", sa.String(length=8), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("share_interest >= 0 AND member_return >= 0", name="amounts_valid"),
        sa.CheckConstraint("account_kind IN ('share', 'savings')", name="account_kind_valid"),
        sa.PrimaryKeyConstraint("cooperative_id", "year", "member_id", name="surplus_share_pkey"),
    )
    app, federation = _roles()
    rls.enable_tenant_rls("surplus_share")
    op.execute("ALTER TABLE surplus_share FORCE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON surplus_share FROM {app}, {federation}")
    op.execute(f"GRANT SELECT, INSERT ON surplus_share TO {app}")
    op.execute(f"GRANT SELECT ON surplus_share TO {federation}")
    # a closed year becomes distributed
    op.execute(
        f"GRANT UPDATE (status, distribution, distribution_entry_id) ON fiscal_year TO {app}"
    )
    op.execute(FUND_ACCOUNTS)


def downgrade() -> None:
    app, _ = _roles()
    op.execute(
        f"REVOKE UPDATE (status, distribution, distribution_entry_id) ON fiscal_year FROM {app}"
    )
    op.drop_table("surplus_share")
    op.drop_column("fiscal_year", "distribution_entry_id")
    op.drop_column("fiscal_year", "distribution")
    op.drop_column("cooperative", "surplus_policy")
