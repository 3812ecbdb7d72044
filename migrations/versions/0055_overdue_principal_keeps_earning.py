"""an overdue installment's principal keeps earning compensatory interest at the loan's TEA:
what close of business added to the installment since its arrears were last settled

Revision ID: 0055
Revises: 0054
Create Date: 2026-12-07 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0055"
down_revision: str | None = "0054"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "loan_installment",
        sa.Column(
            "overdue_interest_accrued", sa.Numeric(18, 2), server_default="0", nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_column("loan_installment", "overdue_interest_accrued")
