-- Federation-wide scope: only the federation role (coopac_app_federation: the app role's
-- name and _federation, as migration 0014 writes it), which the app becomes for a
-- transaction, sees every cooperative; a setting alone opens nothing.
CREATE OR REPLACE FUNCTION public.coopac_tenant_all()
 RETURNS boolean
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ SELECT current_user = 'coopac_app_federation' $function$
;
