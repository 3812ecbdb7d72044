"""money batches: the one-call money POST split into who calls (coopac_money_caller) and
one operation under its key (coopac_money_op), so that a device's batch checks its caller
once and applies its operations in chunks, each operation in a subtransaction of its own
(coopac_money_batch): one round trip and one commit per chunk instead of per operation

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-27 00:05:00
"""

from collections.abc import Sequence

from alembic import op
from frozen import rls

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = r"""
-- Who calls, as coopac_money_call checked it: the session alive, a role that may, never the
-- federation (KA001 otherwise); the actor the operations book, without their origin.
CREATE FUNCTION coopac_money_caller(
    p_user uuid, p_version integer, p_coop uuid, p_allowed text[], p_any_branch text[],
    p_request_id text
) RETURNS jsonb LANGUAGE plpgsql AS $$
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
$$;

-- One money operation under its Idempotency-Key, in the caller's cooperative scope: the
-- first answer replayed, or the operation done and its answer kept with the key. A request
-- racing one with the same key does the work too (waiting on the same account's lock), then
-- waits on the key's unique index: it finds the first one's key there and refuses with
-- KC001 (undoing its own work); called again, it replays. One write of the key.
CREATE FUNCTION coopac_money_op(
    p_coop uuid, p_user uuid, p_key text, p_hash text, p_operation text, p_args jsonb,
    p_actor jsonb, p_policy jsonb, p_refused integer, p_refusal jsonb,
    OUT status integer, OUT body jsonb, OUT replayed boolean
) LANGUAGE plpgsql AS $$
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
        -- refused by the service before any rule here (an amount of zero): kept all the same
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
$$;

-- A money POST by a signed-in user, whole (as 0020 made it): the caller, the scope, the
-- operation under its key. One statement: it all commits together or not at all.
CREATE OR REPLACE FUNCTION coopac_money_call(
    p_user uuid, p_version integer, p_coop uuid, p_allowed text[], p_any_branch text[],
    p_key text, p_hash text, p_request_id text, p_operation text, p_args jsonb,
    p_policy jsonb, p_refused integer, p_refusal jsonb,
    OUT status integer, OUT body jsonb, OUT replayed boolean
) LANGUAGE plpgsql AS $$
DECLARE
    v_actor jsonb := coopac_money_caller(p_user, p_version, p_coop, p_allowed, p_any_branch,
        p_request_id);
BEGIN
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    SELECT * INTO status, body, replayed FROM coopac_money_op(p_coop, p_user, p_key, p_hash,
        p_operation, p_args, v_actor, p_policy, p_refused, p_refusal);
END
$$;

-- A chunk of a device's batch: the caller checked once, then each operation in order in a
-- subtransaction of its own, so that one refused (insufficient funds at arrival) is undone
-- alone and the rest go on. p_ops: [{"key", "hash", "operation", "args"}]. Answers one
-- element per operation: {"status", "body", "replayed"} when it ran or replayed;
-- {"refusal", "detail"} when its rules refused it (the service keeps that answer, whose
-- words are its own); {"caller_refusal", "detail"} (a key reused: not kept);
-- {"raced": true} when a request with the same key committed first (the service asks again).
CREATE FUNCTION coopac_money_batch(
    p_user uuid, p_version integer, p_coop uuid, p_allowed text[], p_any_branch text[],
    p_request_id text, p_policy jsonb, p_ops jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
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
            SELECT * INTO r FROM coopac_money_op(p_coop, p_user, v_op ->> 'key',
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
$$;
"""

NAMES = (
    "coopac_money_caller(uuid, integer, uuid, text[], text[], text)",
    "coopac_money_op(uuid, uuid, text, text, text, jsonb, jsonb, jsonb, integer, jsonb)",
    "coopac_money_batch(uuid, integer, uuid, text[], text[], text, jsonb, jsonb)",
)

# Back to 0021: its coopac_money_call.
PREVIOUS_MONEY_CALL = r"""CREATE OR REPLACE FUNCTION coopac_money_call(
    p_user uuid, p_version integer, p_coop uuid, p_allowed text[], p_any_branch text[],
    p_key text, p_hash text, p_request_id text, p_operation text, p_args jsonb,
    p_policy jsonb, p_refused integer, p_refusal jsonb,
    OUT status integer, OUT body jsonb, OUT replayed boolean
) LANGUAGE plpgsql AS $$
DECLARE
    v_name text;
    v_active boolean;
    v_version integer;
    v_roles text[] := '{}';
    v_branch uuid;
    g record;
    v_claimed text;
    v_kept record;
    v_actor jsonb;
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
    PERFORM set_config('coopac.tenant', p_coop::text, true);
    -- A retry finds the first answer. A request racing one with the same key does the work
    -- too (waiting on the same account's lock), then waits on the key's unique index: it
    -- finds the first one's key there, refuses with KC001 (undoing its own work) and the
    -- service calls again, to replay. One write of the key, with its answer.
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
        -- refused by the service before any rule here (an amount of zero): kept all the same
        status := p_refused;
        body := p_refusal;
    ELSE
        -- where the request came in (its channel; offline, when and on which device)
        v_actor := coalesce(p_args -> 'origin', '{}'::jsonb) || jsonb_build_object(
            'person', p_user, 'name', v_name, 'roles', v_roles, 'branch', v_branch,
            'any_branch', v_roles && p_any_branch, 'request_id', p_request_id);
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
$$;
"""


def upgrade() -> None:
    op.execute(FUNCTIONS)
    for name in NAMES:
        op.execute(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {name} TO {rls.app_role()}")


def downgrade() -> None:
    op.execute(PREVIOUS_MONEY_CALL)
    for name in NAMES[::-1]:
        op.execute(f"DROP FUNCTION {name}")
