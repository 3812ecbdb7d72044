-- What the holder may take out now: the balance less holds and the product's minimum
-- balance. The debit rule, the answers of deposits and transfers and the account as the
-- teller sees it (savings.service.available) use this one figure, so a teller is never
-- shown money the service would then refuse. Negative when holds (a court order larger than
-- the balance) claim more than the account holds: shown as it is.
CREATE OR REPLACE FUNCTION public.coopac_savings_available(p_balance numeric, p_held numeric, p_min_balance numeric)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
    SELECT p_balance - p_held - p_min_balance
$function$
;
