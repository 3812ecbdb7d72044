"""api key owner: every key acts for a named person

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("api_key", sa.Column("owner_id", sa.Uuid(), nullable=True))
    op.create_foreign_key("api_key_owner_id_fkey", "api_key", "staff_user", ["owner_id"], ["id"])
    # A key made before owners existed acts for whoever made it; a key nobody made (none
    # should exist) has no owner and is refused.
    op.execute("UPDATE api_key SET owner_id = created_by")


def downgrade() -> None:
    op.drop_constraint("api_key_owner_id_fkey", "api_key", type_="foreignkey")
    op.drop_column("api_key", "owner_id")
