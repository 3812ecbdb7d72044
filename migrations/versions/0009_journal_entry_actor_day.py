"""journal entry by person and day: the daily limit sums one person's day, not everyone's

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 02:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_journal_entry_actor_day",
        "journal_entry",
        ["cooperative_id", "actor_user_id", "business_date", "kind"],
    )


def downgrade() -> None:
    op.drop_index("ix_journal_entry_actor_day", table_name="journal_entry")
