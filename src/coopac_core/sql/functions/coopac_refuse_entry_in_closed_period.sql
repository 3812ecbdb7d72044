-- No journal entry dated in a month the accountant closed, but the year's closing entry on
-- 31 December, which is posted once December is closed (fiscal_years, 0053).
CREATE OR REPLACE FUNCTION public.coopac_refuse_entry_in_closed_period()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NEW.kind = 'year_close' AND to_char(NEW.business_date, 'MM-DD') = '12-31' THEN
        RETURN NEW;
    END IF;
    IF EXISTS (
        SELECT 1 FROM period_snapshot s WHERE s.cooperative_id = NEW.cooperative_id
        AND s.period = to_char(NEW.business_date, 'YYYY-MM') AND s.status = 'closed'
    ) THEN
        RAISE EXCEPTION 'period % is closed: no entry dated %',
            to_char(NEW.business_date, 'YYYY-MM'), NEW.business_date
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$function$
;
