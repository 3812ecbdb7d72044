-- A moment as the API writes it (ISO 8601, UTC, "Z"; microseconds when there are any).
CREATE OR REPLACE FUNCTION public.coopac_moment_json(p timestamp with time zone)
 RETURNS jsonb
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$
    SELECT to_jsonb(CASE WHEN date_part('microseconds', p)::bigint % 1000000 = 0
        THEN to_char(p AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        ELSE to_char(p AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END)
$function$
;
