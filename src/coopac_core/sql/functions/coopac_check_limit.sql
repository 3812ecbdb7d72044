-- The caller's limit for a kind of movement (limits.service.check_limit calls this too):
-- per operation and per day, the most generous of their roles' limits, the cooperative's
-- own where it set one, else the service's defaults (p_policy: limits.policy, as JSON).
-- The one writer of a person's day totals (the application's role may not write them): as
-- its owner, and a total only grows.
CREATE OR REPLACE FUNCTION public.coopac_check_limit(p_coop uuid, p_kind text, p_currency text, p_amount numeric, p_day date, p_person uuid, p_roles text[], p_policy jsonb)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    v_per_operation numeric;
    v_per_day numeric;
    v_no_daily_total boolean;
    v_found integer;
    v_moved numeric;
BEGIN
    IF p_amount <= 0 THEN
        RAISE EXCEPTION 'a day''s total only grows (%)', p_amount USING ERRCODE = 'check_violation';
    END IF;
    IF NOT (p_policy -> 'limited') ? p_kind THEN
        RETURN;
    END IF;
    -- kept whether or not a limit governs it now: one set later the same day counts all
    IF p_person IS NOT NULL THEN
        INSERT INTO operation_day_total AS t (cooperative_id, person_id, business_date, kind,
            currency, amount)
        VALUES (p_coop, p_person, p_day, p_kind, p_currency, p_amount)
        ON CONFLICT (cooperative_id, person_id, business_date, kind, currency)
        DO UPDATE SET amount = t.amount + EXCLUDED.amount
        RETURNING t.amount INTO v_moved;
    END IF;
    SELECT max(l.per_operation), max(l.per_day), bool_or(l.per_day IS NULL), count(*)
    INTO v_per_operation, v_per_day, v_no_daily_total, v_found
    FROM (
        SELECT CASE WHEN o.role IS NOT NULL THEN o.per_operation
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '0'])::numeric
               END AS per_operation,
               CASE WHEN o.role IS NOT NULL THEN o.per_day
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '1'])::numeric
               END AS per_day,
               o.role IS NOT NULL
                   OR p_policy #> ARRAY['limits', r.role, p_currency] IS NOT NULL AS governed
        FROM unnest(p_roles) AS r(role)
        LEFT JOIN operation_limit o ON o.cooperative_id = p_coop AND o.role = r.role
            AND o.operation = p_kind AND o.currency = p_currency
    ) l
    WHERE l.governed;
    IF v_found = 0 THEN
        RETURN;
    END IF;
    IF p_amount > v_per_operation THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'por operación',
            'operation', p_kind, 'limit', v_per_operation::text, 'currency', p_currency));
    END IF;
    IF v_no_daily_total OR p_person IS NULL THEN
        RETURN;
    END IF;
    IF v_moved > v_per_day THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'diario',
            'operation', p_kind, 'limit', v_per_day::text, 'currency', p_currency));
    END IF;
END
$function$
;
