-- The answer of a refused money POST, kept with its Idempotency-Key in a transaction of
-- its own (the refused one rolled back); or, if a retry kept one first, that one.
CREATE OR REPLACE FUNCTION public.coopac_keep_answer(p_coop uuid, p_key text, p_hash text, p_actor text, p_status integer, p_body jsonb, OUT status integer, OUT body jsonb, OUT replayed boolean)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
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
$function$
;
