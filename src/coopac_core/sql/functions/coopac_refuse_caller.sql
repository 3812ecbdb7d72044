-- A refusal of the caller (who may not do this), before anything is looked up: SQLSTATE
-- KA001, otherwise as coopac_refuse.
CREATE OR REPLACE FUNCTION public.coopac_refuse_caller(p_code text, p_params jsonb DEFAULT '{}'::jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'KA001', MESSAGE = p_code, DETAIL = p_params::text;
END
$function$
;
