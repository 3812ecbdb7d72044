"""webhook secrets sealed at rest: the column holds a Fernet token ("fernet:..."), longer
than the secret; the service seals the secrets an earlier version stored in clear when it
starts (events.sealing.seal_stored: the key is in its settings, not here)

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-07 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0046"
down_revision: str | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column(
        "webhook_endpoint",
        "secret",
        existing_type=sa.String(length=100),
        type_=sa.String(length=500),
        existing_nullable=False,
    )


def downgrade() -> None:
    # a sealed secret does not fit the old column, nor would the old service unseal it
    op.execute(
        "SELECT set_config('coopac.tenant', '*', true);"
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM webhook_endpoint WHERE secret LIKE 'fernet:%') "
        "THEN RAISE EXCEPTION 'webhook secrets are sealed: downgrading would lose them'; "
        "END IF; END $$"
    )
    op.alter_column(
        "webhook_endpoint",
        "secret",
        existing_type=sa.String(length=500),
        type_=sa.String(length=100),
        existing_nullable=False,
    )
