"""the debit's dating planned once a session: coopac_savings_moved in PL/pgSQL, whose plan a
session keeps, instead of SQL, whose body PostgreSQL plans again at every call (a transfer
measured 14% slower with it, bench/ab.py against 5033961)

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-07 11:41:05.931032
"""

from collections.abc import Sequence

from alembic import op
from alembic_utils.pg_function import PGFunction

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COOPAC_SAVINGS_MOVED = PGFunction(
    schema="public",
    signature="coopac_savings_moved(p_coop uuid, p_account uuid, p_day date)",
    definition="""returns void
 LANGUAGE plpgsql
AS $function$
BEGIN
    UPDATE savings_account a SET last_movement_on = p_day
    WHERE a.cooperative_id = p_coop AND a.id = p_account
        AND a.last_movement_on IS DISTINCT FROM p_day;
END
$function$""",
)

OLD_COOPAC_SAVINGS_MOVED = PGFunction(
    schema="public",
    signature="coopac_savings_moved(p_coop uuid, p_account uuid, p_day date)",
    definition="""returns void
 LANGUAGE sql
AS $function$
    UPDATE savings_account a SET last_movement_on = p_day
    WHERE a.cooperative_id = p_coop AND a.id = p_account
        AND a.last_movement_on IS DISTINCT FROM p_day
$function$""",
)


def upgrade() -> None:
    op.replace_entity(NEW_COOPAC_SAVINGS_MOVED)  # type: ignore[attr-defined]  # alembic_utils adds it


def downgrade() -> None:
    op.replace_entity(OLD_COOPAC_SAVINGS_MOVED)  # type: ignore[attr-defined]
