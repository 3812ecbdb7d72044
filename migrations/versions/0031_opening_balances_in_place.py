"""opening balances in place: an account opened with its opening balance already in it (as
an import opens them) is checked by the posting trigger, not moved a second time

Revision ID: 0031
Revises: 0030
Create Date: 2026-11-27 04:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0021's posting trigger, and one more case. Moving 150,000 balances that the import has
# just written as zero cost more than writing the accounts themselves (every moved row is
# a new row version, with its indexes, in the WAL). So an opening balance may already be in
# the account it opens: the trigger then proves, instead of moving, that the account holds
# exactly what the entry posts to it and has no posting before it. verify-ledger proves the
# same afterwards, as for every balance.
FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION coopac_post_statement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_entry uuid;
    v_entries uuid[];
    v_opening boolean;
    v_other boolean;
    v_gl uuid;
    v_gl_currency text;
    v_unbalanced uuid;
    v_unbalanced_currency text;
    expected integer;
    found_accounts integer;
    moved integer;
    v_earlier uuid;
    v_holds uuid;
    v_holds_balance numeric;
    v_holds_delta numeric;
BEGIN
    SELECT e.missing, e.entries, e.opening, e.other,
        g.gl_account_id, g.currency, b.entry_id, b.currency
    INTO v_entry, v_entries, v_opening, v_other,
        v_gl, v_gl_currency, v_unbalanced, v_unbalanced_currency
    FROM (
        SELECT (array_agg(x.entry_id) FILTER (WHERE j.id IS NULL))[1] AS missing,
            array_agg(x.entry_id) AS entries,
            coalesce(bool_or(j.kind = 'opening_balance'), false) AS opening,
            coalesce(bool_or(j.kind <> 'opening_balance'), false) AS other
        FROM (SELECT DISTINCT n.cooperative_id, n.entry_id FROM new_postings n) x
        LEFT JOIN journal_entry j ON j.cooperative_id = x.cooperative_id AND j.id = x.entry_id
    ) e
    LEFT JOIN LATERAL (
        SELECT n.gl_account_id, n.currency
        FROM (SELECT DISTINCT n.cooperative_id, n.gl_account_id, n.currency
              FROM new_postings n) n
        WHERE NOT EXISTS (SELECT 1 FROM gl_account g
                          WHERE g.cooperative_id = n.cooperative_id
                            AND g.id = n.gl_account_id AND g.currency = n.currency)
        LIMIT 1) g ON true
    LEFT JOIN LATERAL (
        SELECT n.entry_id, n.currency FROM new_postings n
        GROUP BY n.cooperative_id, n.entry_id, n.currency HAVING sum(n.amount) <> 0
        LIMIT 1) b ON true;
    IF v_entry IS NOT NULL THEN
        RAISE EXCEPTION 'posting names journal entry %, which does not exist', v_entry
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF v_gl IS NOT NULL THEN
        RAISE EXCEPTION 'posting names GL account % in %, which does not exist',
            v_gl, v_gl_currency USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF v_unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal entry % does not balance in %', v_unbalanced,
            v_unbalanced_currency USING ERRCODE = 'check_violation';
    END IF;
    IF v_opening THEN
        IF v_other THEN
            RAISE EXCEPTION 'an opening balance is posted in a statement of its own'
                USING ERRCODE = 'check_violation';
        END IF;
        -- An opening balance comes before every other movement of its account. The account
        -- holds either nothing (it is moved, as any posting moves it) or exactly what the
        -- entry posts (it was opened with it: checked, not moved again); anything else is
        -- refused. delta is what the postings do to the holder's balance.
        -- (joined from the postings themselves, whose count the planner knows: an
        -- import's 150,000 lines are hashed, not probed one by one)
        WITH a AS (
            SELECT n.account_kind, n.cooperative_id, n.account_id,
                CASE n.account_kind WHEN 'loan' THEN sum(n.amount) ELSE -sum(n.amount) END
                    AS delta,
                min(coalesce(x.balance, y.balance, z.balance)) AS balance,
                bool_and(coalesce(x.id, y.id, z.id) IS NOT NULL) AS found
            FROM new_postings n
            LEFT JOIN savings_account x ON n.account_kind = 'savings'
                AND x.cooperative_id = n.cooperative_id AND x.id = n.account_id
            LEFT JOIN share_account y ON n.account_kind = 'share'
                AND y.cooperative_id = n.cooperative_id AND y.id = n.account_id
            LEFT JOIN loan z ON n.account_kind = 'loan'
                AND z.cooperative_id = n.cooperative_id AND z.id = n.account_id
            WHERE n.account_kind IS NOT NULL
            GROUP BY n.account_kind, n.cooperative_id, n.account_id
        ), m AS (
            SELECT * FROM a WHERE a.found AND a.balance = 0 AND a.delta <> 0
        ), moved_savings AS (
            UPDATE savings_account x SET balance = x.balance + m.delta FROM m
            WHERE m.account_kind = 'savings' AND x.cooperative_id = m.cooperative_id
                AND x.id = m.account_id
            RETURNING 1
        ), moved_shares AS (
            UPDATE share_account x SET balance = x.balance + m.delta FROM m
            WHERE m.account_kind = 'share' AND x.cooperative_id = m.cooperative_id
                AND x.id = m.account_id
            RETURNING 1
        ), moved_loans AS (
            UPDATE loan x SET balance = x.balance + m.delta FROM m
            WHERE m.account_kind = 'loan' AND x.cooperative_id = m.cooperative_id
                AND x.id = m.account_id
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM a WHERE a.found),
            (SELECT count(*) FROM moved_savings) + (SELECT count(*) FROM moved_shares)
                + (SELECT count(*) FROM moved_loans),
            o.account_id, o.balance, o.delta
        INTO expected, found_accounts, moved, v_holds, v_holds_balance, v_holds_delta
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (SELECT * FROM a WHERE a.found AND a.balance <> 0
                               AND a.balance <> a.delta LIMIT 1) o ON true;
        SELECT n.account_id INTO v_earlier FROM new_postings n
        WHERE n.account_kind IS NOT NULL AND EXISTS (
            SELECT 1 FROM posting p WHERE p.cooperative_id = n.cooperative_id
                AND p.account_id = n.account_id AND p.account_kind = n.account_kind
                AND p.entry_id <> ALL (v_entries))
        LIMIT 1;
        IF found_accounts <> expected THEN
            RAISE EXCEPTION 'posted to % member accounts, found %', expected, found_accounts;
        END IF;
        IF v_earlier IS NOT NULL THEN
            RAISE EXCEPTION 'opening balance of account %, which has earlier postings',
                v_earlier USING ERRCODE = 'check_violation';
        END IF;
        IF v_holds IS NOT NULL THEN
            RAISE EXCEPTION 'account % holds % before an opening balance of %', v_holds,
                v_holds_balance, v_holds_delta USING ERRCODE = 'check_violation';
        END IF;
        -- the GL side moves a till's cash as in any entry
        UPDATE till_cash c SET balance = c.balance + g.amount
        FROM (SELECT n.cooperative_id, n.gl_account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind IS NULL
              GROUP BY n.cooperative_id, n.gl_account_id) g
        WHERE c.cooperative_id = g.cooperative_id AND c.gl_account_id = g.gl_account_id;
        RETURN NULL;
    END IF;
    WITH d AS (
        SELECT n.account_kind, n.cooperative_id, n.account_id, sum(n.amount) AS amount
        FROM new_postings n WHERE n.account_kind IS NOT NULL
        GROUP BY n.account_kind, n.cooperative_id, n.account_id
    ), s AS (
        UPDATE savings_account a SET balance = a.balance - d.amount FROM d
        WHERE d.account_kind = 'savings' AND a.cooperative_id = d.cooperative_id
            AND a.id = d.account_id
        RETURNING 1
    ), h AS (
        UPDATE share_account a SET balance = a.balance - d.amount FROM d
        WHERE d.account_kind = 'share' AND a.cooperative_id = d.cooperative_id
            AND a.id = d.account_id
        RETURNING 1
    ), l AS (
        UPDATE loan a SET balance = a.balance + d.amount FROM d
        WHERE d.account_kind = 'loan' AND a.cooperative_id = d.cooperative_id
            AND a.id = d.account_id
        RETURNING 1
    ), t AS (
        UPDATE till_cash c SET balance = c.balance + g.amount
        FROM (SELECT n.cooperative_id, n.gl_account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind IS NULL
              GROUP BY n.cooperative_id, n.gl_account_id) g
        WHERE c.cooperative_id = g.cooperative_id AND c.gl_account_id = g.gl_account_id
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM d),
           (SELECT count(*) FROM s) + (SELECT count(*) FROM h) + (SELECT count(*) FROM l)
    INTO expected, moved;
    IF moved <> expected THEN
        RAISE EXCEPTION 'posted to % member accounts, moved %', expected, moved;
    END IF;
    RETURN NULL;
END
$$;
"""

# Back to 0021: its coopac_post_statement.
PREVIOUS_POST_STATEMENT = r"""CREATE OR REPLACE FUNCTION coopac_post_statement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_entry uuid;
    v_gl uuid;
    v_gl_currency text;
    v_unbalanced uuid;
    v_unbalanced_currency text;
    expected integer;
    moved integer;
BEGIN
    SELECT
        (SELECT n.entry_id FROM new_postings n
         WHERE NOT EXISTS (SELECT 1 FROM journal_entry e
                           WHERE e.cooperative_id = n.cooperative_id AND e.id = n.entry_id)
         LIMIT 1),
        g.gl_account_id, g.currency, b.entry_id, b.currency
    INTO v_entry, v_gl, v_gl_currency, v_unbalanced, v_unbalanced_currency
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (
        SELECT n.gl_account_id, n.currency FROM new_postings n
        WHERE NOT EXISTS (SELECT 1 FROM gl_account g
                          WHERE g.cooperative_id = n.cooperative_id
                            AND g.id = n.gl_account_id AND g.currency = n.currency)
        LIMIT 1) g ON true
    LEFT JOIN LATERAL (
        SELECT n.entry_id, n.currency FROM new_postings n
        GROUP BY n.cooperative_id, n.entry_id, n.currency HAVING sum(n.amount) <> 0
        LIMIT 1) b ON true;
    IF v_entry IS NOT NULL THEN
        RAISE EXCEPTION 'posting names journal entry %, which does not exist', v_entry
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF v_gl IS NOT NULL THEN
        RAISE EXCEPTION 'posting names GL account % in %, which does not exist',
            v_gl, v_gl_currency USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF v_unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal entry % does not balance in %', v_unbalanced,
            v_unbalanced_currency USING ERRCODE = 'check_violation';
    END IF;
    WITH d AS (
        SELECT n.account_kind, n.cooperative_id, n.account_id, sum(n.amount) AS amount
        FROM new_postings n WHERE n.account_kind IS NOT NULL
        GROUP BY n.account_kind, n.cooperative_id, n.account_id
    ), s AS (
        UPDATE savings_account a SET balance = a.balance - d.amount FROM d
        WHERE d.account_kind = 'savings' AND a.cooperative_id = d.cooperative_id
            AND a.id = d.account_id
        RETURNING 1
    ), h AS (
        UPDATE share_account a SET balance = a.balance - d.amount FROM d
        WHERE d.account_kind = 'share' AND a.cooperative_id = d.cooperative_id
            AND a.id = d.account_id
        RETURNING 1
    ), l AS (
        UPDATE loan a SET balance = a.balance + d.amount FROM d
        WHERE d.account_kind = 'loan' AND a.cooperative_id = d.cooperative_id
            AND a.id = d.account_id
        RETURNING 1
    ), t AS (
        UPDATE till_cash c SET balance = c.balance + g.amount
        FROM (SELECT n.cooperative_id, n.gl_account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind IS NULL
              GROUP BY n.cooperative_id, n.gl_account_id) g
        WHERE c.cooperative_id = g.cooperative_id AND c.gl_account_id = g.gl_account_id
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM d),
           (SELECT count(*) FROM s) + (SELECT count(*) FROM h) + (SELECT count(*) FROM l)
    INTO expected, moved;
    IF moved <> expected THEN
        RAISE EXCEPTION 'posted to % member accounts, moved %', expected, moved;
    END IF;
    RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    op.execute(FUNCTIONS)


def downgrade() -> None:
    op.execute(PREVIOUS_POST_STATEMENT)
