"""statistics after bulk loads: coopac_analyze refreshes the figures of the tables a bulk load
fills (an import approved, the demo) and, before close of business, of those that changed
much since their last ANALYZE; owned by the tables' owner, the only role that may ANALYZE them

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-07 15:20:00
"""

from collections.abc import Sequence

from alembic import op
from alembic_utils.pg_function import PGFunction
from frozen import rls

revision: str = "0045"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "coopac_analyze(text[], boolean)"
ANALYZE = PGFunction(
    schema="public",
    signature="coopac_analyze(p_tables text[], p_stale_only boolean)",
    definition="""returns text[]
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    v_table text;
    v_done text[] := '{}';
BEGIN
    FOR v_table IN
        SELECT s.relname FROM pg_stat_user_tables s
        WHERE s.schemaname = 'public'
            AND s.relname = ANY (p_tables)
            AND s.relname = ANY (ARRAY['member', 'savings_account', 'share_account', 'loan',
                'loan_installment', 'journal_entry', 'posting'])
            AND (NOT p_stale_only
                 OR coalesce(s.last_analyze, s.last_autoanalyze) IS NULL
                 OR s.n_mod_since_analyze > 0.1 * greatest(s.n_live_tup, 1000))
        ORDER BY s.relname
    LOOP
        EXECUTE format('ANALYZE public.%I', v_table);
        v_done := v_done || v_table;
    END LOOP;
    RETURN v_done;
END
$function$""",
)


def upgrade() -> None:
    op.create_entity(ANALYZE)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {rls.app_role()}")
    # the demo loads as the federation's role (every cooperative at once)
    federation = '"' + f"{rls.app_role()[1:-1]}_federation" + '"'
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {federation}")


def downgrade() -> None:
    op.drop_entity(ANALYZE)  # type: ignore[attr-defined]
