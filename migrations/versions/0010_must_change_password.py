"""must_change_password: a user an administrator created (or sent to change it) chooses
their own password before doing anything else

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "staff_user",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.alter_column("staff_user", "must_change_password", server_default=None)


def downgrade() -> None:
    op.drop_column("staff_user", "must_change_password")
