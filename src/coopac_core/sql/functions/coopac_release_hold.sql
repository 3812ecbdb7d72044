-- A hold released: only an active one, once, and the account's held amount with it. The
-- one way a hold ends (the application's role may not update holds nor held amounts).
CREATE OR REPLACE FUNCTION public.coopac_release_hold(p_coop uuid, p_account uuid, p_hold uuid, p_by text)
 RETURNS numeric
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    v_amount numeric;
BEGIN
    UPDATE savings_hold SET status = 'released', released_by = p_by, released_at = now()
    WHERE cooperative_id = p_coop AND id = p_hold AND account_id = p_account
      AND status = 'active'
    RETURNING amount INTO v_amount;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM savings_hold h WHERE h.cooperative_id = p_coop
                   AND h.id = p_hold AND h.account_id = p_account) THEN
            PERFORM coopac_refuse('hold_released');
        END IF;
        PERFORM coopac_refuse('hold_not_found');
    END IF;
    UPDATE savings_account SET held_amount = held_amount - v_amount
    WHERE cooperative_id = p_coop AND id = p_account;
    RETURN v_amount;
END
$function$
;
