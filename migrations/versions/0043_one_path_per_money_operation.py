"""one path per money operation, whoever calls: an API key's deposit, transfer and share
payment go through coopac_money_call as a session's do (coopac_money_caller takes either
credential; coopac_api_key_principal checks a key for every path), and the service's
transaction keeps its Idempotency-Keys with the same functions (coopac_keep_answer,
coopac_kept_answer, coopac_idempotency_actor, coopac_answer_claimed), the federation's own
keys too

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-07 12:16:26.407236
"""

from collections.abc import Sequence

from alembic import op
from alembic_utils.pg_function import PGFunction
from frozen import rls

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COOPAC_ANSWER_CLAIMED = PGFunction(
    schema="public",
    signature="coopac_answer_claimed(p_coop uuid, p_key text, p_status integer, p_body jsonb)",
    definition="""returns void
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF p_coop IS NULL THEN
        UPDATE federation_idempotency_key SET response_status = p_status,
            response_body = p_body WHERE key = p_key;
    ELSE
        UPDATE idempotency_key SET response_status = p_status, response_body = p_body
        WHERE cooperative_id = p_coop AND key = p_key;
    END IF;
END
$function$""",
)

NEW_COOPAC_API_KEY_PRINCIPAL = PGFunction(
    schema="public",
    signature=(
        "coopac_api_key_principal(p_prefix text, p_secret_hash text, p_scope text, "
        "p_forbidden text[], p_touch interval, p_request_id text)"
    ),
    definition=r"""returns jsonb
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
    -- hashes of the secret are compared\: how long that takes tells nothing of the secret
    IF NOT FOUND OR k.secret_hash <> p_secret_hash THEN
        PERFORM coopac_refuse_caller('invalid_api_key');
    END IF;
    IF k.revoked_at IS NOT NULL THEN
        PERFORM coopac_refuse_caller('api_key_revoked');
    END IF;
    IF k.expires_at <= now() THEN
        PERFORM coopac_refuse_caller('api_key_expired', jsonb_build_object('expires_at',
            to_char(k.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24\:MI"+00\:00"')));
    END IF;
    IF p_scope IS NOT NULL AND NOT p_scope = ANY (k.scopes) THEN
        PERFORM coopac_refuse_caller('scope_required', jsonb_build_object('scope', p_scope));
    END IF;
    SELECT u.is_active INTO v_active FROM staff_user u WHERE u.id = k.owner_id;
    IF NOT coalesce(v_active, false) THEN
        PERFORM coopac_refuse_caller('api_key_owner_inactive');
    END IF;
    -- no more than the owner holds today\: a role taken from the owner is taken from the key
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
            VALUES (k.cooperative_id, k.owner_id, k.id, 'api-key\:' || k.name,
                'api_key.use', 'api_key', k.id::text, p_request_id);
        END IF;
    END IF;
    RETURN jsonb_build_object('id', k.id, 'name', 'api-key\:' || k.name, 'owner', k.owner_id,
        'cooperative', k.cooperative_id, 'branch', k.branch_id, 'roles', v_roles);
END
$function$""",
)

NEW_COOPAC_IDEMPOTENCY_ACTOR = PGFunction(
    schema="public",
    signature="coopac_idempotency_actor(p_actor jsonb)",
    definition="""returns text
 LANGUAGE sql
 IMMUTABLE
AS $function$
    SELECT coalesce(p_actor ->> 'api_key', p_actor ->> 'person', p_actor ->> 'name')
$function$""",
)

NEW_COOPAC_KEEP_ANSWER = PGFunction(
    schema="public",
    signature=(
        "coopac_keep_answer(p_coop uuid, p_key text, p_hash text, p_actor text, p_status "
        "integer, p_body jsonb, OUT status integer, OUT body jsonb, OUT replayed boolean)"
    ),
    definition="""returns record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_claimed text;
    v_kept record;
BEGIN
    IF p_coop IS NULL THEN
        INSERT INTO federation_idempotency_key (key, request_hash, actor, response_status,
            response_body)
        VALUES (p_key, p_hash, p_actor, p_status, p_body)
        ON CONFLICT (key) DO NOTHING RETURNING key INTO v_claimed;
    ELSE
        PERFORM set_config('coopac.tenant', p_coop::text, true);
        INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, response_status,
            response_body)
        VALUES (p_coop, p_key, p_hash, p_actor, p_status, p_body)
        ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    END IF;
    IF v_claimed IS NOT NULL THEN
        status := p_status;
        body := p_body;
        replayed := false;
        RETURN;
    END IF;
    v_kept := coopac_kept_answer(p_coop, p_key, p_hash, p_actor);
    status := v_kept.status;
    body := v_kept.body;
    replayed := v_kept.replayed;
END
$function$""",
)

NEW_COOPAC_KEPT_ANSWER = PGFunction(
    schema="public",
    signature=(
        "coopac_kept_answer(p_coop uuid, p_key text, p_hash text, p_actor text, OUT status "
        "integer, OUT body jsonb, OUT replayed boolean)"
    ),
    definition="""returns record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_kept record;
BEGIN
    IF p_coop IS NULL THEN
        SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
        FROM federation_idempotency_key k WHERE k.key = p_key;
    ELSE
        SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
        FROM idempotency_key k WHERE k.cooperative_id = p_coop AND k.key = p_key;
    END IF;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF v_kept.request_hash <> p_hash OR v_kept.actor <> p_actor THEN
        PERFORM coopac_refuse_caller('idempotency_key_reused');
    END IF;
    status := v_kept.response_status;
    body := v_kept.response_body;
    replayed := true;
END
$function$""",
)

NEW_COOPAC_MONEY_BATCH = PGFunction(
    schema="public",
    signature=(
        "coopac_money_batch(p_credential jsonb, p_coop uuid, p_allowed text[], p_any_branch "
        "text[], p_request_id text, p_policy jsonb, p_ops jsonb)"
    ),
    definition="""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_actor jsonb := coopac_money_caller(p_credential, p_coop, p_allowed, p_any_branch,
        p_request_id);
    v_idem_actor text := coopac_idempotency_actor(v_actor);
    v_op jsonb;
    r record;
    v_state text;
    v_message text;
    v_detail text;
    v_out jsonb := '[]'::jsonb;
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
        BEGIN
            r := coopac_money_op(p_coop, v_idem_actor, v_op ->> 'key',
                v_op ->> 'hash', v_op ->> 'operation', v_op -> 'args', v_actor, p_policy,
                NULL, NULL);
            v_out := v_out || jsonb_build_array(jsonb_build_object('status', r.status,
                'body', r.body, 'replayed', r.replayed));
        EXCEPTION WHEN SQLSTATE 'KR001' OR SQLSTATE 'KA001' OR SQLSTATE 'KC001' THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                v_detail = PG_EXCEPTION_DETAIL;
            v_out := v_out || jsonb_build_array(CASE v_state
                WHEN 'KR001' THEN jsonb_build_object('refusal', v_message, 'detail', v_detail)
                WHEN 'KA001' THEN jsonb_build_object('caller_refusal', v_message,
                    'detail', v_detail)
                ELSE jsonb_build_object('raced', true) END);
        END;
    END LOOP;
    RETURN v_out;
END
$function$""",
)

NEW_COOPAC_MONEY_CALL = PGFunction(
    schema="public",
    signature=(
        "coopac_money_call(p_credential jsonb, p_coop uuid, p_allowed text[], p_any_branch "
        "text[], p_key text, p_hash text, p_request_id text, p_operation text, p_args jsonb, "
        "p_policy jsonb, p_refused integer, p_refusal jsonb, OUT status integer, OUT body "
        "jsonb, OUT replayed boolean)"
    ),
    definition="""returns record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_actor jsonb := coopac_money_caller(p_credential, p_coop, p_allowed, p_any_branch,
        p_request_id);
    v_answer record;
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    v_answer := coopac_money_op(p_coop, coopac_idempotency_actor(v_actor), p_key, p_hash,
        p_operation, p_args, v_actor, p_policy, p_refused, p_refusal);
    status := v_answer.status;
    body := v_answer.body;
    replayed := v_answer.replayed;
END
$function$""",
)

NEW_COOPAC_MONEY_CALLER = PGFunction(
    schema="public",
    signature=(
        "coopac_money_caller(p_credential jsonb, p_coop uuid, p_allowed text[], p_any_branch "
        "text[], p_request_id text)"
    ),
    definition=r"""returns jsonb
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
        -- the words are the service's (RoleNotAllowed)\: this says only which refusal it is
        PERFORM coopac_refuse_caller('forbidden', jsonb_build_object('federation',
            'federation_admin' = ANY (v_roles)));
    END IF;
    RETURN jsonb_build_object('person', v_person, 'api_key', v_key, 'name', v_name,
        'roles', v_roles, 'branch', v_branch, 'any_branch', v_roles && p_any_branch,
        'request_id', p_request_id);
END
$function$""",
)

NEW_COOPAC_MONEY_OP = PGFunction(
    schema="public",
    signature=(
        "coopac_money_op(p_coop uuid, p_idem_actor text, p_key text, p_hash text, p_operation "
        "text, p_args jsonb, p_actor jsonb, p_policy jsonb, p_refused integer, p_refusal "
        "jsonb, OUT status integer, OUT body jsonb, OUT replayed boolean)"
    ),
    definition=r"""returns record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_claimed text;
    v_kept record;
    v_actor jsonb;
BEGIN
    SELECT * INTO v_kept FROM coopac_kept_answer(p_coop, p_key, p_hash, p_idem_actor);
    IF v_kept.status IS NOT NULL THEN
        status := v_kept.status;
        body := v_kept.body;
        replayed := true;
        RETURN;
    END IF;
    replayed := false;
    IF p_refused IS NOT NULL THEN
        -- refused by the service before any rule here (an amount of zero)\: kept all the same
        status := p_refused;
        body := p_refusal;
    ELSE
        -- where the request came in (its channel; offline, when and on which device)
        v_actor := coalesce(p_args -> 'origin', '{}'::jsonb) || p_actor;
        IF p_operation = 'deposit' THEN
            body := coopac_savings_deposit(p_coop, (p_args ->> 'account_id')::uuid,
                (p_args ->> 'amount')::numeric, p_args ->> 'currency',
                (p_args ->> 'branch_id')::uuid, p_args ->> 'description', v_actor, p_policy);
        ELSIF p_operation = 'transfer' THEN
            body := coopac_savings_transfer(p_coop, (p_args ->> 'from_account_id')::uuid,
                (p_args ->> 'to_account_id')::uuid, (p_args ->> 'amount')::numeric,
                p_args ->> 'currency', p_args ->> 'description', v_actor, p_policy);
        ELSIF p_operation = 'share_payment' THEN
            body := coopac_share_payment(p_coop, (p_args ->> 'member_id')::uuid,
                (p_args ->> 'amount')::numeric, (p_args ->> 'branch_id')::uuid,
                (p_args ->> 'from_account_id')::uuid, p_args ->> 'description', v_actor,
                p_policy);
        ELSE
            RAISE EXCEPTION 'unknown money operation %', p_operation;
        END IF;
        status := 201;
    END IF;
    INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, response_status,
        response_body)
    VALUES (p_coop, p_key, p_hash, p_idem_actor, status, body)
    ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    IF v_claimed IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'KC001', MESSAGE = 'idempotency key raced';
    END IF;
END
$function$""",
)

OLD_COOPAC_MONEY_CALL = PGFunction(
    schema="public",
    signature=(
        "coopac_money_call(p_user uuid, p_version integer, p_coop uuid, p_allowed text[], "
        "p_any_branch text[], p_key text, p_hash text, p_request_id text, p_operation text, "
        "p_args jsonb, p_policy jsonb, p_refused integer, p_refusal jsonb, OUT status "
        "integer, OUT body jsonb, OUT replayed boolean)"
    ),
    definition="""returns record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_actor jsonb := coopac_money_caller(p_user, p_version, p_coop, p_allowed, p_any_branch,
        p_request_id);
    v_answer record;
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    v_answer := coopac_money_op(p_coop, p_user, p_key, p_hash, p_operation, p_args, v_actor,
        p_policy, p_refused, p_refusal);
    status := v_answer.status;
    body := v_answer.body;
    replayed := v_answer.replayed;
END
$function$""",
)

OLD_COOPAC_MONEY_CALLER = PGFunction(
    schema="public",
    signature=(
        "coopac_money_caller(p_user uuid, p_version integer, p_coop uuid, p_allowed text[], "
        "p_any_branch text[], p_request_id text)"
    ),
    definition="""returns jsonb
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
$function$""",
)

OLD_COOPAC_MONEY_OP = PGFunction(
    schema="public",
    signature=(
        "coopac_money_op(p_coop uuid, p_user uuid, p_key text, p_hash text, p_operation text, "
        "p_args jsonb, p_actor jsonb, p_policy jsonb, p_refused integer, p_refusal jsonb, OUT "
        "status integer, OUT body jsonb, OUT replayed boolean)"
    ),
    definition=r"""returns record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_claimed text;
    v_kept record;
    v_actor jsonb;
BEGIN
    SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
    FROM idempotency_key k WHERE k.cooperative_id = p_coop AND k.key = p_key;
    IF FOUND THEN
        IF v_kept.request_hash <> p_hash OR v_kept.actor <> p_user::text THEN
            PERFORM coopac_refuse_caller('idempotency_key_reused');
        END IF;
        status := v_kept.response_status;
        body := v_kept.response_body;
        replayed := true;
        RETURN;
    END IF;
    replayed := false;
    IF p_refused IS NOT NULL THEN
        -- refused by the service before any rule here (an amount of zero)\: kept all the same
        status := p_refused;
        body := p_refusal;
    ELSE
        -- where the request came in (its channel; offline, when and on which device)
        v_actor := coalesce(p_args -> 'origin', '{}'::jsonb) || p_actor;
        IF p_operation = 'deposit' THEN
            body := coopac_savings_deposit(p_coop, (p_args ->> 'account_id')::uuid,
                (p_args ->> 'amount')::numeric, p_args ->> 'currency',
                (p_args ->> 'branch_id')::uuid, p_args ->> 'description', v_actor, p_policy);
        ELSIF p_operation = 'transfer' THEN
            body := coopac_savings_transfer(p_coop, (p_args ->> 'from_account_id')::uuid,
                (p_args ->> 'to_account_id')::uuid, (p_args ->> 'amount')::numeric,
                p_args ->> 'currency', p_args ->> 'description', v_actor, p_policy);
        ELSIF p_operation = 'share_payment' THEN
            body := coopac_share_payment(p_coop, (p_args ->> 'member_id')::uuid,
                (p_args ->> 'amount')::numeric, (p_args ->> 'branch_id')::uuid,
                (p_args ->> 'from_account_id')::uuid, p_args ->> 'description', v_actor,
                p_policy);
        ELSE
            RAISE EXCEPTION 'unknown money operation %', p_operation;
        END IF;
        status := 201;
    END IF;
    INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, response_status,
        response_body)
    VALUES (p_coop, p_key, p_hash, p_user::text, status, body)
    ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    IF v_claimed IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'KC001', MESSAGE = 'idempotency key raced';
    END IF;
END
$function$""",
)

OLD_COOPAC_MONEY_BATCH = PGFunction(
    schema="public",
    signature=(
        "coopac_money_batch(p_user uuid, p_version integer, p_coop uuid, p_allowed text[], "
        "p_any_branch text[], p_request_id text, p_policy jsonb, p_ops jsonb)"
    ),
    definition="""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_actor jsonb := coopac_money_caller(p_user, p_version, p_coop, p_allowed, p_any_branch,
        p_request_id);
    v_op jsonb;
    r record;
    v_state text;
    v_message text;
    v_detail text;
    v_out jsonb := '[]'::jsonb;
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
        BEGIN
            r := coopac_money_op(p_coop, p_user, v_op ->> 'key',
                v_op ->> 'hash', v_op ->> 'operation', v_op -> 'args', v_actor, p_policy,
                NULL, NULL);
            v_out := v_out || jsonb_build_array(jsonb_build_object('status', r.status,
                'body', r.body, 'replayed', r.replayed));
        EXCEPTION WHEN SQLSTATE 'KR001' OR SQLSTATE 'KA001' OR SQLSTATE 'KC001' THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                v_detail = PG_EXCEPTION_DETAIL;
            v_out := v_out || jsonb_build_array(CASE v_state
                WHEN 'KR001' THEN jsonb_build_object('refusal', v_message, 'detail', v_detail)
                WHEN 'KA001' THEN jsonb_build_object('caller_refusal', v_message,
                    'detail', v_detail)
                ELSE jsonb_build_object('raced', true) END);
        END;
    END LOOP;
    RETURN v_out;
END
$function$""",
)

OLD_COOPAC_KEEP_ANSWER = PGFunction(
    schema="public",
    signature=(
        "coopac_keep_answer(p_coop uuid, p_key text, p_hash text, p_actor text, p_status "
        "integer, p_body jsonb, OUT status integer, OUT body jsonb, OUT replayed boolean)"
    ),
    definition="""returns record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_claimed text;
    v_kept record;
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, response_status,
        response_body)
    VALUES (p_coop, p_key, p_hash, p_actor, p_status, p_body)
    ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key INTO v_claimed;
    IF v_claimed IS NOT NULL THEN
        status := p_status;
        body := p_body;
        replayed := false;
        RETURN;
    END IF;
    SELECT k.request_hash, k.actor, k.response_status, k.response_body INTO v_kept
    FROM idempotency_key k WHERE k.cooperative_id = p_coop AND k.key = p_key;
    IF v_kept.request_hash <> p_hash OR v_kept.actor <> p_actor THEN
        PERFORM coopac_refuse_caller('idempotency_key_reused');
    END IF;
    status := v_kept.response_status;
    body := v_kept.response_body;
    replayed := true;
END
$function$""",
)


# the functions the service calls: its role alone may (as every money function)
GRANTED = (
    "coopac_api_key_principal(text, text, text, text[], interval, text)",
    "coopac_money_call(jsonb, uuid, text[], text[], text, text, text, text, jsonb, jsonb, "
    "integer, jsonb)",
    "coopac_money_batch(jsonb, uuid, text[], text[], text, jsonb, jsonb)",
    "coopac_money_caller(jsonb, uuid, text[], text[], text)",
    "coopac_money_op(uuid, text, text, text, text, jsonb, jsonb, jsonb, integer, jsonb)",
    "coopac_kept_answer(uuid, text, text, text)",
    "coopac_answer_claimed(uuid, text, integer, jsonb)",
    "coopac_idempotency_actor(jsonb)",
)

FEDERATION_KEYS = (
    "coopac_keep_answer(uuid, text, text, text, integer, jsonb)",
    "coopac_kept_answer(uuid, text, text, text)",
    "coopac_answer_claimed(uuid, text, integer, jsonb)",
    "coopac_idempotency_actor(jsonb)",
)
# what the downgrade puts back, granted as before
OLD_GRANTED = (
    "coopac_money_call(uuid, integer, uuid, text[], text[], text, text, text, text, jsonb, "
    "jsonb, integer, jsonb)",
    "coopac_money_batch(uuid, integer, uuid, text[], text[], text, jsonb, jsonb)",
    "coopac_money_caller(uuid, integer, uuid, text[], text[], text)",
    "coopac_money_op(uuid, uuid, text, text, text, jsonb, jsonb, jsonb, integer, jsonb)",
)


def upgrade() -> None:
    op.create_entity(NEW_COOPAC_ANSWER_CLAIMED)  # type: ignore[attr-defined]
    op.create_entity(NEW_COOPAC_API_KEY_PRINCIPAL)  # type: ignore[attr-defined]
    op.create_entity(NEW_COOPAC_IDEMPOTENCY_ACTOR)  # type: ignore[attr-defined]
    op.replace_entity(NEW_COOPAC_KEEP_ANSWER)  # type: ignore[attr-defined]
    op.create_entity(NEW_COOPAC_KEPT_ANSWER)  # type: ignore[attr-defined]
    op.create_entity(NEW_COOPAC_MONEY_BATCH)  # type: ignore[attr-defined]
    op.create_entity(NEW_COOPAC_MONEY_CALL)  # type: ignore[attr-defined]
    op.create_entity(NEW_COOPAC_MONEY_CALLER)  # type: ignore[attr-defined]
    op.create_entity(NEW_COOPAC_MONEY_OP)  # type: ignore[attr-defined]
    op.drop_entity(OLD_COOPAC_MONEY_CALL)  # type: ignore[attr-defined]
    op.drop_entity(OLD_COOPAC_MONEY_CALLER)  # type: ignore[attr-defined]
    op.drop_entity(OLD_COOPAC_MONEY_OP)  # type: ignore[attr-defined]
    op.drop_entity(OLD_COOPAC_MONEY_BATCH)  # type: ignore[attr-defined]
    app = rls.app_role()
    federation = '"' + f"{rls.app_role()[1:-1]}_federation" + '"'
    for name in GRANTED:
        op.execute(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {name} TO {app}")
    # a key is read before any cooperative is in scope: as the role that reads every tenant,
    # which then refuses as every caller check does
    op.execute(f"ALTER FUNCTION {GRANTED[0]} OWNER TO {federation}")
    op.execute(f"GRANT EXECUTE ON FUNCTION coopac_refuse_caller(text, jsonb) TO {federation}")
    # the federation's own creates keep their keys as every request does
    for name in FEDERATION_KEYS:
        op.execute(f"GRANT EXECUTE ON FUNCTION {name} TO {federation}")


def downgrade() -> None:
    federation = '"' + f"{rls.app_role()[1:-1]}_federation" + '"'
    op.execute(f"REVOKE EXECUTE ON FUNCTION coopac_refuse_caller(text, jsonb) FROM {federation}")
    op.execute(
        "REVOKE EXECUTE ON FUNCTION coopac_keep_answer(uuid, text, text, text, integer, jsonb) "
        f"FROM {federation}"
    )
    op.create_entity(OLD_COOPAC_MONEY_BATCH)  # type: ignore[attr-defined]
    op.create_entity(OLD_COOPAC_MONEY_OP)  # type: ignore[attr-defined]
    op.create_entity(OLD_COOPAC_MONEY_CALLER)  # type: ignore[attr-defined]
    op.create_entity(OLD_COOPAC_MONEY_CALL)  # type: ignore[attr-defined]
    for name in OLD_GRANTED:
        op.execute(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {name} TO {rls.app_role()}")
    op.drop_entity(NEW_COOPAC_MONEY_OP)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_MONEY_CALLER)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_MONEY_CALL)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_MONEY_BATCH)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_KEPT_ANSWER)  # type: ignore[attr-defined]
    op.replace_entity(OLD_COOPAC_KEEP_ANSWER)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_IDEMPOTENCY_ACTOR)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_API_KEY_PRINCIPAL)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_ANSWER_CLAIMED)  # type: ignore[attr-defined]
