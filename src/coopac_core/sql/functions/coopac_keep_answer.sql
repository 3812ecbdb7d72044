-- Keep an answer with its Idempotency-Key (p_coop null: the federation's own keys), or, if
-- the key is kept already, answer that one (coopac_kept_answer). A key another transaction
-- is keeping is waited for: it commits (its answer is replayed) or rolls back (this one is
-- kept). The service's transaction claims its key this way first (status 0, answered once
-- the operation is done: coopac_answer_claimed); a refused one-call operation keeps its
-- answer this way in a transaction of its own, the refused one having rolled back.
CREATE OR REPLACE FUNCTION public.coopac_keep_answer(p_coop uuid, p_key text, p_hash text, p_actor text, p_status integer, p_body jsonb, OUT status integer, OUT body jsonb, OUT replayed boolean)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_claimed text;
    v_kept record;
BEGIN
    IF p_coop IS NULL THEN
        INSERT INTO federation_idempotency_key (key, request_hash, actor, response_status,
            response_body)
        VALUES (p_key, p_hash, p_actor, p_status, p_body)
        ON CONFLICT (key) DO NOTHING RETURNING key INTO v_claimed;
    ELSE
        PERFORM set_config('coopac.tenant', p_coop::text, true);
        INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, response_status,
            response_body)
        VALUES (p_coop, p_key, p_hash, p_actor, p_status, p_body)
        ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    END IF;
    IF v_claimed IS NOT NULL THEN
        status := p_status;
        body := p_body;
        replayed := false;
        RETURN;
    END IF;
    v_kept := coopac_kept_answer(p_coop, p_key, p_hash, p_actor);
    status := v_kept.status;
    body := v_kept.body;
    replayed := v_kept.replayed;
END
$function$
;
