"""login: lockout, refresh token rotation, failures by address

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 02:06:52.570783
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("login_failure_pkey")),
    )
    op.create_index(
        "ix_login_failure_address", "login_failure", ["address", "occurred_at"], unique=False
    )
    op.create_table(
        "refresh_token",
        sa.Column("jti", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("refresh_token_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("jti", name=op.f("refresh_token_pkey")),
    )
    op.create_index("ix_refresh_token_family", "refresh_token", ["family_id"], unique=False)
    # existing users start with no failures
    op.add_column(
        "staff_user",
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
    )
    op.alter_column("staff_user", "failed_logins", server_default=None)
    op.add_column(
        "staff_user", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("staff_user", "locked_until")
    op.drop_column("staff_user", "failed_logins")
    op.drop_index("ix_refresh_token_family", table_name="refresh_token")
    op.drop_table("refresh_token")
    op.drop_index("ix_login_failure_address", table_name="login_failure")
    op.drop_table("login_failure")
