-- A journal entry without postings is refused at commit (a deferred constraint trigger):
-- every entry moves something.
CREATE OR REPLACE FUNCTION public.coopac_check_entry_has_postings()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM posting
                    WHERE cooperative_id = NEW.cooperative_id AND entry_id = NEW.id) THEN
        RAISE EXCEPTION 'journal entry % has no postings', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$function$
;
