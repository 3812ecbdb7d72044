"""the caller's lookup keeps its plan: coopac_principal in PL/pgSQL

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-27 05:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0004's lookup of a caller, unchanged in what it answers. As an SQL function with its own
# search_path it can be neither inlined nor keep a plan, so every money call (and every
# request that finds its caller) planned the join again. PL/pgSQL keeps the plan for the
# session. bench/money_call.py's call went from 946-1,037 to 1,144-1,192 tps on 2 clients.
BODY = """
    SELECT u.username::text, u.full_name::text, u.cooperative_id, u.is_active,
           u.token_version, g.role::text, g.cooperative_id, g.branch_id
    FROM staff_user u
    LEFT JOIN role_grant g ON g.user_id = u.id
    WHERE u.id = p_user_id
"""
HEAD = """
CREATE OR REPLACE FUNCTION coopac_principal(p_user_id uuid)
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
"""


def upgrade() -> None:
    op.execute(
        HEAD
        + "LANGUAGE plpgsql STABLE SECURITY DEFINER\nSET search_path = public, pg_temp\n"
        + f"AS $$\nBEGIN\n    RETURN QUERY{BODY.rstrip()};\nEND\n$$"
    )


def downgrade() -> None:
    op.execute(
        HEAD
        + "LANGUAGE sql STABLE SECURITY DEFINER\nSET search_path = public, pg_temp\n"
        + f"AS $${BODY}$$"
    )
