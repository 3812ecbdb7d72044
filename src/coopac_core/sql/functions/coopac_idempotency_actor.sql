-- Whose an Idempotency-Key is, on every path (p_actor as the operations book it): the API
-- key that sent it, else the user. A key sent again by anyone else is refused
-- (idempotency_key_reused), never replayed.
CREATE OR REPLACE FUNCTION public.coopac_idempotency_actor(p_actor jsonb)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
    SELECT coalesce(p_actor ->> 'api_key', p_actor ->> 'person', p_actor ->> 'name')
$function$
;
