"""users activate themselves: a user is created without a password and chooses it with a
one-time activation code (its hash and expiry kept); who created them is kept, since they
held the code and never decide a request about them

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-07 18:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column(
        "staff_user", "password_hash", existing_type=sa.String(length=255), nullable=True
    )
    op.add_column(
        "staff_user", sa.Column("activation_code_hash", sa.String(length=64), nullable=True)
    )
    op.add_column(
        "staff_user",
        sa.Column("activation_expires_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column("staff_user", sa.Column("created_by_id", sa.Uuid(), nullable=True))
    op.create_unique_constraint(
        "staff_user_activation_code_hash_key", "staff_user", ["activation_code_hash"]
    )


def downgrade() -> None:
    # a user still waiting for activation has no password, which the old column refuses
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM staff_user WHERE password_hash IS NULL) "
        "THEN RAISE EXCEPTION 'users wait for activation: downgrading would lose them'; "
        "END IF; END $$"
    )
    op.drop_constraint("staff_user_activation_code_hash_key", "staff_user", type_="unique")
    op.drop_column("staff_user", "created_by_id")
    op.drop_column("staff_user", "activation_expires_at")
    op.drop_column("staff_user", "activation_code_hash")
    op.alter_column(
        "staff_user", "password_hash", existing_type=sa.String(length=255), nullable=False
    )
