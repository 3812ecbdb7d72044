-- Each new event, to every active endpoint of its cooperative that wants it: by its exact
-- type, its group (``money.*``) or everything (``*``).
CREATE OR REPLACE FUNCTION public.coopac_event_deliveries()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    INSERT INTO webhook_delivery (cooperative_id, id, endpoint_id, event_id, status, attempts,
        next_attempt_at, created_at)
    SELECT n.cooperative_id, gen_random_uuid(), w.id, n.id, 'pending', 0, now(), now()
    FROM new_events n
    JOIN webhook_endpoint w ON w.cooperative_id = n.cooperative_id AND w.status = 'active'
    WHERE '*' = ANY(w.event_types) OR n.type = ANY(w.event_types)
       OR split_part(n.type, '.', 1) || '.*' = ANY(w.event_types);
    RETURN NULL;
END
$function$
;
