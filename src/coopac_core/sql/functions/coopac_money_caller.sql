-- Who calls, as coopac_money_call checked it: the session alive, a role that may, never the
-- federation (KA001 otherwise); the actor the operations book, without their origin.
CREATE OR REPLACE FUNCTION public.coopac_money_caller(p_user uuid, p_version integer, p_coop uuid, p_allowed text[], p_any_branch text[], p_request_id text)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_name text;
    v_active boolean;
    v_version integer;
    v_roles text[] := '{}';
    v_branch uuid;
    g record;
BEGIN
    FOR g IN SELECT * FROM coopac_principal(p_user) LOOP
        v_name := g.username;
        v_active := g.is_active;
        v_version := g.token_version;
        IF g.role IS NOT NULL AND (g.grant_cooperative_id IS NULL
                                   OR g.grant_cooperative_id = p_coop) THEN
            v_roles := v_roles || g.role;
            IF g.grant_cooperative_id = p_coop AND g.branch_id IS NOT NULL THEN
                v_branch := g.branch_id;
            END IF;
        END IF;
    END LOOP;
    IF v_name IS NULL OR NOT v_active OR v_version <> p_version THEN
        PERFORM coopac_refuse_caller('token_revoked');
    END IF;
    IF cardinality(v_roles) = 0 THEN
        PERFORM coopac_refuse_caller('cooperative_not_found');
    END IF;
    IF NOT v_roles && p_allowed THEN
        IF 'federation_admin' = ANY (v_roles) THEN
            PERFORM coopac_refuse_caller('forbidden', jsonb_build_object('detail',
                'La federación consulta; no mueve ni decide sobre dinero de socios'));
        END IF;
        PERFORM coopac_refuse_caller('forbidden');
    END IF;
    RETURN jsonb_build_object('person', p_user, 'name', v_name, 'roles', v_roles,
        'branch', v_branch, 'any_branch', v_roles && p_any_branch, 'request_id', p_request_id);
END
$function$
;
