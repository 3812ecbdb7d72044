-- A closed month's snapshot is final: no change, no deletion.
CREATE OR REPLACE FUNCTION public.coopac_refuse_closed_snapshot()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF OLD.status = 'closed' THEN
        RAISE EXCEPTION 'period % is closed: % refused', OLD.period, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$function$
;
