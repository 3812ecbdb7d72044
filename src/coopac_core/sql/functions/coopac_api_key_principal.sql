-- Who an API key acts for, wherever it is used (a request's session, a one-call money
-- operation): the key found by its prefix and the hash of its secret, not revoked, not
-- expired, holding the scope the request needs (p_scope), its owner active. It acts with
-- the roles it names that its owner still holds in its cooperative, less p_forbidden
-- (roles no key acts with). Its use is noted at most once per p_touch (last_used_at and an
-- audit line); a request touching it already is not waited for. Owned by
-- coopac_app_federation: a key is looked up before any cooperative is in scope.
CREATE OR REPLACE FUNCTION public.coopac_api_key_principal(p_prefix text, p_secret_hash text, p_scope text, p_forbidden text[], p_touch interval, p_request_id text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    k api_key%ROWTYPE;
    v_active boolean;
    v_roles text[];
    v_touched uuid;
BEGIN
    SELECT * INTO k FROM api_key WHERE prefix = p_prefix;
    -- hashes of the secret are compared: how long that takes tells nothing of the secret
    IF NOT FOUND OR k.secret_hash <> p_secret_hash THEN
        PERFORM coopac_refuse_caller('invalid_api_key');
    END IF;
    IF k.revoked_at IS NOT NULL THEN
        PERFORM coopac_refuse_caller('api_key_revoked');
    END IF;
    IF k.expires_at <= now() THEN
        PERFORM coopac_refuse_caller('api_key_expired', jsonb_build_object('expires_at',
            to_char(k.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"+00:00"')));
    END IF;
    IF p_scope IS NOT NULL AND NOT p_scope = ANY (k.scopes) THEN
        PERFORM coopac_refuse_caller('scope_required', jsonb_build_object('scope', p_scope));
    END IF;
    SELECT u.is_active INTO v_active FROM staff_user u WHERE u.id = k.owner_id;
    IF NOT coalesce(v_active, false) THEN
        PERFORM coopac_refuse_caller('api_key_owner_inactive');
    END IF;
    -- no more than the owner holds today: a role taken from the owner is taken from the key
    v_roles := ARRAY(
        SELECT g.role::text FROM role_grant g
        WHERE g.user_id = k.owner_id AND g.cooperative_id = k.cooperative_id
          AND g.role = ANY (k.roles) AND NOT g.role = ANY (p_forbidden)
        ORDER BY 1);
    IF k.last_used_at IS NULL OR now() - k.last_used_at > p_touch THEN
        UPDATE api_key SET last_used_at = now()
        WHERE id = (SELECT a.id FROM api_key a WHERE a.cooperative_id = k.cooperative_id
                    AND a.id = k.id FOR UPDATE SKIP LOCKED)
        RETURNING id INTO v_touched;
        IF v_touched IS NOT NULL THEN
            INSERT INTO audit_event (cooperative_id, actor_user_id, actor_api_key_id,
                actor_name, action, resource_type, resource_id, request_id)
            VALUES (k.cooperative_id, k.owner_id, k.id, 'api-key:' || k.name,
                'api_key.use', 'api_key', k.id::text, p_request_id);
        END IF;
    END IF;
    RETURN jsonb_build_object('id', k.id, 'name', 'api-key:' || k.name, 'owner', k.owner_id,
        'cooperative', k.cooperative_id, 'branch', k.branch_id, 'roles', v_roles);
END
$function$
;
