-- A month the accountant closed keeps its report rows: no change, no deletion.
CREATE OR REPLACE FUNCTION public.coopac_refuse_change_of_closed_period()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF EXISTS (
        SELECT 1 FROM period_snapshot s WHERE s.cooperative_id = OLD.cooperative_id
        AND s.period = OLD.period AND s.status = 'closed'
    ) THEN
        RAISE EXCEPTION '% of closed period %: % refused', TG_TABLE_NAME, OLD.period, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$function$
;
