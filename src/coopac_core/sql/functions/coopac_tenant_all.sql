-- Federation-wide scope: only coopac_app_federation, the role the app becomes for a
-- transaction, sees every cooperative; a setting alone opens nothing.
CREATE OR REPLACE FUNCTION public.coopac_tenant_all()
 RETURNS boolean
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ SELECT current_user = 'coopac_app_federation' $function$
;
