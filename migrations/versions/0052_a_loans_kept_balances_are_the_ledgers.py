"""a loan's balances beside its principal (interest in suspense, provisions, written-off
debt) are kept by the lines that name it with their part, moved by the posting trigger, and
the application's role may no longer write them. What existing loans hold is attributed to
each on an entry of its own (net zero on every account), so that verify-ledger proves each
loan's from its lines; the events name only the lines that move a member account.

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

from alembic import op
from alembic_utils.pg_function import PGFunction
from frozen import rls

revision: str = "0052"
down_revision: str | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TAKEN = (
    "UPDATE (suspended_interest, suspended_moratory, provision_specific, provision_generic, "
    "written_off_balance) ON loan"
)

NEW_COOPAC_POST_STATEMENT = PGFunction(
    schema="public",
    signature="coopac_post_statement()",
    definition="""returns trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
    v_savings integer;
    v_shares integer;
    v_loans integer;
    v_cash integer;
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
    -- Each kind of account is moved by a statement of its own, run only when the entry
    -- posts to that kind: a deposit starts the executor for two tables, not four.
    SELECT count(*) FILTER (WHERE d.account_kind = 'savings'),
           count(*) FILTER (WHERE d.account_kind = 'share'),
           count(*) FILTER (WHERE d.account_kind = 'loan'),
           (SELECT count(*) FROM new_postings n WHERE n.account_kind IS NULL)
    INTO v_savings, v_shares, v_loans, v_cash
    FROM (SELECT DISTINCT CASE WHEN n.account_kind LIKE 'loan%' THEN 'loan'
                               ELSE n.account_kind END AS account_kind, n.account_id
          FROM new_postings n WHERE n.account_kind IS NOT NULL) d;
    IF v_savings > 0 THEN
        UPDATE savings_account a SET balance = a.balance - d.amount
        FROM (SELECT n.cooperative_id, n.account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind = 'savings'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_savings THEN
            RAISE EXCEPTION 'posted to % savings accounts, moved %', v_savings, moved;
        END IF;
    END IF;
    IF v_shares > 0 THEN
        UPDATE share_account a SET balance = a.balance - d.amount
        FROM (SELECT n.cooperative_id, n.account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind = 'share'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_shares THEN
            RAISE EXCEPTION 'posted to % share accounts, moved %', v_shares, moved;
        END IF;
    END IF;
    IF v_loans > 0 THEN
        -- and its parts: what is posted on its vencidos and judicial accounts, and on the
        -- lines that name its kept balances, each on its account (the application's role
        -- may not write them; verify-ledger proves them the same way). A part on another
        -- account leaves its loan unmoved, and the count below refuses the statement.
        UPDATE loan a SET balance = a.balance + d.amount,
            overdue_balance = a.overdue_balance + d.overdue,
            judicial_balance = a.judicial_balance + d.judicial,
            suspended_interest = a.suspended_interest + d.interest,
            suspended_moratory = a.suspended_moratory + d.moratory,
            provision_specific = a.provision_specific - d.specific,
            provision_generic = a.provision_generic - d.generic,
            written_off_balance = a.written_off_balance + d.written_off
        FROM (SELECT n.cooperative_id, n.account_id,
                  coalesce(sum(n.amount) FILTER (WHERE n.account_kind = 'loan'), 0) AS amount,
                  coalesce(sum(n.amount) FILTER (WHERE n.account_kind = 'loan'
                      AND n.gl_account_id = l.overdue_gl_account_id), 0) AS overdue,
                  coalesce(sum(n.amount) FILTER (WHERE n.account_kind = 'loan'
                      AND n.gl_account_id = l.judicial_gl_account_id), 0) AS judicial,
                  coalesce(sum(n.amount) FILTER (
                      WHERE n.account_kind = 'loan_interest'), 0) AS interest,
                  coalesce(sum(n.amount) FILTER (
                      WHERE n.account_kind = 'loan_moratory'), 0) AS moratory,
                  coalesce(sum(n.amount) FILTER (
                      WHERE n.account_kind = 'loan_specific'), 0) AS specific,
                  coalesce(sum(n.amount) FILTER (
                      WHERE n.account_kind = 'loan_generic'), 0) AS generic,
                  coalesce(sum(n.amount) FILTER (
                      WHERE n.account_kind = 'loan_written_off'), 0) AS written_off,
                  bool_and(coalesce(n.account_kind = 'loan' OR g.code LIKE
                      CASE n.account_kind WHEN 'loan_interest' THEN '81_4'
                          WHEN 'loan_moratory' THEN '81_4'
                          WHEN 'loan_specific' THEN '14_9.01'
                          WHEN 'loan_generic' THEN '14_9.02'
                          WHEN 'loan_written_off' THEN '81_3' END, false)) AS placed
              FROM new_postings n
              JOIN loan l ON l.cooperative_id = n.cooperative_id AND l.id = n.account_id
              LEFT JOIN gl_account g ON n.account_kind <> 'loan'
                  AND g.cooperative_id = n.cooperative_id AND g.id = n.gl_account_id
              WHERE n.account_kind LIKE 'loan%'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id AND d.placed;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_loans THEN
            RAISE EXCEPTION 'posted to % loan accounts (or their parts), moved %',
                v_loans, moved;
        END IF;
    END IF;
    IF v_cash > 0 THEN
        UPDATE till_cash c SET balance = c.balance + g.amount
        FROM (SELECT n.cooperative_id, n.gl_account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind IS NULL
              GROUP BY n.cooperative_id, n.gl_account_id) g
        WHERE c.cooperative_id = g.cooperative_id AND c.gl_account_id = g.gl_account_id;
    END IF;
    RETURN NULL;
END
$function$""",
)

OLD_COOPAC_POST_STATEMENT = PGFunction(
    schema="public",
    signature="coopac_post_statement()",
    definition="""returns trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
    v_savings integer;
    v_shares integer;
    v_loans integer;
    v_cash integer;
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
    -- Each kind of account is moved by a statement of its own, run only when the entry
    -- posts to that kind: a deposit starts the executor for two tables, not four.
    SELECT count(*) FILTER (WHERE d.account_kind = 'savings'),
           count(*) FILTER (WHERE d.account_kind = 'share'),
           count(*) FILTER (WHERE d.account_kind = 'loan'),
           (SELECT count(*) FROM new_postings n WHERE n.account_kind IS NULL)
    INTO v_savings, v_shares, v_loans, v_cash
    FROM (SELECT DISTINCT n.account_kind, n.account_id FROM new_postings n
          WHERE n.account_kind IS NOT NULL) d;
    IF v_savings > 0 THEN
        UPDATE savings_account a SET balance = a.balance - d.amount
        FROM (SELECT n.cooperative_id, n.account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind = 'savings'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_savings THEN
            RAISE EXCEPTION 'posted to % savings accounts, moved %', v_savings, moved;
        END IF;
    END IF;
    IF v_shares > 0 THEN
        UPDATE share_account a SET balance = a.balance - d.amount
        FROM (SELECT n.cooperative_id, n.account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind = 'share'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_shares THEN
            RAISE EXCEPTION 'posted to % share accounts, moved %', v_shares, moved;
        END IF;
    END IF;
    IF v_loans > 0 THEN
        -- and its parts: what is posted on its vencidos and judicial accounts (the
        -- application's role may not write them; verify-ledger proves them the same way)
        UPDATE loan a SET balance = a.balance + d.amount,
            overdue_balance = a.overdue_balance + d.overdue,
            judicial_balance = a.judicial_balance + d.judicial
        FROM (SELECT n.cooperative_id, n.account_id, sum(n.amount) AS amount,
                  coalesce(sum(n.amount) FILTER (
                      WHERE n.gl_account_id = l.overdue_gl_account_id), 0) AS overdue,
                  coalesce(sum(n.amount) FILTER (
                      WHERE n.gl_account_id = l.judicial_gl_account_id), 0) AS judicial
              FROM new_postings n
              JOIN loan l ON l.cooperative_id = n.cooperative_id AND l.id = n.account_id
              WHERE n.account_kind = 'loan'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_loans THEN
            RAISE EXCEPTION 'posted to % loan accounts, moved %', v_loans, moved;
        END IF;
    END IF;
    IF v_cash > 0 THEN
        UPDATE till_cash c SET balance = c.balance + g.amount
        FROM (SELECT n.cooperative_id, n.gl_account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind IS NULL
              GROUP BY n.cooperative_id, n.gl_account_id) g
        WHERE c.cooperative_id = g.cooperative_id AND c.gl_account_id = g.gl_account_id;
    END IF;
    RETURN NULL;
END
$function$""",
)

NEW_COOPAC_ENTRY_EVENTS = PGFunction(
    schema="public",
    signature="coopac_entry_events()",
    definition="""returns trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, entry_id,
        business_date, data)
    SELECT e.cooperative_id, gen_random_uuid(),
        CASE e.kind WHEN 'loan_disbursement' THEN 'loan.disbursed'
                    WHEN 'loan_repayment' THEN 'loan.repaid'
                    WHEN 'loan_write_off' THEN 'loan.written_off'
                    ELSE 'money.' || e.kind END,
        CASE WHEN e.kind IN ('loan_disbursement', 'loan_repayment', 'loan_write_off')
                  AND c.loan_id IS NOT NULL THEN 'loan' ELSE 'journal_entry' END,
        CASE WHEN e.kind IN ('loan_disbursement', 'loan_repayment', 'loan_write_off')
                  AND c.loan_id IS NOT NULL THEN c.loan_id ELSE e.id END::text,
        e.id, e.business_date,
        jsonb_build_object(
            'entry_id', e.id, 'kind', e.kind, 'business_date', e.business_date,
            'branch_id', e.branch_id, 'channel', e.channel, 'reversal_of', e.reversal_of,
            'description', e.description, 'actor', e.actor_name,
            'amounts', coalesce(a.amounts, '{}'::jsonb),
            'accounts', coalesce(m.accounts, '[]'::jsonb), 'accounts_total', c.n)
    FROM (SELECT DISTINCT cooperative_id, entry_id FROM new_postings) n
    JOIN journal_entry e ON e.cooperative_id = n.cooperative_id AND e.id = n.entry_id
    CROSS JOIN LATERAL (
        SELECT jsonb_object_agg(t.currency, coopac_amount_json(t.total)) AS amounts
        FROM (SELECT p.currency, sum(p.amount) AS total FROM new_postings p
              WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
                AND p.amount > 0
              GROUP BY p.currency) t
    ) a
    CROSS JOIN LATERAL (
        SELECT count(*) AS n,
            (array_agg(p.account_id) FILTER (WHERE p.account_kind = 'loan'))[1] AS loan_id
        FROM new_postings p
        WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
          AND p.account_kind IN ('savings', 'share', 'loan')
    ) c
    -- the accounts' numbers and members, looked up for the first 100 lines only
    CROSS JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object(
                'account_kind', l.account_kind, 'account_id', l.account_id,
                'member_id', coalesce(s.member_id, h.member_id, o.member_id),
                'number', coalesce(s.number, o.number), 'currency', l.currency,
                'change', coopac_amount_json(
                    CASE l.account_kind WHEN 'loan' THEN l.amount ELSE -l.amount END),
                'balance_after', coopac_amount_json(l.balance_after))
                ORDER BY l.id) AS accounts
        FROM (
            SELECT p.* FROM new_postings p
            WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
              AND p.account_kind IN ('savings', 'share', 'loan')
            ORDER BY p.id LIMIT 100
        ) l
        LEFT JOIN savings_account s ON l.account_kind = 'savings'
            AND s.cooperative_id = l.cooperative_id AND s.id = l.account_id
        LEFT JOIN share_account h ON l.account_kind = 'share'
            AND h.cooperative_id = l.cooperative_id AND h.id = l.account_id
        LEFT JOIN loan o ON l.account_kind = 'loan'
            AND o.cooperative_id = l.cooperative_id AND o.id = l.account_id
    ) m
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$function$""",
)

OLD_COOPAC_ENTRY_EVENTS = PGFunction(
    schema="public",
    signature="coopac_entry_events()",
    definition="""returns trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, entry_id,
        business_date, data)
    SELECT e.cooperative_id, gen_random_uuid(),
        CASE e.kind WHEN 'loan_disbursement' THEN 'loan.disbursed'
                    WHEN 'loan_repayment' THEN 'loan.repaid'
                    WHEN 'loan_write_off' THEN 'loan.written_off'
                    ELSE 'money.' || e.kind END,
        CASE WHEN e.kind IN ('loan_disbursement', 'loan_repayment', 'loan_write_off')
                  AND c.loan_id IS NOT NULL THEN 'loan' ELSE 'journal_entry' END,
        CASE WHEN e.kind IN ('loan_disbursement', 'loan_repayment', 'loan_write_off')
                  AND c.loan_id IS NOT NULL THEN c.loan_id ELSE e.id END::text,
        e.id, e.business_date,
        jsonb_build_object(
            'entry_id', e.id, 'kind', e.kind, 'business_date', e.business_date,
            'branch_id', e.branch_id, 'channel', e.channel, 'reversal_of', e.reversal_of,
            'description', e.description, 'actor', e.actor_name,
            'amounts', coalesce(a.amounts, '{}'::jsonb),
            'accounts', coalesce(m.accounts, '[]'::jsonb), 'accounts_total', c.n)
    FROM (SELECT DISTINCT cooperative_id, entry_id FROM new_postings) n
    JOIN journal_entry e ON e.cooperative_id = n.cooperative_id AND e.id = n.entry_id
    CROSS JOIN LATERAL (
        SELECT jsonb_object_agg(t.currency, coopac_amount_json(t.total)) AS amounts
        FROM (SELECT p.currency, sum(p.amount) AS total FROM new_postings p
              WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
                AND p.amount > 0
              GROUP BY p.currency) t
    ) a
    CROSS JOIN LATERAL (
        SELECT count(*) AS n,
            (array_agg(p.account_id) FILTER (WHERE p.account_kind = 'loan'))[1] AS loan_id
        FROM new_postings p
        WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
          AND p.account_id IS NOT NULL
    ) c
    -- the accounts' numbers and members, looked up for the first 100 lines only
    CROSS JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object(
                'account_kind', l.account_kind, 'account_id', l.account_id,
                'member_id', coalesce(s.member_id, h.member_id, o.member_id),
                'number', coalesce(s.number, o.number), 'currency', l.currency,
                'change', coopac_amount_json(
                    CASE l.account_kind WHEN 'loan' THEN l.amount ELSE -l.amount END),
                'balance_after', coopac_amount_json(l.balance_after))
                ORDER BY l.id) AS accounts
        FROM (
            SELECT p.* FROM new_postings p
            WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
              AND p.account_id IS NOT NULL
            ORDER BY p.id LIMIT 100
        ) l
        LEFT JOIN savings_account s ON l.account_kind = 'savings'
            AND s.cooperative_id = l.cooperative_id AND s.id = l.account_id
        LEFT JOIN share_account h ON l.account_kind = 'share'
            AND h.cooperative_id = l.cooperative_id AND h.id = l.account_id
        LEFT JOIN loan o ON l.account_kind = 'loan'
            AND o.cooperative_id = l.cooperative_id AND o.id = l.account_id
    ) m
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$function$""",
)


# Each loan's parts as they are, as of this migration: (part, column, its account's code
# with the currency digit in place of "_", sign of the line that raises it).
_PARTS = (
    ("loan_interest", "suspended_interest", "81{c}4", 1),
    ("loan_moratory", "suspended_moratory", "81{c}4", 1),
    ("loan_specific", "provision_specific", "14{c}9.01", -1),
    ("loan_generic", "provision_generic", "14{c}9.02", -1),
    ("loan_written_off", "written_off_balance", "81{c}3", 1),
)
_HELD = " OR ".join(f"{column} <> 0" for _, column, _, _ in _PARTS)


def _attribute() -> None:
    """What each loan's parts hold goes on an entry per cooperative, on lines that name it,
    against one line per account that does not: the books do not change. The parts are
    set to zero first, for the trigger moves them back with the lines."""
    op.execute("SELECT set_config('coopac.tenant', '*', true)")  # every cooperative's rows
    parts = " UNION ALL ".join(
        f"SELECT l.cooperative_id, l.id, l.currency, '{part}' AS part, "
        f"replace('{code}', '{{c}}', CASE l.currency WHEN 'PEN' THEN '1' ELSE '2' END) AS code, "
        f"{sign} * l.{column} AS amount FROM loan l WHERE l.{column} <> 0"
        for part, column, code, sign in _PARTS
    )
    op.execute(f"CREATE TEMP TABLE held_part ON COMMIT DROP AS {parts}")
    op.execute(
        "CREATE TEMP TABLE part_entry ON COMMIT DROP AS "
        "SELECT c.id AS cooperative_id, gen_random_uuid() AS entry_id, c.business_date "
        "FROM cooperative c WHERE c.id IN (SELECT cooperative_id FROM held_part)"
    )
    op.execute(
        "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, value_date, "
        "description, actor_name) "
        "SELECT cooperative_id, entry_id, 'loan_parts', business_date, business_date, "
        "'Saldos de cada crédito (suspenso, provisiones, castigo) en sus propias líneas', "
        "'coopac migrate 0052' FROM part_entry"
    )
    op.execute(f"UPDATE loan SET {', '.join(f'{c} = 0' for _, c, _, _ in _PARTS)} WHERE {_HELD}")
    op.execute(
        "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
        "account_kind, account_id, business_date, value_date) "
        "SELECT h.cooperative_id, e.entry_id, g.id, h.currency, h.amount, h.part, h.id, "
        "e.business_date, e.business_date "
        "FROM held_part h JOIN part_entry e ON e.cooperative_id = h.cooperative_id "
        "JOIN gl_account g ON g.cooperative_id = h.cooperative_id AND g.code = h.code "
        "UNION ALL "
        "SELECT h.cooperative_id, e.entry_id, g.id, h.currency, -sum(h.amount), NULL, NULL, "
        "e.business_date, e.business_date "
        "FROM held_part h JOIN part_entry e ON e.cooperative_id = h.cooperative_id "
        "JOIN gl_account g ON g.cooperative_id = h.cooperative_id AND g.code = h.code "
        "GROUP BY h.cooperative_id, e.entry_id, g.id, h.currency, e.business_date"
    )


def _roles() -> list[str]:
    app = rls.app_role()
    return [app, '"' + f"{app[1:-1]}_federation" + '"']


def upgrade() -> None:
    op.replace_entity(NEW_COOPAC_POST_STATEMENT)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.replace_entity(NEW_COOPAC_ENTRY_EVENTS)  # type: ignore[attr-defined]
    _attribute()
    for role in _roles():
        op.execute(f"REVOKE {TAKEN} FROM {role}")


def downgrade() -> None:
    for role in _roles():
        op.execute(f"GRANT {TAKEN} TO {role}")
    op.replace_entity(OLD_COOPAC_ENTRY_EVENTS)  # type: ignore[attr-defined]
    op.replace_entity(OLD_COOPAC_POST_STATEMENT)  # type: ignore[attr-defined]
