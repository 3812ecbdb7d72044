"""member branch: the agencia a member belongs to (a teller elsewhere does not transfer out
of their accounts)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 13:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("member", sa.Column("branch_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        "member_cooperative_id_branch_id_fkey",
        "member",
        "branch",
        ["cooperative_id", "branch_id"],
        ["cooperative_id", "id"],
    )


def downgrade() -> None:
    op.drop_constraint("member_cooperative_id_branch_id_fkey", "member", type_="foreignkey")
    op.drop_column("member", "branch_id")
