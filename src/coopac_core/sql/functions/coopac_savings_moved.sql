-- A debit by the holder dates the account's last movement: dormancy counts from it. A
-- credit does this and more (coopac_savings_after_credit). Written only when the day
-- changes, so a busy account costs no extra write. PL/pgSQL, so that a session plans the
-- UPDATE once (a SQL function's body is planned again at every call of a transfer).
CREATE OR REPLACE FUNCTION public.coopac_savings_moved(p_coop uuid, p_account uuid, p_day date)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
    UPDATE savings_account a SET last_movement_on = p_day
    WHERE a.cooperative_id = p_coop AND a.id = p_account
        AND a.last_movement_on IS DISTINCT FROM p_day;
END
$function$
;
