-- The credit rules of a savings account (savings.service.check_can_credit calls this too).
CREATE OR REPLACE FUNCTION public.coopac_savings_check_credit(p_status text, p_kind text, p_placed date)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF p_status = 'blocked' THEN PERFORM coopac_refuse('account_blocked'); END IF;
    IF p_status = 'closed' THEN PERFORM coopac_refuse('account_closed'); END IF;
    IF p_kind = 'term' AND p_placed IS NOT NULL THEN
        PERFORM coopac_refuse('term_deposit_placed');
    END IF;
END
$function$
;
