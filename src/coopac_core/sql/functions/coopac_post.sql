-- The one way an entry is posted (ledger.post_entry calls it, and so does every money
-- function here): the cooperative active, the caller's limit, the entry, and all its lines
-- in one INSERT (whose triggers check the entry balances, move the member balances and
-- refuse a closed month). Lines in leg order; their ids come back in it. The callers have
-- locked the member accounts and checked their own rules; balance_after is what the
-- trigger makes each balance. p_business_date: close of business books the day it closes
-- (else the cooperative's date); p_reversal_of: the entry this one reverses.
-- p_actor: {"person", "api_key", "name", "roles", "request_id"}.
CREATE OR REPLACE FUNCTION public.coopac_post(p_coop uuid, p_kind text, p_branch uuid, p_description text, p_actor jsonb, p_policy jsonb, p_gl uuid[], p_currency text[], p_amount numeric[], p_account_kind text[], p_account uuid[], p_balance_after numeric[], p_business_date date DEFAULT NULL::date, p_reversal_of uuid DEFAULT NULL::uuid, OUT entry_id uuid, OUT business_date date, OUT created_at timestamp with time zone, OUT seq bigint, OUT posting_ids bigint[], OUT receipt_number text)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
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
$function$
;
