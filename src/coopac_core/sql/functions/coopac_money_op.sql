-- One money operation under its Idempotency-Key, in the caller's cooperative scope: the
-- first answer replayed, or the operation done and its answer kept with the key. A request
-- racing one with the same key does the work too (waiting on the same account's lock), then
-- waits on the key's unique index: it finds the first one's key there and refuses with
-- KC001 (undoing its own work); called again, it replays. One write of the key.
CREATE OR REPLACE FUNCTION public.coopac_money_op(p_coop uuid, p_idem_actor text, p_key text, p_hash text, p_operation text, p_args jsonb, p_actor jsonb, p_policy jsonb, p_refused integer, p_refusal jsonb, OUT status integer, OUT body jsonb, OUT replayed boolean)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_claimed text;
    v_kept record;
    v_actor jsonb;
BEGIN
    SELECT * INTO v_kept FROM coopac_kept_answer(p_coop, p_key, p_hash, p_idem_actor);
    IF v_kept.status IS NOT NULL THEN
        status := v_kept.status;
        body := v_kept.body;
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
        v_actor := coalesce(p_args -> 'origin', '{}'::jsonb) || p_actor;
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
    VALUES (p_coop, p_key, p_hash, p_idem_actor, status, body)
    ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    IF v_claimed IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'KC001', MESSAGE = 'idempotency key raced';
    END IF;
END
$function$
;
