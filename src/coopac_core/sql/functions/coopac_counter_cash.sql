-- The caller's cash at the counter: their open session (at the branch asked, if one is),
-- then its cash by the session's rules.
CREATE OR REPLACE FUNCTION public.coopac_counter_cash(p_coop uuid, p_branch uuid, p_currency text, p_actor jsonb, p_delta numeric, OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v record;
    v_cash record;
BEGIN
    SELECT s.id, s.branch_id INTO v FROM till_session s
    WHERE s.cooperative_id = p_coop AND s.teller_id = (p_actor ->> 'person')::uuid
        AND s.status = 'open';
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
    v_cash := coopac_session_cash(p_coop, v.id, p_currency, p_delta);
    gl_account_id := v_cash.gl_account_id;
    branch_id := v_cash.branch_id;
    session_id := v_cash.session_id;
END
$function$
;
