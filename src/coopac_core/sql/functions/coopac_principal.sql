-- Who a token's user is, across cooperatives (their roles in each), read before any
-- cooperative is in scope: owned by coopac_app_federation, which alone reads every tenant.
CREATE OR REPLACE FUNCTION public.coopac_principal(p_user_id uuid)
 RETURNS TABLE(username text, full_name text, cooperative_id uuid, is_active boolean, token_version integer, role text, grant_cooperative_id uuid, branch_id uuid)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    RETURN QUERY
    SELECT u.username::text, u.full_name::text, u.cooperative_id, u.is_active,
           u.token_version, g.role::text, g.cooperative_id, g.branch_id
    FROM staff_user u
    LEFT JOIN role_grant g ON g.user_id = u.id
    WHERE u.id = p_user_id;
END
$function$
;
