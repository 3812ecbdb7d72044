-- A chunk of a device's batch: the caller checked once, then each operation in order in a
-- subtransaction of its own, so that one refused (insufficient funds at arrival) is undone
-- alone and the rest go on. p_ops: [{"key", "hash", "operation", "args"}]. Answers one
-- element per operation: {"status", "body", "replayed"} when it ran or replayed;
-- {"refusal", "detail"} when its rules refused it (the service keeps that answer, whose
-- words are its own); {"caller_refusal", "detail"} (a key reused: not kept);
-- {"raced": true} when a request with the same key committed first (the service asks again).
CREATE OR REPLACE FUNCTION public.coopac_money_batch(p_credential jsonb, p_coop uuid, p_allowed text[], p_any_branch text[], p_request_id text, p_policy jsonb, p_ops jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_actor jsonb := coopac_money_caller(p_credential, p_coop, p_allowed, p_any_branch,
        p_request_id);
    v_idem_actor text := coopac_idempotency_actor(v_actor);
    v_op jsonb;
    r record;
    v_state text;
    v_message text;
    v_detail text;
    v_out jsonb := '[]'::jsonb;
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
        BEGIN
            r := coopac_money_op(p_coop, v_idem_actor, v_op ->> 'key',
                v_op ->> 'hash', v_op ->> 'operation', v_op -> 'args', v_actor, p_policy,
                NULL, NULL);
            v_out := v_out || jsonb_build_array(jsonb_build_object('status', r.status,
                'body', r.body, 'replayed', r.replayed));
        EXCEPTION WHEN SQLSTATE 'KR001' OR SQLSTATE 'KA001' OR SQLSTATE 'KC001' THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                v_detail = PG_EXCEPTION_DETAIL;
            v_out := v_out || jsonb_build_array(CASE v_state
                WHEN 'KR001' THEN jsonb_build_object('refusal', v_message, 'detail', v_detail)
                WHEN 'KA001' THEN jsonb_build_object('caller_refusal', v_message,
                    'detail', v_detail)
                ELSE jsonb_build_object('raced', true) END);
        END;
    END LOOP;
    RETURN v_out;
END
$function$
;
