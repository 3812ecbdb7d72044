"""idempotency retention: keys older than the retention are removed by close of business,
through a function (the service's role deletes no idempotency key itself)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 13:10:00
"""

from collections.abc import Sequence

from alembic import op
from frozen import rls

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXPIRE_FUNCTION = """
CREATE FUNCTION coopac_expire_idempotency_keys(p_cooperative_id uuid, p_before timestamptz)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM idempotency_key
        WHERE cooperative_id = p_cooperative_id AND created_at < p_before
        RETURNING 1
    )
    SELECT count(*) FROM gone
$$;
REVOKE ALL ON FUNCTION coopac_expire_idempotency_keys(uuid, timestamptz) FROM PUBLIC;
"""


def upgrade() -> None:
    op.create_index(
        "ix_idempotency_key_created", "idempotency_key", ["cooperative_id", "created_at"]
    )
    op.execute(EXPIRE_FUNCTION)
    op.execute(
        "GRANT EXECUTE ON FUNCTION coopac_expire_idempotency_keys(uuid, timestamptz) "
        f"TO {rls.app_role()}"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS coopac_expire_idempotency_keys(uuid, timestamptz)")
    op.drop_index("ix_idempotency_key_created", table_name="idempotency_key")
