"""hot rows last: a till's cash, its receipt series and the person's daily total are taken
at the end of a money operation, so that one till's operations queue behind each other only
for the end of theirs

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-27 07:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Three rows are shared by every operation at one till: its cash (till_cash), its receipt
# series and its teller's daily total. Each is held from the moment it is taken to the
# commit, so whatever runs after the first of them runs one operation at a time per till.
# Before, the cash was locked first (coopac_session_cash), and then the limit, the entry,
# its lines, its event and the receipt ran under it. Now:
# - coopac_session_cash locks the till's cash only where a rule reads its balance: an
#   operation that takes cash out (never below zero) or one that brings cash into a till
#   with a ceiling. Cash brought into a till without one is locked when the posting
#   trigger moves it, after the entry, its lines and its event are written.
# - coopac_post checks the limits (the daily total's row) after the receipt, last. A
#   refusal rolls everything back, so the order changes nothing that is booked; the till's
#   refusals (closed, below zero, above the ceiling) still come before the limit's.
# - coopac_issue_receipt refuses a session that is no longer open, read when the till's
#   cash is already locked: closing a session locks its till's cash before it counts it, so
#   a close either committed before (and is seen here) or waits for this operation (and
#   counts it). The session's status read at the start, without the lock, cannot be the
#   last word.
# One till's order is the same for every writer: cash, receipt series, daily total.
SESSION_CASH = r"""
CREATE OR REPLACE FUNCTION coopac_session_cash(
    p_coop uuid, p_session uuid, p_currency text, p_delta numeric,
    OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid
) LANGUAGE plpgsql AS $$
DECLARE
    v record;
    v_read boolean := false;  -- the till read as its rules need it
BEGIN
    -- cash brought into a till without a ceiling needs nothing of its balance: read
    -- unlocked; a rule that reads the balance reads it locked
    IF p_delta >= 0 THEN
        SELECT s.id, s.status, s.branch_id, s.business_date, c.gl_account_id, c.balance,
            c.ceiling INTO v
        FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
            AND c.till_id = s.till_id AND c.currency = p_currency
        WHERE s.cooperative_id = p_coop AND s.id = p_session;
        v_read := v.ceiling IS NULL;
    END IF;
    IF NOT v_read THEN
        SELECT s.id, s.status, s.branch_id, s.business_date, c.gl_account_id, c.balance,
            c.ceiling INTO v
        FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
            AND c.till_id = s.till_id AND c.currency = p_currency
        WHERE s.cooperative_id = p_coop AND s.id = p_session
        FOR UPDATE OF c;
    END IF;
    IF v.id IS NULL OR v.status <> 'open' THEN
        PERFORM coopac_refuse('till_session_closed');
    END IF;
    IF v.business_date <> (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop) THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            format('La sesión de caja es del %s, un día ya cerrado: ciérrela y abra otra',
                v.business_date)));
    END IF;
    IF p_delta < 0 AND v.balance + p_delta < 0 THEN
        PERFORM coopac_refuse('till_cash_insufficient', jsonb_build_object(
            'available', v.balance::text, 'currency', p_currency));
    END IF;
    IF p_delta > 0 AND v.ceiling IS NOT NULL AND v.balance + p_delta > v.ceiling THEN
        PERFORM coopac_refuse('till_cash_limit', jsonb_build_object(
            'limit', v.ceiling::text, 'currency', p_currency));
    END IF;
    gl_account_id := v.gl_account_id;
    branch_id := v.branch_id;
    session_id := v.id;
END
$$;
"""

ISSUE_RECEIPT = r"""
CREATE OR REPLACE FUNCTION coopac_issue_receipt(p_coop uuid, p_session uuid, p_entry uuid)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v record;
    v_n integer;
    v_number text;
BEGIN
    SELECT s.branch_id, s.status, t.code AS series, b.code AS branch_code INTO v
    FROM till_session s
    JOIN till t ON t.cooperative_id = s.cooperative_id AND t.id = s.till_id
    JOIN branch b ON b.cooperative_id = s.cooperative_id AND b.id = s.branch_id
    WHERE s.cooperative_id = p_coop AND s.id = p_session;
    IF v.status IS DISTINCT FROM 'open' THEN
        PERFORM coopac_refuse('till_session_closed');
    END IF;
    INSERT INTO receipt_series AS r (cooperative_id, branch_id, series, last_number)
    VALUES (p_coop, v.branch_id, v.series, 1)
    ON CONFLICT (cooperative_id, branch_id, series)
    DO UPDATE SET last_number = r.last_number + 1
    RETURNING r.last_number INTO v_n;
    v_number := v.branch_code || '-' || v.series || '-' || lpad(v_n::text, 8, '0');
    INSERT INTO receipt (cooperative_id, number, branch_id, series, sequence,
        journal_entry_id, till_session_id)
    VALUES (p_coop, v_number, v.branch_id, v.series, v_n, p_entry, p_session);
    RETURN v_number;
END
$$;
"""

POST = r"""
CREATE OR REPLACE FUNCTION coopac_post(
    p_coop uuid, p_kind text, p_branch uuid, p_description text, p_actor jsonb,
    p_policy jsonb, p_gl uuid[], p_currency text[], p_amount numeric[],
    p_account_kind text[], p_account uuid[], p_balance_after numeric[],
    p_business_date date DEFAULT NULL, p_reversal_of uuid DEFAULT NULL,
    OUT entry_id uuid, OUT business_date date, OUT created_at timestamptz,
    OUT seq bigint, OUT posting_ids bigint[], OUT receipt_number text
) LANGUAGE plpgsql AS $$
DECLARE
    v_active boolean;
    v_today date;
    v_person uuid := (p_actor ->> 'person')::uuid;
    v_roles text[] := ARRAY(SELECT jsonb_array_elements_text(p_actor -> 'roles'));
    v_session uuid := (p_actor ->> 'till_session')::uuid;
    v_moved record;
BEGIN
    SELECT c.business_date, c.is_active INTO v_today, v_active
    FROM cooperative c WHERE c.id = p_coop;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('cooperative_not_found');
    END IF;
    IF NOT v_active THEN
        PERFORM coopac_refuse('cooperative_inactive');
    END IF;
    business_date := coalesce(p_business_date, v_today);
    entry_id := gen_random_uuid();
    INSERT INTO journal_entry (cooperative_id, id, kind, branch_id, business_date,
        value_date, description, actor_user_id, actor_api_key_id, actor_name, request_id,
        reversal_of, channel, till_session_id, recorded_at, device_id)
    VALUES (p_coop, entry_id, p_kind, p_branch, business_date, business_date,
        p_description, v_person, (p_actor ->> 'api_key')::uuid, p_actor ->> 'name',
        p_actor ->> 'request_id', p_reversal_of, coalesce(p_actor ->> 'channel', 'counter'),
        v_session, (p_actor ->> 'recorded_at')::timestamptz, p_actor ->> 'device_id')
    RETURNING journal_entry.created_at, journal_entry.seq INTO created_at, seq;
    -- the lines' trigger moves the accounts and, last, a till's cash
    WITH lines AS (
        INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount,
            account_kind, account_id, balance_after, business_date, value_date)
        SELECT p_coop, entry_id, l.gl, l.currency, l.amount, l.kind, l.account, l.after,
            business_date, business_date
        FROM unnest(p_gl, p_currency, p_amount, p_account_kind, p_account, p_balance_after)
            WITH ORDINALITY AS l(gl, currency, amount, kind, account, after, n)
        ORDER BY l.n
        RETURNING id
    )
    -- identities are drawn in insertion order, so ascending ids are the legs' order
    SELECT array_agg(id ORDER BY id) INTO posting_ids FROM lines;
    IF v_session IS NOT NULL AND p_kind <> 'cash_over_short' THEN
        receipt_number := coopac_issue_receipt(p_coop, v_session, entry_id);
    END IF;
    -- what the entry moves, per currency: what its debits add up to; the limit counts the
    -- person's movements of the cooperative's day (last: its total is the person's row)
    FOR v_moved IN
        SELECT l.currency, sum(l.amount) AS amount
        FROM unnest(p_currency, p_amount) AS l(currency, amount)
        WHERE l.amount > 0 GROUP BY l.currency
    LOOP
        PERFORM coopac_check_limit(p_coop, p_kind, v_moved.currency, v_moved.amount,
            v_today, v_person, v_roles, p_policy);
    END LOOP;
END
$$;
"""

# Back to 0027's coopac_session_cash and 0021's coopac_issue_receipt and coopac_post.
PREVIOUS = r"""CREATE OR REPLACE FUNCTION coopac_session_cash(
    p_coop uuid, p_session uuid, p_currency text, p_delta numeric,
    OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid
) LANGUAGE plpgsql AS $$
DECLARE
    v record;
BEGIN
    SELECT s.id, s.status, s.branch_id, s.business_date, c.gl_account_id, c.balance,
        c.ceiling INTO v
    FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
        AND c.till_id = s.till_id AND c.currency = p_currency
    WHERE s.cooperative_id = p_coop AND s.id = p_session
    FOR UPDATE OF c;
    IF v.id IS NULL OR v.status <> 'open' THEN
        PERFORM coopac_refuse('till_session_closed');
    END IF;
    IF v.business_date <> (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop) THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            format('La sesión de caja es del %s, un día ya cerrado: ciérrela y abra otra',
                v.business_date)));
    END IF;
    IF p_delta < 0 AND v.balance + p_delta < 0 THEN
        PERFORM coopac_refuse('till_cash_insufficient', jsonb_build_object(
            'available', v.balance::text, 'currency', p_currency));
    END IF;
    IF p_delta > 0 AND v.ceiling IS NOT NULL AND v.balance + p_delta > v.ceiling THEN
        PERFORM coopac_refuse('till_cash_limit', jsonb_build_object(
            'limit', v.ceiling::text, 'currency', p_currency));
    END IF;
    gl_account_id := v.gl_account_id;
    branch_id := v.branch_id;
    session_id := v.id;
END
$$;
CREATE OR REPLACE FUNCTION coopac_issue_receipt(p_coop uuid, p_session uuid, p_entry uuid)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v record;
    v_n integer;
    v_number text;
BEGIN
    SELECT s.branch_id, t.code AS series, b.code AS branch_code INTO v
    FROM till_session s
    JOIN till t ON t.cooperative_id = s.cooperative_id AND t.id = s.till_id
    JOIN branch b ON b.cooperative_id = s.cooperative_id AND b.id = s.branch_id
    WHERE s.cooperative_id = p_coop AND s.id = p_session;
    INSERT INTO receipt_series AS r (cooperative_id, branch_id, series, last_number)
    VALUES (p_coop, v.branch_id, v.series, 1)
    ON CONFLICT (cooperative_id, branch_id, series)
    DO UPDATE SET last_number = r.last_number + 1
    RETURNING r.last_number INTO v_n;
    v_number := v.branch_code || '-' || v.series || '-' || lpad(v_n::text, 8, '0');
    INSERT INTO receipt (cooperative_id, number, branch_id, series, sequence,
        journal_entry_id, till_session_id)
    VALUES (p_coop, v_number, v.branch_id, v.series, v_n, p_entry, p_session);
    RETURN v_number;
END
$$;
CREATE OR REPLACE FUNCTION coopac_post(
    p_coop uuid, p_kind text, p_branch uuid, p_description text, p_actor jsonb,
    p_policy jsonb, p_gl uuid[], p_currency text[], p_amount numeric[],
    p_account_kind text[], p_account uuid[], p_balance_after numeric[],
    p_business_date date DEFAULT NULL, p_reversal_of uuid DEFAULT NULL,
    OUT entry_id uuid, OUT business_date date, OUT created_at timestamptz,
    OUT seq bigint, OUT posting_ids bigint[], OUT receipt_number text
) LANGUAGE plpgsql AS $$
DECLARE
    v_active boolean;
    v_person uuid := (p_actor ->> 'person')::uuid;
    v_roles text[] := ARRAY(SELECT jsonb_array_elements_text(p_actor -> 'roles'));
    v_session uuid := (p_actor ->> 'till_session')::uuid;
    v_moved record;
BEGIN
    SELECT c.business_date, c.is_active INTO business_date, v_active
    FROM cooperative c WHERE c.id = p_coop;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('cooperative_not_found');
    END IF;
    IF NOT v_active THEN
        PERFORM coopac_refuse('cooperative_inactive');
    END IF;
    -- what the entry moves, per currency: what its debits add up to
    -- the limit counts the person's movements of the cooperative's day
    FOR v_moved IN
        SELECT l.currency, sum(l.amount) AS amount
        FROM unnest(p_currency, p_amount) AS l(currency, amount)
        WHERE l.amount > 0 GROUP BY l.currency
    LOOP
        PERFORM coopac_check_limit(p_coop, p_kind, v_moved.currency, v_moved.amount,
            business_date, v_person, v_roles, p_policy);
    END LOOP;
    business_date := coalesce(p_business_date, business_date);
    entry_id := gen_random_uuid();
    INSERT INTO journal_entry (cooperative_id, id, kind, branch_id, business_date,
        value_date, description, actor_user_id, actor_api_key_id, actor_name, request_id,
        reversal_of, channel, till_session_id, recorded_at, device_id)
    VALUES (p_coop, entry_id, p_kind, p_branch, business_date, business_date,
        p_description, v_person, (p_actor ->> 'api_key')::uuid, p_actor ->> 'name',
        p_actor ->> 'request_id', p_reversal_of, coalesce(p_actor ->> 'channel', 'counter'),
        v_session, (p_actor ->> 'recorded_at')::timestamptz, p_actor ->> 'device_id')
    RETURNING journal_entry.created_at, journal_entry.seq INTO created_at, seq;
    WITH lines AS (
        INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount,
            account_kind, account_id, balance_after, business_date, value_date)
        SELECT p_coop, entry_id, l.gl, l.currency, l.amount, l.kind, l.account, l.after,
            business_date, business_date
        FROM unnest(p_gl, p_currency, p_amount, p_account_kind, p_account, p_balance_after)
            WITH ORDINALITY AS l(gl, currency, amount, kind, account, after, n)
        ORDER BY l.n
        RETURNING id
    )
    -- identities are drawn in insertion order, so ascending ids are the legs' order
    SELECT array_agg(id ORDER BY id) INTO posting_ids FROM lines;
    IF v_session IS NOT NULL AND p_kind <> 'cash_over_short' THEN
        receipt_number := coopac_issue_receipt(p_coop, v_session, entry_id);
    END IF;
END
$$;
"""


def upgrade() -> None:
    op.execute(SESSION_CASH + ISSUE_RECEIPT + POST)


def downgrade() -> None:
    op.execute(PREVIOUS)
