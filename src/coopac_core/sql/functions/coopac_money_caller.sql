-- Who calls a money operation, checked once for every credential: a signed-in user's
-- session ({"user", "version"}) or an API key ({"api_key_prefix", "api_key_hash", "scope",
-- "forbidden", "touch"}: coopac_api_key_principal). A role that may, never the federation
-- (KA001 otherwise). Answers the actor the operations book, without their origin.
CREATE OR REPLACE FUNCTION public.coopac_money_caller(p_credential jsonb, p_coop uuid, p_allowed text[], p_any_branch text[], p_request_id text)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_person uuid;
    v_key uuid;
    v_name text;
    v_active boolean;
    v_version integer;
    v_roles text[] := '{}';
    v_branch uuid;
    v_found jsonb;
    g record;
BEGIN
    IF p_credential ? 'api_key_prefix' THEN
        v_found := coopac_api_key_principal(p_credential ->> 'api_key_prefix',
            p_credential ->> 'api_key_hash', p_credential ->> 'scope',
            ARRAY(SELECT jsonb_array_elements_text(p_credential -> 'forbidden')),
            (p_credential ->> 'touch')::interval, p_request_id);
        v_person := (v_found ->> 'owner')::uuid;
        v_key := (v_found ->> 'id')::uuid;
        v_name := v_found ->> 'name';
        IF (v_found ->> 'cooperative')::uuid = p_coop THEN
            v_roles := ARRAY(SELECT jsonb_array_elements_text(v_found -> 'roles'));
            v_branch := (v_found ->> 'branch')::uuid;
        END IF;
    ELSE
        v_person := (p_credential ->> 'user')::uuid;
        FOR g IN SELECT * FROM coopac_principal(v_person) LOOP
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
        IF v_name IS NULL OR NOT v_active
           OR v_version <> (p_credential ->> 'version')::integer THEN
            PERFORM coopac_refuse_caller('token_revoked');
        END IF;
    END IF;
    IF cardinality(v_roles) = 0 THEN
        PERFORM coopac_refuse_caller('cooperative_not_found');
    END IF;
    IF NOT v_roles && p_allowed THEN
        -- the words are the service's (RoleNotAllowed): this says only which refusal it is
        PERFORM coopac_refuse_caller('forbidden', jsonb_build_object('federation',
            'federation_admin' = ANY (v_roles)));
    END IF;
    RETURN jsonb_build_object('person', v_person, 'api_key', v_key, 'name', v_name,
        'roles', v_roles, 'branch', v_branch, 'any_branch', v_roles && p_any_branch,
        'request_id', p_request_id);
END
$function$
;
