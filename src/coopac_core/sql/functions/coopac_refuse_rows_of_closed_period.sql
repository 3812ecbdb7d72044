-- No report rows added to a month the accountant closed.
CREATE OR REPLACE FUNCTION public.coopac_refuse_rows_of_closed_period()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT cooperative_id, period FROM new_rows) n
        JOIN period_snapshot s ON s.cooperative_id = n.cooperative_id AND s.period = n.period
        WHERE s.status = 'closed'
    ) THEN
        RAISE EXCEPTION '% of a closed period: INSERT refused', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$function$
;
