"""member status document: the letter or certificate behind a withdrawal or a death

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 02:19:34.965456
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("member", sa.Column("status_document", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("member", "status_document")
