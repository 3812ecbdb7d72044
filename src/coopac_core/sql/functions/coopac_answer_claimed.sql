-- The answer of an operation whose key the service's transaction claimed first
-- (coopac_keep_answer with status 0): kept with the key, to commit with the operation.
-- Once: a kept answer never changes, nor a key (the application's role may not update keys).
CREATE OR REPLACE FUNCTION public.coopac_answer_claimed(p_coop uuid, p_key text, p_status integer, p_body jsonb)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    IF p_coop IS NULL THEN
        UPDATE federation_idempotency_key SET response_status = p_status,
            response_body = p_body WHERE key = p_key AND response_status = 0;
    ELSE
        UPDATE idempotency_key SET response_status = p_status, response_body = p_body
        WHERE cooperative_id = p_coop AND key = p_key AND response_status = 0;
    END IF;
END
$function$
;
