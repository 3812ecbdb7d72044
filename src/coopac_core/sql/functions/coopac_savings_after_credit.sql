-- A member movement wakes a dormant account and dates its last movement (dormancy counts
-- from it); a term account's first deposit places it: amount, rate and maturity fixed now.
-- Written only when something changes, so a busy account costs no extra write.
CREATE OR REPLACE FUNCTION public.coopac_savings_after_credit(p_coop uuid, p_account uuid, p_day date)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
    UPDATE savings_account a SET
        status = CASE WHEN a.status = 'dormant' THEN 'active' ELSE a.status END,
        last_movement_on = p_day,
        placed_on = CASE WHEN p.kind = 'term' AND a.placed_on IS NULL THEN p_day
                         ELSE a.placed_on END,
        maturity_date = CASE WHEN p.kind = 'term' AND a.placed_on IS NULL
                             THEN p_day + coalesce(p.term_days, 0) ELSE a.maturity_date END,
        placed_amount = CASE WHEN p.kind = 'term' AND a.placed_on IS NULL THEN a.balance
                             ELSE a.placed_amount END,
        rate = CASE WHEN p.kind = 'term' AND a.placed_on IS NULL THEN p.tea ELSE a.rate END
    FROM savings_product p
    WHERE a.cooperative_id = p_coop AND a.id = p_account
        AND p.cooperative_id = a.cooperative_id AND p.id = a.product_id
        AND (a.status = 'dormant' OR a.last_movement_on IS DISTINCT FROM p_day
             OR (p.kind = 'term' AND a.placed_on IS NULL));
END
$function$
;
