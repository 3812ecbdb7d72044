-- No journal entry dated in a month the accountant closed.
CREATE OR REPLACE FUNCTION public.coopac_refuse_entry_in_closed_period()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
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
