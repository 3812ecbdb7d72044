-- The answer kept with an Idempotency-Key, if there is one (status is null otherwise): the
-- cooperative's keys, or the federation's own when p_coop is null. The same key with another
-- request or from another caller is refused (KA001 idempotency_key_reused).
CREATE OR REPLACE FUNCTION public.coopac_kept_answer(p_coop uuid, p_key text, p_hash text, p_actor text, OUT status integer, OUT body jsonb, OUT replayed boolean)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_kept record;
BEGIN
    IF p_coop IS NULL THEN
        SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
        FROM federation_idempotency_key k WHERE k.key = p_key;
    ELSE
        SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
        FROM idempotency_key k WHERE k.cooperative_id = p_coop AND k.key = p_key;
    END IF;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF v_kept.request_hash <> p_hash OR v_kept.actor <> p_actor THEN
        PERFORM coopac_refuse_caller('idempotency_key_reused');
    END IF;
    status := v_kept.response_status;
    body := v_kept.response_body;
    replayed := true;
END
$function$
;
