-- Every event that is not a journal entry's (those are coopac_entry_events', from the
-- postings) is written here, whoever writes it: a service through events.service.emit, close
-- of business for a set of loans at once. One statement for the set, so the outbox's
-- delivery trigger runs once. p_events: [{"type", "subject_kind", "subject_id", "data"}];
-- NULL or empty writes nothing. Runs as the caller: row-level security keeps it to the
-- caller's cooperative.
CREATE OR REPLACE FUNCTION public.coopac_emit_events(p_coop uuid, p_business_date date, p_events jsonb)
 RETURNS integer
 LANGUAGE sql
AS $function$
    WITH written AS (
        INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, business_date,
            data)
        SELECT p_coop, gen_random_uuid(), e ->> 'type', e ->> 'subject_kind',
            e ->> 'subject_id', p_business_date, e -> 'data'
        FROM jsonb_array_elements(coalesce(p_events, '[]'::jsonb)) AS e
        RETURNING 1
    )
    SELECT count(*)::integer FROM written
$function$
;
