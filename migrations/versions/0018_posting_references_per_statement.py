"""posting references checked once per statement: a posting's entry and its GL account (in
its currency) are proved by the statement-level trigger that already proves each entry
balances, instead of one foreign-key lookup and row lock per line; GL accounts are never
deleted (entries are append-only already), so nothing a posting names can disappear

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A month's interest is a million lines in a few statements: each line's two foreign keys
# cost an index lookup and a row lock on the entry and the account (the same few rows, a
# million times), a fifth of the month-end close. One anti-join per statement proves the
# same. The trigger runs as the caller, within its cooperative (row-level security): a line
# naming another cooperative's entry or account finds none and is refused.
CHECK_STATEMENT = """
CREATE OR REPLACE FUNCTION coopac_check_entries_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
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
$$;
"""
BALANCE_ONLY = """
CREATE OR REPLACE FUNCTION coopac_check_entries_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT entry_id, currency INTO bad FROM new_postings
    GROUP BY cooperative_id, entry_id, currency HAVING sum(amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance in %', bad.entry_id, bad.currency
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    op.execute(CHECK_STATEMENT)
    op.drop_constraint("posting_cooperative_id_entry_id_fkey", "posting", type_="foreignkey")
    op.drop_constraint(
        "posting_cooperative_id_gl_account_id_currency_fkey", "posting", type_="foreignkey"
    )
    op.execute(
        "CREATE TRIGGER gl_account_no_delete BEFORE DELETE ON gl_account "
        "FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER gl_account_no_truncate BEFORE TRUNCATE ON gl_account "
        "FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER gl_account_no_truncate ON gl_account")
    op.execute("DROP TRIGGER gl_account_no_delete ON gl_account")
    op.create_foreign_key(
        "posting_cooperative_id_gl_account_id_currency_fkey",
        "posting",
        "gl_account",
        ["cooperative_id", "gl_account_id", "currency"],
        ["cooperative_id", "id", "currency"],
    )
    op.create_foreign_key(
        "posting_cooperative_id_entry_id_fkey",
        "posting",
        "journal_entry",
        ["cooperative_id", "entry_id"],
        ["cooperative_id", "id"],
    )
    op.execute(BALANCE_ONLY)
