-- An amount as the API writes it: a JSON string with two decimals.
CREATE OR REPLACE FUNCTION public.coopac_amount_json(p numeric)
 RETURNS jsonb
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$
    SELECT to_jsonb(round(p, 2)::text)
$function$
;
