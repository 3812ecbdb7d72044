-- Close of business forgets a cooperative's idempotency keys older than the retention
-- (30 days); runs as the owner, since the app role may not delete them.
CREATE OR REPLACE FUNCTION public.coopac_expire_idempotency_keys(p_cooperative_id uuid, p_before timestamp with time zone)
 RETURNS bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
    WITH gone AS (
        DELETE FROM idempotency_key
        WHERE cooperative_id = p_cooperative_id AND created_at < p_before
        RETURNING 1
    )
    SELECT count(*) FROM gone
$function$
;
