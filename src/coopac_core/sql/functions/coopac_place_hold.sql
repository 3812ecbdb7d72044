-- A hold set aside on a savings account: the hold and the account's held amount move
-- together, here only (the application's role may neither insert holds nor change held
-- amounts by itself). The caller checked the account and the pledge, the account locked.
CREATE OR REPLACE FUNCTION public.coopac_place_hold(p_coop uuid, p_account uuid, p_amount numeric, p_loan uuid, p_reason text, p_by text)
 RETURNS uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    v_hold uuid := gen_random_uuid();
BEGIN
    INSERT INTO savings_hold (cooperative_id, id, account_id, amount, loan_id, reason,
        placed_by, status, placed_at)
    VALUES (p_coop, v_hold, p_account, p_amount, p_loan, p_reason, p_by, 'active', now());
    UPDATE savings_account SET held_amount = held_amount + p_amount
    WHERE cooperative_id = p_coop AND id = p_account;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    RETURN v_hold;
END
$function$
;
