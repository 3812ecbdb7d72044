"""operation limits: per role, operation and currency, per operation and per day

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 02:23:24.156322
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "operation_limit",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("operation", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("per_operation", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("per_day", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "per_day IS NULL OR per_day >= per_operation", name=op.f("per_day_covers")
        ),
        sa.CheckConstraint("per_operation > 0", name=op.f("per_operation_positive")),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("operation_limit_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "role", "operation", "currency", name=op.f("operation_limit_pkey")
        ),
    )
    rls.enable_tenant_rls("operation_limit")


def downgrade() -> None:
    op.drop_table("operation_limit")
