"""dead functions dropped: four functions no trigger, function or code calls any more

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 08:20:00

coopac_check_entry_balanced (0002) and coopac_check_entries_balanced (0015, 0018) checked
that entries balance, and coopac_apply_postings (0014) moved member balances, until 0020's
posting trigger (coopac_post_statement) did both; coopac_branch_cash (0020) gave way to the
tills' coopac_counter_cash (0021). From here every coopac_* function in the database has its
current source in src/coopac_core/sql/ (tests/core/test_sql_sources.py).
"""

from collections.abc import Sequence

from alembic import op
from frozen import rls

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEAD = (
    "coopac_check_entry_balanced()",
    "coopac_check_entries_balanced()",
    "coopac_apply_postings()",
    "coopac_branch_cash(uuid, uuid, text, jsonb)",
)

# As they were at 0036, for the downgrade.
DEAD_DEFINITIONS = r"""
CREATE OR REPLACE FUNCTION public.coopac_check_entry_balanced()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    unbalanced text;
BEGIN
    SELECT currency INTO unbalanced FROM posting
     WHERE cooperative_id = NEW.cooperative_id AND entry_id = NEW.entry_id
     GROUP BY currency HAVING sum(amount) <> 0 LIMIT 1;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal entry % does not balance in %', NEW.entry_id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$function$
;
CREATE OR REPLACE FUNCTION public.coopac_apply_postings()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    expected integer;
    moved integer;
BEGIN
    SELECT count(DISTINCT account_id) INTO expected
    FROM new_postings WHERE account_kind = 'savings';
    IF expected > 0 THEN
        UPDATE savings_account a SET balance = a.balance - d.amount
        FROM (SELECT cooperative_id, account_id, sum(amount) AS amount FROM new_postings
              WHERE account_kind = 'savings' GROUP BY cooperative_id, account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> expected THEN
            RAISE EXCEPTION 'posted to % savings accounts, moved %', expected, moved;
        END IF;
    END IF;
    SELECT count(DISTINCT account_id) INTO expected
    FROM new_postings WHERE account_kind = 'share';
    IF expected > 0 THEN
        UPDATE share_account a SET balance = a.balance - d.amount
        FROM (SELECT cooperative_id, account_id, sum(amount) AS amount FROM new_postings
              WHERE account_kind = 'share' GROUP BY cooperative_id, account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> expected THEN
            RAISE EXCEPTION 'posted to % share accounts, moved %', expected, moved;
        END IF;
    END IF;
    SELECT count(DISTINCT account_id) INTO expected
    FROM new_postings WHERE account_kind = 'loan';
    IF expected > 0 THEN
        UPDATE loan a SET balance = a.balance + d.amount
        FROM (SELECT cooperative_id, account_id, sum(amount) AS amount FROM new_postings
              WHERE account_kind = 'loan' GROUP BY cooperative_id, account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> expected THEN
            RAISE EXCEPTION 'posted to % loan accounts, moved %', expected, moved;
        END IF;
    END IF;
    RETURN NULL;
END
$function$
;
CREATE OR REPLACE FUNCTION public.coopac_check_entries_balanced()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    bad record;
BEGIN
    SELECT n.entry_id INTO bad FROM new_postings n
    WHERE NOT EXISTS (SELECT 1 FROM journal_entry e
                      WHERE e.cooperative_id = n.cooperative_id AND e.id = n.entry_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'posting names journal entry %, which does not exist', bad.entry_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT n.gl_account_id, n.currency INTO bad FROM new_postings n
    WHERE NOT EXISTS (SELECT 1 FROM gl_account g
                      WHERE g.cooperative_id = n.cooperative_id AND g.id = n.gl_account_id
                        AND g.currency = n.currency)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'posting names GL account % in %, which does not exist',
            bad.gl_account_id, bad.currency USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT entry_id, currency INTO bad FROM new_postings
    GROUP BY cooperative_id, entry_id, currency HAVING sum(amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance in %', bad.entry_id, bad.currency
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$function$
;
CREATE OR REPLACE FUNCTION public.coopac_branch_cash(
    p_coop uuid, p_branch uuid, p_currency text, p_actor jsonb)
 RETURNS uuid
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_cash uuid;
BEGIN
    IF NOT (p_actor -> 'any_branch')::boolean
       AND (p_actor ->> 'branch') IS DISTINCT FROM p_branch::text THEN
        PERFORM coopac_refuse('branch_not_allowed');
    END IF;
    SELECT g.id INTO v_cash FROM gl_account g
    WHERE g.cooperative_id = p_coop AND g.branch_id = p_branch AND g.currency = p_currency
    LIMIT 1;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('branch_not_found');
    END IF;
    RETURN v_cash;
END
$function$
;
"""


def upgrade() -> None:
    for signature in DEAD:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")


def downgrade() -> None:
    op.execute(DEAD_DEFINITIONS)
    # the two balance checks kept PostgreSQL's default privileges
    for signature in DEAD[2:]:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {DEAD[3]} TO {rls.app_role()}")
