-- A refusal of a rule, as the service answers it: SQLSTATE KR001, the error code as the
-- message, its parameters as the detail (errors.py turns it into the same problem+json).
CREATE OR REPLACE FUNCTION public.coopac_refuse(p_code text, p_params jsonb DEFAULT '{}'::jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'KR001', MESSAGE = p_code, DETAIL = p_params::text;
END
$function$
;
