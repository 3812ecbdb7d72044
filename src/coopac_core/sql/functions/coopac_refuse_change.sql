-- Append-only tables: UPDATE, DELETE and TRUNCATE are refused, for the app role and the
-- owner alike (a mistake is corrected by a new row, such as a reversal entry).
CREATE OR REPLACE FUNCTION public.coopac_refuse_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$function$
;
