"""money path in the database: a deposit, a transfer and a share payment are each one
database function (the account rules, the caller's limits, the entry and its lines, what
the movement answers), and a money POST by a signed-in user is one call that also checks
the caller, claims the Idempotency-Key and keeps the answer: one round trip per deposit

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-26 21:30:00
"""

from collections.abc import Sequence

from alembic import op
from frozen import rls

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A refusal is raised with its error code as the message and its fields (JSON) as the
# detail; the service turns it into the same problem+json as any DomainError of that code.
# KR001: the operation's refusal, kept as the Idempotency-Key's answer (a retry of a
# refused withdrawal must not run later). KA001: the caller's (revoked session, no role,
# a key reused), answered and not kept, as before the key was claimed.
# The functions run as the caller (no SECURITY DEFINER): row-level security, the posting
# triggers (the entry balances, balances move, no entry in a closed month) and the grants
# apply as to every other statement of the service.
FUNCTIONS = r"""
-- What a statement's postings must hold and do, in one trigger instead of two (each had
-- the statement's new lines written out and read back in queries of its own): every line
-- names an entry and a GL account (in its currency) of its cooperative, every entry
-- balances per currency, and the member accounts move by their lines, from the holder's
-- side (a credit raises a deposit or a share account, a debit raises a loan), none
-- skipped. Runs as the schema's owner, which alone may write a balance; every lookup is by
-- the line's own cooperative, which row-level security made the caller's.
CREATE FUNCTION coopac_post_statement() RETURNS trigger
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
REVOKE ALL ON FUNCTION coopac_post_statement() FROM PUBLIC;
DROP TRIGGER posting_balanced ON posting;
DROP TRIGGER posting_moves_balances ON posting;
CREATE TRIGGER posting_statement AFTER INSERT ON posting
REFERENCING NEW TABLE AS new_postings
FOR EACH STATEMENT EXECUTE FUNCTION coopac_post_statement();

CREATE FUNCTION coopac_refuse(p_code text, p_params jsonb DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'KR001', MESSAGE = p_code, DETAIL = p_params::text;
END
$$;

CREATE FUNCTION coopac_refuse_caller(p_code text, p_params jsonb DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'KA001', MESSAGE = p_code, DETAIL = p_params::text;
END
$$;

-- An amount as the API writes it: a JSON string with two decimals.
CREATE FUNCTION coopac_amount_json(p numeric) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_jsonb(round(p, 2)::text)
$$;

-- A moment as the API writes it (ISO 8601, UTC, "Z"; microseconds when there are any).
CREATE FUNCTION coopac_moment_json(p timestamptz) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_jsonb(CASE WHEN date_part('microseconds', p)::bigint % 1000000 = 0
        THEN to_char(p AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        ELSE to_char(p AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END)
$$;

-- The caller's limit for a kind of movement (limits.service.check_limit calls this too):
-- per operation and per day, the most generous of their roles' limits, the cooperative's
-- own where it set one, else the service's defaults (p_policy: limits.policy, as JSON).
CREATE FUNCTION coopac_check_limit(
    p_coop uuid, p_kind text, p_currency text, p_amount numeric, p_day date,
    p_person uuid, p_roles text[], p_policy jsonb
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_per_operation numeric;
    v_per_day numeric;
    v_no_daily_total boolean;
    v_found integer;
    v_moved numeric;
BEGIN
    IF NOT (p_policy -> 'limited') ? p_kind THEN
        RETURN;
    END IF;
    SELECT max(l.per_operation), max(l.per_day), bool_or(l.per_day IS NULL), count(*)
    INTO v_per_operation, v_per_day, v_no_daily_total, v_found
    FROM (
        SELECT CASE WHEN o.role IS NOT NULL THEN o.per_operation
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '0'])::numeric
               END AS per_operation,
               CASE WHEN o.role IS NOT NULL THEN o.per_day
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '1'])::numeric
               END AS per_day,
               o.role IS NOT NULL
                   OR p_policy #> ARRAY['limits', r.role, p_currency] IS NOT NULL AS governed
        FROM unnest(p_roles) AS r(role)
        LEFT JOIN operation_limit o ON o.cooperative_id = p_coop AND o.role = r.role
            AND o.operation = p_kind AND o.currency = p_currency
    ) l
    WHERE l.governed;
    IF v_found = 0 THEN
        RETURN;
    END IF;
    IF p_amount > v_per_operation THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'por operación',
            'operation', p_kind, 'limit', v_per_operation::text, 'currency', p_currency));
    END IF;
    IF v_no_daily_total OR p_person IS NULL THEN
        RETURN;
    END IF;
    SELECT coalesce(sum(p.amount), 0) INTO v_moved
    FROM journal_entry e JOIN posting p ON p.cooperative_id = e.cooperative_id
        AND p.entry_id = e.id
    WHERE e.cooperative_id = p_coop AND e.business_date = p_day AND e.kind = p_kind
        AND e.actor_user_id = p_person AND p.currency = p_currency AND p.amount > 0;
    IF v_moved + p_amount > v_per_day THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'diario',
            'operation', p_kind, 'limit', v_per_day::text, 'currency', p_currency));
    END IF;
END
$$;

-- The one way an entry is posted (ledger.post_entry calls it, and so does every money
-- function here): the cooperative active, the caller's limit, the entry, and all its lines
-- in one INSERT (whose triggers check the entry balances, move the member balances and
-- refuse a closed month). Lines in leg order; their ids come back in it. The callers have
-- locked the member accounts and checked their own rules; balance_after is what the
-- trigger makes each balance. p_business_date: close of business books the day it closes
-- (else the cooperative's date); p_reversal_of: the entry this one reverses.
-- p_actor: {"person", "api_key", "name", "roles", "request_id"}.
CREATE FUNCTION coopac_post(
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

-- A member movement wakes a dormant account and dates its last movement (dormancy counts
-- from it); a term account's first deposit places it: amount, rate and maturity fixed now.
-- Written only when something changes, so a busy account costs no extra write.
CREATE FUNCTION coopac_savings_after_credit(
    p_coop uuid, p_account uuid, p_day date
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE savings_account a SET
        status = CASE WHEN a.status = 'dormant' THEN 'active' ELSE a.status END,
        last_movement_on = p_day,
        placed_on = CASE WHEN p.kind = 'term' AND a.placed_on IS NULL THEN p_day
                         ELSE a.placed_on END,
        maturity_date = CASE WHEN p.kind = 'term' AND a.placed_on IS NULL
                             THEN p_day + coalesce(p.term_days, 0) ELSE a.maturity_date END,
        placed_amount = CASE WHEN p.kind = 'term' AND a.placed_on IS NULL THEN a.balance
                             ELSE a.placed_amount END,
        rate = CASE WHEN p.kind = 'term' AND a.placed_on IS NULL THEN p.tea ELSE a.rate END
    FROM savings_product p
    WHERE a.cooperative_id = p_coop AND a.id = p_account
        AND p.cooperative_id = a.cooperative_id AND p.id = a.product_id
        AND (a.status = 'dormant' OR a.last_movement_on IS DISTINCT FROM p_day
             OR (p.kind = 'term' AND a.placed_on IS NULL));
END
$$;

-- The debit rules of a savings account (savings.service.check_can_debit calls this too).
CREATE FUNCTION coopac_savings_check_debit(
    p_status text, p_kind text, p_early text, p_maturity date, p_today date,
    p_balance numeric, p_held numeric, p_min_balance numeric, p_amount numeric
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_status = 'blocked' THEN PERFORM coopac_refuse('account_blocked'); END IF;
    IF p_status = 'closed' THEN PERFORM coopac_refuse('account_closed'); END IF;
    IF p_status = 'dormant' THEN PERFORM coopac_refuse('account_dormant'); END IF;
    IF p_kind = 'term' THEN
        IF NOT (p_maturity IS NOT NULL AND p_today >= p_maturity)
           AND p_early = 'not_allowed' THEN
            PERFORM coopac_refuse('term_not_matured',
                jsonb_build_object('maturity_date', p_maturity));
        END IF;
        IF p_amount <> p_balance - p_held OR p_held <> 0 THEN
            PERFORM coopac_refuse('term_partial_withdrawal');
        END IF;
    END IF;
    IF p_amount > p_balance - p_held - p_min_balance THEN
        PERFORM coopac_refuse('insufficient_funds');
    END IF;
END
$$;

-- The credit rules of a savings account (savings.service.check_can_credit calls this too).
CREATE FUNCTION coopac_savings_check_credit(p_status text, p_kind text, p_placed date)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_status = 'blocked' THEN PERFORM coopac_refuse('account_blocked'); END IF;
    IF p_status = 'closed' THEN PERFORM coopac_refuse('account_closed'); END IF;
    IF p_kind = 'term' AND p_placed IS NOT NULL THEN
        PERFORM coopac_refuse('term_deposit_placed');
    END IF;
END
$$;

-- The cash account of a branch in a currency, if the caller may handle it: a teller's cash
-- is their own branch's.
CREATE FUNCTION coopac_branch_cash(p_coop uuid, p_branch uuid, p_currency text, p_actor jsonb)
RETURNS uuid LANGUAGE plpgsql AS $$
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
$$;

-- A cash deposit at a branch counter into a savings account. p_actor also carries
-- "branch" (a teller's own) and "any_branch" (whether their roles handle any branch's
-- cash). Answers the movement as the API writes it.
CREATE FUNCTION coopac_savings_deposit(
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

-- A transfer between two savings accounts of the cooperative. A teller transfers only
-- for members of their own branch (the member is not at the counter).
CREATE FUNCTION coopac_savings_transfer(
    p_coop uuid, p_from uuid, p_to uuid, p_amount numeric, p_currency text,
    p_description text, p_actor jsonb, p_policy jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    s record;
    t record;
    r record;
    v_found integer := 0;
    v_home uuid;
    v_post record;
    v_description text;
BEGIN
    IF p_from = p_to THEN
        PERFORM coopac_refuse('same_account');
    END IF;
    -- both locked in id order, as every writer locks them: two transfers cannot deadlock
    FOR r IN
        SELECT a.id, a.number, a.member_id, a.currency, a.status, a.balance,
            a.held_amount, a.gl_account_id, a.placed_on, a.maturity_date, p.kind,
            p.min_balance, p.early_withdrawal
        FROM savings_account a JOIN savings_product p ON p.cooperative_id = a.cooperative_id
            AND p.id = a.product_id
        WHERE a.cooperative_id = p_coop AND a.id IN (p_from, p_to)
        ORDER BY a.id
        FOR UPDATE OF a
    LOOP
        IF r.id = p_from THEN s := r; ELSE t := r; END IF;
        v_found := v_found + 1;
    END LOOP;
    IF v_found < 2 THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    IF s.currency <> t.currency THEN
        PERFORM coopac_refuse('currency_mismatch',
            jsonb_build_object('reason', 'las cuentas son de monedas distintas'));
    END IF;
    IF p_currency IS NOT NULL AND p_currency <> s.currency THEN
        PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
            format('la cuenta es en %s, no en %s', s.currency, p_currency)));
    END IF;
    IF NOT (p_actor -> 'any_branch')::boolean THEN
        SELECT m.branch_id INTO v_home FROM member m
        WHERE m.cooperative_id = p_coop AND m.id = s.member_id;
        IF v_home IS NOT NULL AND v_home::text IS DISTINCT FROM (p_actor ->> 'branch') THEN
            PERFORM coopac_refuse('member_of_other_branch');
        END IF;
    END IF;
    PERFORM coopac_savings_check_debit(s.status, s.kind, s.early_withdrawal,
        s.maturity_date, (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop),
        s.balance, s.held_amount, s.min_balance, p_amount);
    PERFORM coopac_savings_check_credit(t.status, t.kind, t.placed_on);
    v_description := coalesce(p_description, 'Transferencia a ' || t.number);
    SELECT * INTO v_post FROM coopac_post(p_coop, 'transfer', NULL, v_description,
        p_actor, p_policy, ARRAY[s.gl_account_id, t.gl_account_id],
        ARRAY[s.currency, t.currency], ARRAY[p_amount, -p_amount],
        ARRAY['savings', 'savings'], ARRAY[s.id, t.id],
        ARRAY[s.balance - p_amount, t.balance + p_amount]);
    PERFORM coopac_savings_after_credit(p_coop, t.id, v_post.business_date);
    UPDATE savings_account a SET last_movement_on = v_post.business_date
    WHERE a.cooperative_id = p_coop AND a.id = s.id
        AND a.last_movement_on IS DISTINCT FROM v_post.business_date;
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[1],
        'journal_entry_id', v_post.entry_id,
        'amount', coopac_amount_json(p_amount),
        'currency', s.currency,
        'from_account_id', s.id,
        'to_account_id', t.id,
        'balance', coopac_amount_json(s.balance - p_amount),
        'available_balance', coopac_amount_json(
            s.balance - p_amount - s.held_amount - s.min_balance),
        'to_balance', coopac_amount_json(t.balance + p_amount),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', v_description);
END
$$;

-- The answer of a refused money POST, kept with its Idempotency-Key in a transaction of
-- its own (the refused one rolled back); or, if a retry kept one first, that one.
CREATE FUNCTION coopac_keep_answer(
    p_coop uuid, p_key text, p_hash text, p_actor text, p_status integer, p_body jsonb,
    OUT status integer, OUT body jsonb, OUT replayed boolean
) LANGUAGE plpgsql AS $$
DECLARE
    v_claimed text;
    v_kept record;
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, response_status,
        response_body)
    VALUES (p_coop, p_key, p_hash, p_actor, p_status, p_body)
    ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    IF v_claimed IS NOT NULL THEN
        status := p_status;
        body := p_body;
        replayed := false;
        RETURN;
    END IF;
    SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
    FROM idempotency_key k WHERE k.cooperative_id = p_coop AND k.key = p_key;
    IF v_kept.request_hash <> p_hash OR v_kept.actor <> p_actor THEN
        PERFORM coopac_refuse_caller('idempotency_key_reused');
    END IF;
    status := v_kept.response_status;
    body := v_kept.response_body;
    replayed := true;
END
$$;

-- A payment of share capital, in cash at a branch or from one of the member's own savings
-- accounts (the share account locked first, then the savings account, as every writer).
CREATE FUNCTION coopac_share_payment(
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

-- A money POST by a signed-in user, whole: who is calling (the session alive, a role that
-- may, never the federation), the cooperative's scope, the Idempotency-Key's claim (or the
-- first answer, replayed), the operation, and its answer kept with the key. One statement:
-- it all commits together or not at all. The token's signature and expiry were checked by
-- the service before.
CREATE FUNCTION coopac_money_call(
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

NAMES = (
    "coopac_money_call(uuid, integer, uuid, text[], text[], text, text, text, text, jsonb, "
    "jsonb, integer, jsonb)",
    "coopac_keep_answer(uuid, text, text, text, integer, jsonb)",
    "coopac_share_payment(uuid, uuid, numeric, uuid, uuid, text, jsonb, jsonb)",
    "coopac_savings_transfer(uuid, uuid, uuid, numeric, text, text, jsonb, jsonb)",
    "coopac_savings_deposit(uuid, uuid, numeric, text, uuid, text, jsonb, jsonb)",
    "coopac_branch_cash(uuid, uuid, text, jsonb)",
    "coopac_savings_check_credit(text, text, date)",
    "coopac_savings_check_debit(text, text, text, date, date, numeric, numeric, numeric, numeric)",
    "coopac_savings_after_credit(uuid, uuid, date)",
    "coopac_post(uuid, text, uuid, text, jsonb, jsonb, uuid[], text[], numeric[], text[], "
    "uuid[], numeric[], date, uuid)",
    "coopac_check_limit(uuid, text, text, numeric, date, uuid, text[], jsonb)",
    "coopac_moment_json(timestamptz)",
    "coopac_amount_json(numeric)",
    "coopac_refuse_caller(text, jsonb)",
    "coopac_refuse(text, jsonb)",
)


def upgrade() -> None:
    op.execute(FUNCTIONS)
    for name in NAMES:
        op.execute(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {name} TO {rls.app_role()}")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS posting_statement ON posting")
    op.execute(
        "CREATE TRIGGER posting_balanced AFTER INSERT ON posting "
        "REFERENCING NEW TABLE AS new_postings "
        "FOR EACH STATEMENT EXECUTE FUNCTION coopac_check_entries_balanced()"
    )
    op.execute(
        "CREATE TRIGGER posting_moves_balances AFTER INSERT ON posting "
        "REFERENCING NEW TABLE AS new_postings "
        "FOR EACH STATEMENT EXECUTE FUNCTION coopac_apply_postings()"
    )
    op.execute("DROP FUNCTION IF EXISTS coopac_post_statement()")
    for name in NAMES:
        op.execute(f"DROP FUNCTION IF EXISTS {name}")
