-- The debit rules of a savings account (savings.service.check_can_debit calls this too).
CREATE OR REPLACE FUNCTION public.coopac_savings_check_debit(p_status text, p_kind text, p_early text, p_maturity date, p_today date, p_balance numeric, p_held numeric, p_min_balance numeric, p_amount numeric)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF p_status = 'blocked' THEN PERFORM coopac_refuse('account_blocked'); END IF;
    IF p_status = 'closed' THEN PERFORM coopac_refuse('account_closed'); END IF;
    IF p_status = 'dormant' THEN PERFORM coopac_refuse('account_dormant'); END IF;
    IF p_kind = 'term' THEN
        IF NOT (p_maturity IS NOT NULL AND p_today >= p_maturity)
           AND p_early = 'not_allowed' THEN
            PERFORM coopac_refuse('term_not_matured',
                jsonb_build_object('maturity_date', p_maturity));
        END IF;
        IF p_amount <> p_balance - p_held OR p_held <> 0 THEN
            PERFORM coopac_refuse('term_partial_withdrawal');
        END IF;
    END IF;
    IF p_amount > coopac_savings_available(p_balance, p_held, p_min_balance) THEN
        PERFORM coopac_refuse('insufficient_funds');
    END IF;
END
$function$
;
