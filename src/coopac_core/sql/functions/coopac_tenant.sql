-- The cooperative this transaction is scoped to (coopac.tenant), or NULL: row-level
-- security compares every tenant row's cooperative_id with it.
CREATE OR REPLACE FUNCTION public.coopac_tenant()
 RETURNS uuid
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$
    SELECT CASE
        WHEN coalesce(current_setting('coopac.tenant', true), '') IN ('', '*') THEN NULL
        ELSE current_setting('coopac.tenant', true)::uuid
    END
$function$
;
