"""principal lookup: one call, without opening the transaction to every tenant

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 21:35:00
"""

from collections.abc import Sequence

from alembic import op
from frozen import rls

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every request starts by finding who holds the token: the user and their grants, whose
# rows row-level security would otherwise show only once the transaction is opened to all
# tenants (a round trip of its own). The function runs as the schema's owner, returns
# only that one user's rows, and is callable by the service's role alone.
PRINCIPAL_FUNCTION = """
CREATE FUNCTION coopac_principal(p_user_id uuid)
RETURNS TABLE (
    username text,
    full_name text,
    cooperative_id uuid,
    is_active boolean,
    token_version integer,
    role text,
    grant_cooperative_id uuid,
    branch_id uuid
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT u.username::text, u.full_name::text, u.cooperative_id, u.is_active,
           u.token_version, g.role::text, g.cooperative_id, g.branch_id
    FROM staff_user u
    LEFT JOIN role_grant g ON g.user_id = u.id
    WHERE u.id = p_user_id
$$;
REVOKE ALL ON FUNCTION coopac_principal(uuid) FROM PUBLIC;
"""


def upgrade() -> None:
    op.execute(PRINCIPAL_FUNCTION)
    op.execute(f"GRANT EXECUTE ON FUNCTION coopac_principal(uuid) TO {rls.app_role()}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS coopac_principal(uuid)")
