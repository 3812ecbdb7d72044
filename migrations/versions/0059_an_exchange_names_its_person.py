"""an exchange at the counter keeps its own record (exchange_operation): whose it was, what
and at which rate, so that its receipt and the large-cash register name its person (an
exchange moves no member account). Exchanges made before have none: their person was never
recorded

Revision ID: 0059
Revises: 0058
Create Date: 2026-12-07 23:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls

revision: str = "0059"
down_revision: str | None = "0058"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_operation",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("journal_entry_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("amount_pen", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("rate_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "journal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
            name=op.f("exchange_operation_cooperative_id_journal_entry_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "member_id"],
            ["member.cooperative_id", "member.id"],
            name=op.f("exchange_operation_cooperative_id_member_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "rate_id"],
            ["exchange_rate.cooperative_id", "exchange_rate.id"],
            name=op.f("exchange_operation_cooperative_id_rate_id_fkey"),
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "journal_entry_id", name=op.f("exchange_operation_pkey")
        ),
    )
    op.create_index(
        "ix_exchange_operation_member",
        "exchange_operation",
        ["cooperative_id", "member_id"],
        unique=False,
    )
    app = rls.app_role()
    federation = '"' + f"{app[1:-1]}_federation" + '"'
    rls.enable_tenant_rls("exchange_operation")
    op.execute("ALTER TABLE exchange_operation FORCE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON exchange_operation FROM {app}, {federation}")
    op.execute(f"GRANT SELECT, INSERT ON exchange_operation TO {app}")
    op.execute(f"GRANT SELECT ON exchange_operation TO {federation}")


def downgrade() -> None:
    op.drop_index("ix_exchange_operation_member", table_name="exchange_operation")
    op.drop_table("exchange_operation")
