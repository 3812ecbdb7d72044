-- A money POST, whole, whoever calls (a user's session or an API key: p_credential, as
-- coopac_money_caller reads it): the caller, the scope, the operation under its key. One
-- statement: it all commits together or not at all.
CREATE OR REPLACE FUNCTION public.coopac_money_call(p_credential jsonb, p_coop uuid, p_allowed text[], p_any_branch text[], p_key text, p_hash text, p_request_id text, p_operation text, p_args jsonb, p_policy jsonb, p_refused integer, p_refusal jsonb, OUT status integer, OUT body jsonb, OUT replayed boolean)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_actor jsonb := coopac_money_caller(p_credential, p_coop, p_allowed, p_any_branch,
        p_request_id);
    v_answer record;
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    v_answer := coopac_money_op(p_coop, coopac_idempotency_actor(v_actor), p_key, p_hash,
        p_operation, p_args, v_actor, p_policy, p_refused, p_refusal);
    status := v_answer.status;
    body := v_answer.body;
    replayed := v_answer.replayed;
END
$function$
;
