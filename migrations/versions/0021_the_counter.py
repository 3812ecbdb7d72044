"""the counter: tills and the vault (a cash sub-account per currency each, whose balance
the posting trigger keeps and never lets go below zero), a teller's session at a till,
cash between the vault and a till (in transit until received), gapless receipts per branch
and series, and every journal entry's channel, till session and offline record

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-26 23:06:50.003127
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls
from sqlalchemy.dialects import postgresql

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "till",
    "till_cash",
    "till_session",
    "till_transfer",
    "counter_account",
    "receipt_series",
    "receipt",
)

# The accounts the counter books besides cash, for the cooperatives there are (new ones get
# them with the chart), and a vault for every branch there is (new ones get it when made).
SEED = r"""
SELECT set_config('coopac.tenant', '*', true);
INSERT INTO gl_account (cooperative_id, id, code, name, currency, normal_side, allows_posting,
    is_system)
SELECT c.id, gen_random_uuid(), l.prefix || d.digit || l.suffix,
    l.name || ' (' || d.currency || ')', d.currency, l.side, true, true
FROM cooperative c
CROSS JOIN (VALUES ('PEN', '1'), ('USD', '2')) d(currency, digit)
CROSS JOIN (VALUES
    ('11', '1.TR', 'Efectivo en tránsito entre bóveda y cajas', 'debit'),
    ('15', '1.01', 'Faltantes de caja', 'debit'),
    ('25', '1.01', 'Sobrantes de caja', 'credit')) l(prefix, suffix, name, side)
ON CONFLICT (cooperative_id, code) DO NOTHING;
INSERT INTO counter_account (cooperative_id, purpose, currency, gl_account_id)
SELECT g.cooperative_id, p.purpose, g.currency, g.id
FROM gl_account g JOIN (VALUES
    ('cash_in_transit', '11', '1.TR'), ('cash_short', '15', '1.01'),
    ('cash_over', '25', '1.01')) p(purpose, prefix, suffix)
    ON g.code = p.prefix || CASE g.currency WHEN 'PEN' THEN '1' ELSE '2' END || p.suffix;
INSERT INTO till (cooperative_id, id, branch_id, code, name, kind)
SELECT b.cooperative_id, gen_random_uuid(), b.id, 'BOVEDA', 'Bóveda', 'vault' FROM branch b;
INSERT INTO gl_account (cooperative_id, id, code, name, currency, normal_side, branch_id,
    allows_posting, is_system)
SELECT t.cooperative_id, gen_random_uuid(), '11' || d.digit || '1.' || b.code || '.' || t.code,
    left('Bóveda ' || b.name, 190) || ' (' || d.currency || ')', d.currency, 'debit', b.id,
    true, true
FROM till t JOIN branch b ON b.cooperative_id = t.cooperative_id AND b.id = t.branch_id
CROSS JOIN (VALUES ('PEN', '1'), ('USD', '2')) d(currency, digit);
INSERT INTO till_cash (cooperative_id, till_id, currency, gl_account_id)
SELECT t.cooperative_id, t.id, g.currency, g.id
FROM till t JOIN branch b ON b.cooperative_id = t.cooperative_id AND b.id = t.branch_id
JOIN gl_account g ON g.cooperative_id = t.cooperative_id
    AND g.code = '11' || CASE g.currency WHEN 'PEN' THEN '1' ELSE '2' END || '1.' || b.code
        || '.' || t.code;
"""

FUNCTIONS = r"""
-- The posting trigger of 0020, and one more duty: a till's cash (till_cash.balance) moves
-- with the postings on its GL sub-account, whoever posts them (the counter, a reversal, an
-- adjustment), and its CHECK refuses a till below zero whatever path forgets to.
CREATE OR REPLACE FUNCTION coopac_post_statement() RETURNS trigger
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

-- The receipt of a counter operation: the next number of its branch's series (the till's
-- code), taken in the transaction that books it, so a number is never skipped or doubled.
CREATE FUNCTION coopac_issue_receipt(p_coop uuid, p_session uuid, p_entry uuid)
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

-- The cash a caller handles at the counter: their open session's till, in the currency,
-- locked; refused without a session of today, at another branch than the one asked, below
-- zero (p_delta: what the operation does to the till) or above the till's ceiling.
CREATE FUNCTION coopac_counter_cash(
    p_coop uuid, p_branch uuid, p_currency text, p_actor jsonb, p_delta numeric,
    OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid
) LANGUAGE plpgsql AS $$
DECLARE
    v record;
    v_day date;
BEGIN
    SELECT s.id, s.branch_id, s.business_date, c.gl_account_id, c.balance, c.ceiling INTO v
    FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
        AND c.till_id = s.till_id AND c.currency = p_currency
    WHERE s.cooperative_id = p_coop AND s.teller_id = (p_actor ->> 'person')::uuid
        AND s.status = 'open'
    FOR UPDATE OF c;
    IF p_branch IS NOT NULL AND (v.branch_id IS NULL OR p_branch <> v.branch_id)
       AND NOT EXISTS (SELECT 1 FROM branch b WHERE b.cooperative_id = p_coop
                       AND b.id = p_branch) THEN
        PERFORM coopac_refuse('branch_not_found');
    END IF;
    IF v.id IS NULL THEN
        PERFORM coopac_refuse('till_session_required');
    END IF;
    IF p_branch IS NOT NULL AND p_branch <> v.branch_id THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            'Su caja abierta es de otra agencia: opere en la agencia de su caja'));
    END IF;
    SELECT c.business_date INTO v_day FROM cooperative c WHERE c.id = p_coop;
    IF v.business_date <> v_day THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            format('Su sesión de caja es del %s, un día ya cerrado: ciérrela y abra otra',
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

-- 0020's poster, which now also records the entry's channel, its till session and, for an
-- operation recorded offline, when and on which device; and issues a counter operation's
-- receipt (one that moved a till's cash, or was done at a till; not a count's difference).
DROP FUNCTION coopac_post(uuid, text, uuid, text, jsonb, jsonb, uuid[], text[], numeric[],
    text[], uuid[], numeric[], date, uuid);
CREATE FUNCTION coopac_post(
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

-- 0020's cash deposit, into the caller's till (their open session's; p_branch, if given,
-- must be its branch); answers its receipt's number too.
CREATE OR REPLACE FUNCTION coopac_savings_deposit(
    p_coop uuid, p_account uuid, p_amount numeric, p_currency text, p_branch uuid,
    p_description text, p_actor jsonb, p_policy jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    a record;
    v_cash record;
    v_post record;
    v_description text := coalesce(p_description, 'Depósito en efectivo');
BEGIN
    SELECT s.id, s.currency, s.status, s.balance, s.held_amount, s.gl_account_id,
        s.placed_on, p.kind, p.min_balance
    INTO a
    FROM savings_account s JOIN savings_product p ON p.cooperative_id = s.cooperative_id
        AND p.id = s.product_id
    WHERE s.cooperative_id = p_coop AND s.id = p_account
    FOR UPDATE OF s;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    IF p_currency IS NOT NULL AND p_currency <> a.currency THEN
        PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
            format('la cuenta es en %s, no en %s', a.currency, p_currency)));
    END IF;
    PERFORM coopac_savings_check_credit(a.status, a.kind, a.placed_on);
    SELECT * INTO v_cash FROM coopac_counter_cash(p_coop, p_branch, a.currency, p_actor,
        p_amount);
    SELECT * INTO v_post FROM coopac_post(p_coop, 'deposit', v_cash.branch_id, v_description,
        p_actor || jsonb_build_object('till_session', v_cash.session_id), p_policy,
        ARRAY[v_cash.gl_account_id, a.gl_account_id], ARRAY[a.currency, a.currency],
        ARRAY[p_amount, -p_amount], ARRAY[NULL, 'savings'], ARRAY[NULL, a.id]::uuid[],
        ARRAY[NULL, a.balance + p_amount]);
    PERFORM coopac_savings_after_credit(p_coop, a.id, v_post.business_date);
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[2],
        'journal_entry_id', v_post.entry_id,
        'account_id', a.id,
        'kind', 'deposit',
        'amount', coopac_amount_json(p_amount),
        'currency', a.currency,
        'balance', coopac_amount_json(a.balance + p_amount),
        'available_balance', coopac_amount_json(
            a.balance + p_amount - a.held_amount - a.min_balance),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', v_description,
        'receipt_number', v_post.receipt_number);
END
$$;

-- 0020's share payment; paid in cash, into the caller's till.
CREATE OR REPLACE FUNCTION coopac_share_payment(
    p_coop uuid, p_member uuid, p_amount numeric, p_branch uuid, p_from uuid,
    p_description text, p_actor jsonb, p_policy jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    a record;
    s record;
    v_member_status text;
    v_cash record;
    v_post record;
    v_description text;
BEGIN
    SELECT x.id, x.currency, x.status, x.balance, x.gl_account_id INTO a
    FROM share_account x WHERE x.cooperative_id = p_coop AND x.member_id = p_member
    FOR UPDATE;
    SELECT m.status INTO v_member_status FROM member m
    WHERE m.cooperative_id = p_coop AND m.id = p_member;
    IF v_member_status IS NULL THEN
        PERFORM coopac_refuse('member_not_found');
    END IF;
    IF a.id IS NULL THEN
        PERFORM coopac_refuse('share_account_not_found');
    END IF;
    IF a.status <> 'active' OR v_member_status NOT IN ('applicant', 'active') THEN
        PERFORM coopac_refuse('member_not_active',
            jsonb_build_object('status', v_member_status));
    END IF;
    IF p_from IS NULL THEN
        SELECT * INTO v_cash FROM coopac_counter_cash(p_coop, p_branch, a.currency, p_actor,
            p_amount);
        SELECT * INTO v_post FROM coopac_post(p_coop, 'share_payment', v_cash.branch_id,
            coalesce(p_description, 'Aporte en efectivo'),
            p_actor || jsonb_build_object('till_session', v_cash.session_id), p_policy,
            ARRAY[v_cash.gl_account_id, a.gl_account_id], ARRAY[a.currency, a.currency],
            ARRAY[p_amount, -p_amount], ARRAY[NULL, 'share'], ARRAY[NULL, a.id]::uuid[],
            ARRAY[NULL, a.balance + p_amount]);
    ELSE
        SELECT x.id, x.member_id, x.currency, x.status, x.balance, x.held_amount,
            x.gl_account_id, x.maturity_date, p.kind, p.min_balance, p.early_withdrawal
        INTO s
        FROM savings_account x JOIN savings_product p ON p.cooperative_id = x.cooperative_id
            AND p.id = x.product_id
        WHERE x.cooperative_id = p_coop AND x.id = p_from
        FOR UPDATE OF x;
        IF NOT FOUND THEN
            PERFORM coopac_refuse('account_not_found');
        END IF;
        IF s.member_id <> p_member THEN
            PERFORM coopac_refuse('account_owner_mismatch');
        END IF;
        IF s.currency <> a.currency THEN
            PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
                format('la cuenta de ahorro no es en %s', a.currency)));
        END IF;
        PERFORM coopac_savings_check_debit(s.status, s.kind, s.early_withdrawal,
            s.maturity_date, (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop),
            s.balance, s.held_amount, s.min_balance, p_amount);
        SELECT * INTO v_post FROM coopac_post(p_coop, 'share_payment', NULL,
            coalesce(p_description, 'Aporte con cargo a ahorros'), p_actor, p_policy,
            ARRAY[s.gl_account_id, a.gl_account_id], ARRAY[s.currency, a.currency],
            ARRAY[p_amount, -p_amount], ARRAY['savings', 'share'], ARRAY[s.id, a.id],
            ARRAY[s.balance - p_amount, a.balance + p_amount]);
    END IF;
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[2],
        'journal_entry_id', v_post.entry_id,
        'account_id', a.id,
        'kind', 'share_payment',
        'amount', coopac_amount_json(p_amount),
        'currency', a.currency,
        'balance', coopac_amount_json(a.balance + p_amount),
        'available_balance', coopac_amount_json(a.balance + p_amount),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', coalesce(p_description, CASE WHEN p_from IS NULL
            THEN 'Aporte en efectivo' ELSE 'Aporte con cargo a ahorros' END),
        'receipt_number', v_post.receipt_number);
END
$$;

-- 0020's money call; the request's origin (channel, offline record) goes on the entry.
CREATE OR REPLACE FUNCTION coopac_money_call(
    p_user uuid, p_version integer, p_coop uuid, p_allowed text[], p_any_branch text[],
    p_key text, p_hash text, p_request_id text, p_operation text, p_args jsonb,
    p_policy jsonb, p_refused integer, p_refusal jsonb,
    OUT status integer, OUT body jsonb, OUT replayed boolean
) LANGUAGE plpgsql AS $$
DECLARE
    v_name text;
    v_active boolean;
    v_version integer;
    v_roles text[] := '{}';
    v_branch uuid;
    g record;
    v_claimed text;
    v_kept record;
    v_actor jsonb;
BEGIN
    FOR g IN SELECT * FROM coopac_principal(p_user) LOOP
        v_name := g.username;
        v_active := g.is_active;
        v_version := g.token_version;
        IF g.role IS NOT NULL AND (g.grant_cooperative_id IS NULL
                                   OR g.grant_cooperative_id = p_coop) THEN
            v_roles := v_roles || g.role;
            IF g.grant_cooperative_id = p_coop AND g.branch_id IS NOT NULL THEN
                v_branch := g.branch_id;
            END IF;
        END IF;
    END LOOP;
    IF v_name IS NULL OR NOT v_active OR v_version <> p_version THEN
        PERFORM coopac_refuse_caller('token_revoked');
    END IF;
    IF cardinality(v_roles) = 0 THEN
        PERFORM coopac_refuse_caller('cooperative_not_found');
    END IF;
    IF NOT v_roles && p_allowed THEN
        IF 'federation_admin' = ANY (v_roles) THEN
            PERFORM coopac_refuse_caller('forbidden', jsonb_build_object('detail',
                'La federación consulta; no mueve ni decide sobre dinero de socios'));
        END IF;
        PERFORM coopac_refuse_caller('forbidden');
    END IF;
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    -- A retry finds the first answer. A request racing one with the same key does the work
    -- too (waiting on the same account's lock), then waits on the key's unique index: it
    -- finds the first one's key there, refuses with KC001 (undoing its own work) and the
    -- service calls again, to replay. One write of the key, with its answer.
    SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
    FROM idempotency_key k WHERE k.cooperative_id = p_coop AND k.key = p_key;
    IF FOUND THEN
        IF v_kept.request_hash <> p_hash OR v_kept.actor <> p_user::text THEN
            PERFORM coopac_refuse_caller('idempotency_key_reused');
        END IF;
        status := v_kept.response_status;
        body := v_kept.response_body;
        replayed := true;
        RETURN;
    END IF;
    replayed := false;
    IF p_refused IS NOT NULL THEN
        -- refused by the service before any rule here (an amount of zero): kept all the same
        status := p_refused;
        body := p_refusal;
    ELSE
        -- where the request came in (its channel; offline, when and on which device)
        v_actor := coalesce(p_args -> 'origin', '{}'::jsonb) || jsonb_build_object(
            'person', p_user, 'name', v_name, 'roles', v_roles, 'branch', v_branch,
            'any_branch', v_roles && p_any_branch, 'request_id', p_request_id);
        IF p_operation = 'deposit' THEN
            body := coopac_savings_deposit(p_coop, (p_args ->> 'account_id')::uuid,
                (p_args ->> 'amount')::numeric, p_args ->> 'currency',
                (p_args ->> 'branch_id')::uuid, p_args ->> 'description', v_actor, p_policy);
        ELSIF p_operation = 'transfer' THEN
            body := coopac_savings_transfer(p_coop, (p_args ->> 'from_account_id')::uuid,
                (p_args ->> 'to_account_id')::uuid, (p_args ->> 'amount')::numeric,
                p_args ->> 'currency', p_args ->> 'description', v_actor, p_policy);
        ELSIF p_operation = 'share_payment' THEN
            body := coopac_share_payment(p_coop, (p_args ->> 'member_id')::uuid,
                (p_args ->> 'amount')::numeric, (p_args ->> 'branch_id')::uuid,
                (p_args ->> 'from_account_id')::uuid, p_args ->> 'description', v_actor,
                p_policy);
        ELSE
            RAISE EXCEPTION 'unknown money operation %', p_operation;
        END IF;
        status := 201;
    END IF;
    INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, response_status,
        response_body)
    VALUES (p_coop, p_key, p_hash, p_user::text, status, body)
    ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    IF v_claimed IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'KC001', MESSAGE = 'idempotency key raced';
    END IF;
END
$$;
"""

NAMES = (
    "coopac_issue_receipt(uuid, uuid, uuid)",
    "coopac_counter_cash(uuid, uuid, text, jsonb, numeric)",
    "coopac_post(uuid, text, uuid, text, jsonb, jsonb, uuid[], text[], numeric[], text[], "
    "uuid[], numeric[], date, uuid)",
)

# Back to 0020: its versions of the functions this one replaced.
DOWN_FUNCTIONS = (
    "DROP FUNCTION coopac_counter_cash(uuid, uuid, text, jsonb, numeric);\n"
    "DROP FUNCTION coopac_issue_receipt(uuid, uuid, uuid);\n"
    "DROP FUNCTION coopac_post(uuid, text, uuid, text, jsonb, jsonb, uuid[], text[], numeric[], "
    "text[], uuid[], numeric[], date, uuid);\n"
    + r"""CREATE OR REPLACE FUNCTION coopac_post_statement() RETURNS trigger
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
CREATE OR REPLACE FUNCTION coopac_post(
    p_coop uuid, p_kind text, p_branch uuid, p_description text, p_actor jsonb,
    p_policy jsonb, p_gl uuid[], p_currency text[], p_amount numeric[],
    p_account_kind text[], p_account uuid[], p_balance_after numeric[],
    p_business_date date DEFAULT NULL, p_reversal_of uuid DEFAULT NULL,
    OUT entry_id uuid, OUT business_date date, OUT created_at timestamptz,
    OUT seq bigint, OUT posting_ids bigint[]
) LANGUAGE plpgsql AS $$
DECLARE
    v_active boolean;
    v_person uuid := (p_actor ->> 'person')::uuid;
    v_roles text[] := ARRAY(SELECT jsonb_array_elements_text(p_actor -> 'roles'));
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
        reversal_of)
    VALUES (p_coop, entry_id, p_kind, p_branch, business_date, business_date,
        p_description, v_person, (p_actor ->> 'api_key')::uuid, p_actor ->> 'name',
        p_actor ->> 'request_id', p_reversal_of)
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
END
$$;
CREATE OR REPLACE FUNCTION coopac_savings_deposit(
    p_coop uuid, p_account uuid, p_amount numeric, p_currency text, p_branch uuid,
    p_description text, p_actor jsonb, p_policy jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    a record;
    v_cash uuid;
    v_post record;
    v_description text := coalesce(p_description, 'Depósito en efectivo');
BEGIN
    SELECT s.id, s.currency, s.status, s.balance, s.held_amount, s.gl_account_id,
        s.placed_on, p.kind, p.min_balance
    INTO a
    FROM savings_account s JOIN savings_product p ON p.cooperative_id = s.cooperative_id
        AND p.id = s.product_id
    WHERE s.cooperative_id = p_coop AND s.id = p_account
    FOR UPDATE OF s;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    IF p_currency IS NOT NULL AND p_currency <> a.currency THEN
        PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
            format('la cuenta es en %s, no en %s', a.currency, p_currency)));
    END IF;
    PERFORM coopac_savings_check_credit(a.status, a.kind, a.placed_on);
    v_cash := coopac_branch_cash(p_coop, p_branch, a.currency, p_actor);
    SELECT * INTO v_post FROM coopac_post(p_coop, 'deposit', p_branch, v_description,
        p_actor, p_policy, ARRAY[v_cash, a.gl_account_id], ARRAY[a.currency, a.currency],
        ARRAY[p_amount, -p_amount], ARRAY[NULL, 'savings'], ARRAY[NULL, a.id]::uuid[],
        ARRAY[NULL, a.balance + p_amount]);
    PERFORM coopac_savings_after_credit(p_coop, a.id, v_post.business_date);
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[2],
        'journal_entry_id', v_post.entry_id,
        'account_id', a.id,
        'kind', 'deposit',
        'amount', coopac_amount_json(p_amount),
        'currency', a.currency,
        'balance', coopac_amount_json(a.balance + p_amount),
        'available_balance', coopac_amount_json(
            a.balance + p_amount - a.held_amount - a.min_balance),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', v_description);
END
$$;
CREATE OR REPLACE FUNCTION coopac_share_payment(
    p_coop uuid, p_member uuid, p_amount numeric, p_branch uuid, p_from uuid,
    p_description text, p_actor jsonb, p_policy jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    a record;
    s record;
    v_member_status text;
    v_source uuid;
    v_post record;
    v_description text;
BEGIN
    SELECT x.id, x.currency, x.status, x.balance, x.gl_account_id INTO a
    FROM share_account x WHERE x.cooperative_id = p_coop AND x.member_id = p_member
    FOR UPDATE;
    SELECT m.status INTO v_member_status FROM member m
    WHERE m.cooperative_id = p_coop AND m.id = p_member;
    IF v_member_status IS NULL THEN
        PERFORM coopac_refuse('member_not_found');
    END IF;
    IF a.id IS NULL THEN
        PERFORM coopac_refuse('share_account_not_found');
    END IF;
    IF a.status <> 'active' OR v_member_status NOT IN ('applicant', 'active') THEN
        PERFORM coopac_refuse('member_not_active',
            jsonb_build_object('status', v_member_status));
    END IF;
    IF p_from IS NULL THEN
        v_source := coopac_branch_cash(p_coop, p_branch, a.currency, p_actor);
        SELECT * INTO v_post FROM coopac_post(p_coop, 'share_payment', p_branch,
            coalesce(p_description, 'Aporte en efectivo'), p_actor, p_policy,
            ARRAY[v_source, a.gl_account_id], ARRAY[a.currency, a.currency],
            ARRAY[p_amount, -p_amount], ARRAY[NULL, 'share'], ARRAY[NULL, a.id]::uuid[],
            ARRAY[NULL, a.balance + p_amount]);
    ELSE
        SELECT x.id, x.member_id, x.currency, x.status, x.balance, x.held_amount,
            x.gl_account_id, x.maturity_date, p.kind, p.min_balance, p.early_withdrawal
        INTO s
        FROM savings_account x JOIN savings_product p ON p.cooperative_id = x.cooperative_id
            AND p.id = x.product_id
        WHERE x.cooperative_id = p_coop AND x.id = p_from
        FOR UPDATE OF x;
        IF NOT FOUND THEN
            PERFORM coopac_refuse('account_not_found');
        END IF;
        IF s.member_id <> p_member THEN
            PERFORM coopac_refuse('account_owner_mismatch');
        END IF;
        IF s.currency <> a.currency THEN
            PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
                format('la cuenta de ahorro no es en %s', a.currency)));
        END IF;
        PERFORM coopac_savings_check_debit(s.status, s.kind, s.early_withdrawal,
            s.maturity_date, (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop),
            s.balance, s.held_amount, s.min_balance, p_amount);
        SELECT * INTO v_post FROM coopac_post(p_coop, 'share_payment', NULL,
            coalesce(p_description, 'Aporte con cargo a ahorros'), p_actor, p_policy,
            ARRAY[s.gl_account_id, a.gl_account_id], ARRAY[s.currency, a.currency],
            ARRAY[p_amount, -p_amount], ARRAY['savings', 'share'], ARRAY[s.id, a.id],
            ARRAY[s.balance - p_amount, a.balance + p_amount]);
    END IF;
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[2],
        'journal_entry_id', v_post.entry_id,
        'account_id', a.id,
        'kind', 'share_payment',
        'amount', coopac_amount_json(p_amount),
        'currency', a.currency,
        'balance', coopac_amount_json(a.balance + p_amount),
        'available_balance', coopac_amount_json(a.balance + p_amount),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', coalesce(p_description, CASE WHEN p_from IS NULL
            THEN 'Aporte en efectivo' ELSE 'Aporte con cargo a ahorros' END));
END
$$;
CREATE OR REPLACE FUNCTION coopac_money_call(
    p_user uuid, p_version integer, p_coop uuid, p_allowed text[], p_any_branch text[],
    p_key text, p_hash text, p_request_id text, p_operation text, p_args jsonb,
    p_policy jsonb, p_refused integer, p_refusal jsonb,
    OUT status integer, OUT body jsonb, OUT replayed boolean
) LANGUAGE plpgsql AS $$
DECLARE
    v_name text;
    v_active boolean;
    v_version integer;
    v_roles text[] := '{}';
    v_branch uuid;
    g record;
    v_claimed text;
    v_kept record;
    v_actor jsonb;
BEGIN
    FOR g IN SELECT * FROM coopac_principal(p_user) LOOP
        v_name := g.username;
        v_active := g.is_active;
        v_version := g.token_version;
        IF g.role IS NOT NULL AND (g.grant_cooperative_id IS NULL
                                   OR g.grant_cooperative_id = p_coop) THEN
            v_roles := v_roles || g.role;
            IF g.grant_cooperative_id = p_coop AND g.branch_id IS NOT NULL THEN
                v_branch := g.branch_id;
            END IF;
        END IF;
    END LOOP;
    IF v_name IS NULL OR NOT v_active OR v_version <> p_version THEN
        PERFORM coopac_refuse_caller('token_revoked');
    END IF;
    IF cardinality(v_roles) = 0 THEN
        PERFORM coopac_refuse_caller('cooperative_not_found');
    END IF;
    IF NOT v_roles && p_allowed THEN
        IF 'federation_admin' = ANY (v_roles) THEN
            PERFORM coopac_refuse_caller('forbidden', jsonb_build_object('detail',
                'La federación consulta; no mueve ni decide sobre dinero de socios'));
        END IF;
        PERFORM coopac_refuse_caller('forbidden');
    END IF;
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    -- A retry finds the first answer. A request racing one with the same key does the work
    -- too (waiting on the same account's lock), then waits on the key's unique index: it
    -- finds the first one's key there, refuses with KC001 (undoing its own work) and the
    -- service calls again, to replay. One write of the key, with its answer.
    SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
    FROM idempotency_key k WHERE k.cooperative_id = p_coop AND k.key = p_key;
    IF FOUND THEN
        IF v_kept.request_hash <> p_hash OR v_kept.actor <> p_user::text THEN
            PERFORM coopac_refuse_caller('idempotency_key_reused');
        END IF;
        status := v_kept.response_status;
        body := v_kept.response_body;
        replayed := true;
        RETURN;
    END IF;
    replayed := false;
    IF p_refused IS NOT NULL THEN
        -- refused by the service before any rule here (an amount of zero): kept all the same
        status := p_refused;
        body := p_refusal;
    ELSE
        v_actor := jsonb_build_object('person', p_user, 'name', v_name, 'roles', v_roles,
            'branch', v_branch, 'any_branch', v_roles && p_any_branch,
            'request_id', p_request_id);
        IF p_operation = 'deposit' THEN
            body := coopac_savings_deposit(p_coop, (p_args ->> 'account_id')::uuid,
                (p_args ->> 'amount')::numeric, p_args ->> 'currency',
                (p_args ->> 'branch_id')::uuid, p_args ->> 'description', v_actor, p_policy);
        ELSIF p_operation = 'transfer' THEN
            body := coopac_savings_transfer(p_coop, (p_args ->> 'from_account_id')::uuid,
                (p_args ->> 'to_account_id')::uuid, (p_args ->> 'amount')::numeric,
                p_args ->> 'currency', p_args ->> 'description', v_actor, p_policy);
        ELSIF p_operation = 'share_payment' THEN
            body := coopac_share_payment(p_coop, (p_args ->> 'member_id')::uuid,
                (p_args ->> 'amount')::numeric, (p_args ->> 'branch_id')::uuid,
                (p_args ->> 'from_account_id')::uuid, p_args ->> 'description', v_actor,
                p_policy);
        ELSE
            RAISE EXCEPTION 'unknown money operation %', p_operation;
        END IF;
        status := 201;
    END IF;
    INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, response_status,
        response_body)
    VALUES (p_coop, p_key, p_hash, p_user::text, status, body)
    ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    IF v_claimed IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'KC001', MESSAGE = 'idempotency key raced';
    END IF;
END
$$;
"""
    + "REVOKE ALL ON FUNCTION coopac_post(uuid, text, uuid, text, jsonb, jsonb, uuid[], "
    "text[], numeric[], text[], uuid[], numeric[], date, uuid) FROM PUBLIC;\n"
)


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "receipt_series",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "branch_id"],
            ["branch.cooperative_id", "branch.id"],
            name=op.f("receipt_series_cooperative_id_branch_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("receipt_series_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "branch_id", "series", name=op.f("receipt_series_pkey")
        ),
    )
    op.create_table(
        "till",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("kind IN ('till', 'vault')", name=op.f("kind_valid")),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "branch_id"],
            ["branch.cooperative_id", "branch.id"],
            name=op.f("till_cooperative_id_branch_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("till_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("till_pkey")),
        sa.UniqueConstraint("cooperative_id", "branch_id", "code", name="uq_till_code"),
    )
    op.create_index(
        "uq_till_vault",
        "till",
        ["cooperative_id", "branch_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'vault'"),
    )
    op.create_table(
        "counter_account",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('cash_over', 'cash_short', 'cash_in_transit')", name=op.f("purpose_valid")
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id", "currency"],
            ["gl_account.cooperative_id", "gl_account.id", "gl_account.currency"],
            name=op.f("counter_account_cooperative_id_gl_account_id_currency_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("counter_account_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "purpose", "currency", name=op.f("counter_account_pkey")
        ),
    )
    op.create_table(
        "receipt",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("journal_entry_id", sa.Uuid(), nullable=False),
        sa.Column("till_session_id", sa.Uuid(), nullable=True),
        sa.Column(
            "issued_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "journal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
            name=op.f("receipt_cooperative_id_journal_entry_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("receipt_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "number", name=op.f("receipt_pkey")),
        sa.UniqueConstraint(
            "cooperative_id", "branch_id", "series", "sequence", name="uq_receipt_sequence"
        ),
        sa.UniqueConstraint("cooperative_id", "journal_entry_id", name="uq_receipt_entry"),
    )
    op.create_table(
        "till_cash",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("till_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), server_default="0", nullable=False),
        sa.Column("ceiling", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.CheckConstraint("balance >= 0", name=op.f("till_cash_not_negative")),
        sa.CheckConstraint("ceiling IS NULL OR ceiling >= 0", name=op.f("ceiling_not_negative")),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"],
            ["gl_account.cooperative_id", "gl_account.id"],
            name=op.f("till_cash_cooperative_id_gl_account_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "till_id"],
            ["till.cooperative_id", "till.id"],
            name=op.f("till_cash_cooperative_id_till_id_fkey"),
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "till_id", "currency", name=op.f("till_cash_pkey")
        ),
        sa.UniqueConstraint("cooperative_id", "gl_account_id", name="uq_till_cash_gl"),
    )
    op.create_table(
        "till_session",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("till_id", sa.Uuid(), nullable=False),
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("teller_id", sa.Uuid(), nullable=False),
        sa.Column("teller_name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column(
            "opened_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("opening_count", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("opening_differences", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Uuid(), nullable=True),
        sa.Column("closed_by_name", sa.String(length=100), nullable=True),
        sa.Column("closing_count", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("expected", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("differences", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("status_valid")),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "till_id"],
            ["till.cooperative_id", "till.id"],
            name=op.f("till_session_cooperative_id_till_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("till_session_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("till_session_pkey")),
    )
    op.create_index(
        "ix_till_session_day",
        "till_session",
        ["cooperative_id", "business_date", "status"],
        unique=False,
    )
    op.create_index(
        "uq_till_session_open_teller",
        "till_session",
        ["cooperative_id", "teller_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index(
        "uq_till_session_open_till",
        "till_session",
        ["cooperative_id", "till_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "till_transfer",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("from_till_id", sa.Uuid(), nullable=False),
        sa.Column("to_till_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sent_by_id", sa.Uuid(), nullable=True),
        sa.Column("sent_by_name", sa.String(length=100), nullable=False),
        sa.Column(
            "sent_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("send_entry_id", sa.Uuid(), nullable=False),
        sa.Column("received_by_id", sa.Uuid(), nullable=True),
        sa.Column("received_by_name", sa.String(length=100), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receive_entry_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint("status IN ('in_transit', 'received')", name=op.f("status_valid")),
        sa.CheckConstraint("amount > 0", name=op.f("amount_positive")),
        sa.CheckConstraint("from_till_id <> to_till_id", name=op.f("two_tills")),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "from_till_id"],
            ["till.cooperative_id", "till.id"],
            name=op.f("till_transfer_cooperative_id_from_till_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "to_till_id"],
            ["till.cooperative_id", "till.id"],
            name=op.f("till_transfer_cooperative_id_to_till_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("till_transfer_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("till_transfer_pkey")),
    )
    op.create_index(
        "ix_till_transfer_status",
        "till_transfer",
        ["cooperative_id", "branch_id", "status"],
        unique=False,
    )
    op.add_column(
        "journal_entry",
        sa.Column("channel", sa.String(length=8), server_default="counter", nullable=False),
    )
    op.add_column("journal_entry", sa.Column("till_session_id", sa.Uuid(), nullable=True))
    op.add_column(
        "journal_entry", sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("journal_entry", sa.Column("device_id", sa.String(length=100), nullable=True))
    op.create_index(
        "ix_journal_entry_till_session",
        "journal_entry",
        ["cooperative_id", "till_session_id"],
        unique=False,
        postgresql_where="till_session_id IS NOT NULL",
    )
    # ### end Alembic commands ###
    op.create_check_constraint(
        "channel_valid",
        "journal_entry",
        "channel IN ('counter', 'agent', 'mobile', 'batch', 'system')",
    )
    # What came before: close of business's entries were the system's, a script's a batch's.
    op.execute("ALTER TABLE journal_entry DISABLE TRIGGER journal_entry_append_only")
    op.execute(
        "UPDATE journal_entry SET channel = CASE WHEN kind IN ('interest_accrual', 'interest', "
        "'loan_accrual', 'loan_transfer', 'loan_provision') THEN 'system' ELSE 'batch' END "
        "WHERE kind IN ('interest_accrual', 'interest', 'loan_accrual', 'loan_transfer', "
        "'loan_provision') OR actor_api_key_id IS NOT NULL"
    )
    op.execute("ALTER TABLE journal_entry ENABLE TRIGGER journal_entry_append_only")
    app = rls.app_role()
    for table in TABLES:
        rls.enable_tenant_rls(table)
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    # the balance is the posting trigger's alone; the ceiling is the cooperative's to set
    op.execute(f"REVOKE UPDATE ON till_cash FROM {app}")
    op.execute(f"GRANT UPDATE (ceiling) ON till_cash TO {app}")
    op.execute(f"GRANT UPDATE ON till_session, till_transfer, receipt_series TO {app}")
    op.execute(f"GRANT UPDATE, DELETE ON counter_account TO {app}")
    op.execute(SEED)
    op.execute(FUNCTIONS)
    for name in NAMES:
        op.execute(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {name} TO {app}")


def downgrade() -> None:
    op.execute(DOWN_FUNCTIONS)
    op.execute(f"GRANT EXECUTE ON FUNCTION {NAMES[2]} TO {rls.app_role()}")
    op.drop_constraint("channel_valid", "journal_entry")
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index(
        "ix_journal_entry_till_session",
        table_name="journal_entry",
        postgresql_where="till_session_id IS NOT NULL",
    )
    op.drop_column("journal_entry", "device_id")
    op.drop_column("journal_entry", "recorded_at")
    op.drop_column("journal_entry", "till_session_id")
    op.drop_column("journal_entry", "channel")
    op.drop_index("ix_till_transfer_status", table_name="till_transfer")
    op.drop_table("till_transfer")
    op.drop_index(
        "uq_till_session_open_till",
        table_name="till_session",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_index(
        "uq_till_session_open_teller",
        table_name="till_session",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_index("ix_till_session_day", table_name="till_session")
    op.drop_table("till_session")
    op.drop_table("till_cash")
    op.drop_table("receipt")
    op.drop_table("counter_account")
    op.drop_index("uq_till_vault", table_name="till", postgresql_where=sa.text("kind = 'vault'"))
    op.drop_table("till")
    op.drop_table("receipt_series")
    # ### end Alembic commands ###
