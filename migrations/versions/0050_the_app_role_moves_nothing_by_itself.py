"""the application's role moves nothing by itself: holds are placed and released, and held
amounts moved, only by coopac_place_hold and coopac_release_hold; a person's day totals are
written only by coopac_check_limit (and only grow); an Idempotency-Key's answer is written
once, by coopac_answer_claimed, and no key changes. Those functions run as the tables'
owner; the role loses its UPDATE (and INSERT) on what they own

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-07 18:40:00
"""

from collections.abc import Sequence

from alembic import op
from alembic_utils.pg_function import PGFunction
from frozen import rls

revision: str = "0050"
down_revision: str | None = "0049"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_FUNCTIONS = (
    "coopac_place_hold(uuid, uuid, numeric, uuid, text, text)",
    "coopac_release_hold(uuid, uuid, uuid, text)",
)
# what the application's role may no longer do by itself
TAKEN = (
    "INSERT, UPDATE ON savings_hold",
    "UPDATE (held_amount) ON savings_account",
    "INSERT, UPDATE ON operation_day_total",
    "UPDATE ON idempotency_key",
    "UPDATE ON federation_idempotency_key",
)

NEW_COOPAC_PLACE_HOLD = PGFunction(
    schema="public",
    signature=(
        "coopac_place_hold(p_coop uuid, p_account uuid, p_amount numeric, p_loan uuid, "
        "p_reason text, p_by text)"
    ),
    definition="""returns uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    v_hold uuid := gen_random_uuid();
BEGIN
    INSERT INTO savings_hold (cooperative_id, id, account_id, amount, loan_id, reason,
        placed_by, status, placed_at)
    VALUES (p_coop, v_hold, p_account, p_amount, p_loan, p_reason, p_by, 'active', now());
    UPDATE savings_account SET held_amount = held_amount + p_amount
    WHERE cooperative_id = p_coop AND id = p_account;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    RETURN v_hold;
END
$function$""",
)

NEW_COOPAC_RELEASE_HOLD = PGFunction(
    schema="public",
    signature="coopac_release_hold(p_coop uuid, p_account uuid, p_hold uuid, p_by text)",
    definition="""returns numeric
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    v_amount numeric;
BEGIN
    UPDATE savings_hold SET status = 'released', released_by = p_by, released_at = now()
    WHERE cooperative_id = p_coop AND id = p_hold AND account_id = p_account
      AND status = 'active'
    RETURNING amount INTO v_amount;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM savings_hold h WHERE h.cooperative_id = p_coop
                   AND h.id = p_hold AND h.account_id = p_account) THEN
            PERFORM coopac_refuse('hold_released');
        END IF;
        PERFORM coopac_refuse('hold_not_found');
    END IF;
    UPDATE savings_account SET held_amount = held_amount - v_amount
    WHERE cooperative_id = p_coop AND id = p_account;
    RETURN v_amount;
END
$function$""",
)

NEW_COOPAC_CHECK_LIMIT = PGFunction(
    schema="public",
    signature=(
        "coopac_check_limit(p_coop uuid, p_kind text, p_currency text, p_amount numeric, "
        "p_day date, p_person uuid, p_roles text[], p_policy jsonb)"
    ),
    definition="""returns void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    v_per_operation numeric;
    v_per_day numeric;
    v_no_daily_total boolean;
    v_found integer;
    v_moved numeric;
BEGIN
    IF p_amount <= 0 THEN
        RAISE EXCEPTION 'a day''s total only grows (%)', p_amount USING ERRCODE = 'check_violation';
    END IF;
    IF NOT (p_policy -> 'limited') ? p_kind THEN
        RETURN;
    END IF;
    -- kept whether or not a limit governs it now: one set later the same day counts all
    IF p_person IS NOT NULL THEN
        INSERT INTO operation_day_total AS t (cooperative_id, person_id, business_date, kind,
            currency, amount)
        VALUES (p_coop, p_person, p_day, p_kind, p_currency, p_amount)
        ON CONFLICT (cooperative_id, person_id, business_date, kind, currency)
        DO UPDATE SET amount = t.amount + EXCLUDED.amount
        RETURNING t.amount INTO v_moved;
    END IF;
    SELECT max(l.per_operation), max(l.per_day), bool_or(l.per_day IS NULL), count(*)
    INTO v_per_operation, v_per_day, v_no_daily_total, v_found
    FROM (
        SELECT CASE WHEN o.role IS NOT NULL THEN o.per_operation
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '0'])::numeric
               END AS per_operation,
               CASE WHEN o.role IS NOT NULL THEN o.per_day
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '1'])::numeric
               END AS per_day,
               o.role IS NOT NULL
                   OR p_policy #> ARRAY['limits', r.role, p_currency] IS NOT NULL AS governed
        FROM unnest(p_roles) AS r(role)
        LEFT JOIN operation_limit o ON o.cooperative_id = p_coop AND o.role = r.role
            AND o.operation = p_kind AND o.currency = p_currency
    ) l
    WHERE l.governed;
    IF v_found = 0 THEN
        RETURN;
    END IF;
    IF p_amount > v_per_operation THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'por operación',
            'operation', p_kind, 'limit', v_per_operation::text, 'currency', p_currency));
    END IF;
    IF v_no_daily_total OR p_person IS NULL THEN
        RETURN;
    END IF;
    IF v_moved > v_per_day THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'diario',
            'operation', p_kind, 'limit', v_per_day::text, 'currency', p_currency));
    END IF;
END
$function$""",
)

OLD_COOPAC_CHECK_LIMIT = PGFunction(
    schema="public",
    signature=(
        "coopac_check_limit(p_coop uuid, p_kind text, p_currency text, p_amount numeric, "
        "p_day date, p_person uuid, p_roles text[], p_policy jsonb)"
    ),
    definition="""returns void
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_per_operation numeric;
    v_per_day numeric;
    v_no_daily_total boolean;
    v_found integer;
    v_moved numeric;
BEGIN
    IF NOT (p_policy -> 'limited') ? p_kind THEN
        RETURN;
    END IF;
    -- kept whether or not a limit governs it now: one set later the same day counts all
    IF p_person IS NOT NULL THEN
        INSERT INTO operation_day_total AS t (cooperative_id, person_id, business_date, kind,
            currency, amount)
        VALUES (p_coop, p_person, p_day, p_kind, p_currency, p_amount)
        ON CONFLICT (cooperative_id, person_id, business_date, kind, currency)
        DO UPDATE SET amount = t.amount + EXCLUDED.amount
        RETURNING t.amount INTO v_moved;
    END IF;
    SELECT max(l.per_operation), max(l.per_day), bool_or(l.per_day IS NULL), count(*)
    INTO v_per_operation, v_per_day, v_no_daily_total, v_found
    FROM (
        SELECT CASE WHEN o.role IS NOT NULL THEN o.per_operation
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '0'])::numeric
               END AS per_operation,
               CASE WHEN o.role IS NOT NULL THEN o.per_day
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '1'])::numeric
               END AS per_day,
               o.role IS NOT NULL
                   OR p_policy #> ARRAY['limits', r.role, p_currency] IS NOT NULL AS governed
        FROM unnest(p_roles) AS r(role)
        LEFT JOIN operation_limit o ON o.cooperative_id = p_coop AND o.role = r.role
            AND o.operation = p_kind AND o.currency = p_currency
    ) l
    WHERE l.governed;
    IF v_found = 0 THEN
        RETURN;
    END IF;
    IF p_amount > v_per_operation THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'por operación',
            'operation', p_kind, 'limit', v_per_operation::text, 'currency', p_currency));
    END IF;
    IF v_no_daily_total OR p_person IS NULL THEN
        RETURN;
    END IF;
    IF v_moved > v_per_day THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'diario',
            'operation', p_kind, 'limit', v_per_day::text, 'currency', p_currency));
    END IF;
END
$function$""",
)

NEW_COOPAC_ANSWER_CLAIMED = PGFunction(
    schema="public",
    signature="coopac_answer_claimed(p_coop uuid, p_key text, p_status integer, p_body jsonb)",
    definition="""returns void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    IF p_coop IS NULL THEN
        UPDATE federation_idempotency_key SET response_status = p_status,
            response_body = p_body WHERE key = p_key AND response_status = 0;
    ELSE
        UPDATE idempotency_key SET response_status = p_status, response_body = p_body
        WHERE cooperative_id = p_coop AND key = p_key AND response_status = 0;
    END IF;
END
$function$""",
)

OLD_COOPAC_ANSWER_CLAIMED = PGFunction(
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


def _roles() -> tuple[str, str]:
    app = rls.app_role()
    return app, '"' + f"{app[1:-1]}_federation" + '"'


def upgrade() -> None:
    op.create_entity(NEW_COOPAC_PLACE_HOLD)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.create_entity(NEW_COOPAC_RELEASE_HOLD)  # type: ignore[attr-defined]
    op.replace_entity(NEW_COOPAC_CHECK_LIMIT)  # type: ignore[attr-defined]
    op.replace_entity(NEW_COOPAC_ANSWER_CLAIMED)  # type: ignore[attr-defined]
    app, federation = _roles()
    for signature in NEW_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {app}")
    for what in TAKEN:
        op.execute(f"REVOKE {what} FROM {app}")
        op.execute(f"REVOKE {what} FROM {federation}")


def downgrade() -> None:
    app, federation = _roles()
    for what in TAKEN:
        op.execute(f"GRANT {what} TO {app}")
        op.execute(f"GRANT {what} TO {federation}")
    op.replace_entity(OLD_COOPAC_ANSWER_CLAIMED)  # type: ignore[attr-defined]
    op.replace_entity(OLD_COOPAC_CHECK_LIMIT)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_RELEASE_HOLD)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_PLACE_HOLD)  # type: ignore[attr-defined]
