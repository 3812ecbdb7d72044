"""a deceased or withdrawn member's savings take no debit but their settlement:
coopac_member_debitable refuses it (member_in_settlement), run by transfers, share payments
from savings and the service's debits; the manager settles the account on a document

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-07 16:20:00
"""

from collections.abc import Sequence

from alembic import op
from alembic_utils.pg_function import PGFunction
from frozen import rls

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "coopac_member_debitable(uuid, uuid)"

NEW_COOPAC_MEMBER_DEBITABLE = PGFunction(
    schema="public",
    signature="coopac_member_debitable(p_coop uuid, p_member uuid)",
    definition="""returns void
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_status text;
BEGIN
    SELECT m.status INTO v_status FROM member m
    WHERE m.cooperative_id = p_coop AND m.id = p_member;
    IF v_status IN ('deceased', 'withdrawn') THEN
        PERFORM coopac_refuse('member_in_settlement', jsonb_build_object('status',
            CASE v_status WHEN 'deceased' THEN 'fallecido' ELSE 'retirado' END));
    END IF;
END
$function$""",
)


NEW_COOPAC_SAVINGS_TRANSFER = PGFunction(
    schema="public",
    signature=(
        "coopac_savings_transfer(p_coop uuid, p_from uuid, p_to uuid, p_amount numeric, "
        "p_currency text, p_description text, p_actor jsonb, p_policy jsonb)"
    ),
    definition="""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    s record;
    t record;
    r record;
    v_found integer := 0;
    v_post record;
    v_description text;
BEGIN
    IF p_from = p_to THEN
        PERFORM coopac_refuse('same_account');
    END IF;
    -- both locked in id order, as every writer locks them: two transfers cannot deadlock
    FOR r IN
        SELECT a.id, a.number, a.member_id, a.currency, a.status, a.balance,
            a.held_amount, a.gl_account_id, a.placed_on, a.maturity_date, p.kind,
            p.min_balance, p.early_withdrawal
        FROM savings_account a JOIN savings_product p ON p.cooperative_id = a.cooperative_id
            AND p.id = a.product_id
        WHERE a.cooperative_id = p_coop AND a.id IN (p_from, p_to)
        ORDER BY a.id
        FOR UPDATE OF a
    LOOP
        IF r.id = p_from THEN s := r; ELSE t := r; END IF;
        v_found := v_found + 1;
    END LOOP;
    IF v_found < 2 THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    IF s.currency <> t.currency THEN
        PERFORM coopac_refuse('currency_mismatch',
            jsonb_build_object('reason', 'las cuentas son de monedas distintas'));
    END IF;
    IF p_currency IS NOT NULL AND p_currency <> s.currency THEN
        PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
            format('la cuenta es en %s, no en %s', s.currency, p_currency)));
    END IF;
    PERFORM coopac_check_member_branch(p_coop, s.member_id, p_actor);
    PERFORM coopac_member_debitable(p_coop, s.member_id);
    PERFORM coopac_savings_check_debit(s.status, s.kind, s.early_withdrawal,
        s.maturity_date, (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop),
        s.balance, s.held_amount, s.min_balance, p_amount);
    PERFORM coopac_savings_check_credit(t.status, t.kind, t.placed_on);
    v_description := coalesce(p_description, 'Transferencia a ' || t.number);
    v_post := coopac_post(p_coop, 'transfer', NULL, v_description,
        p_actor, p_policy, ARRAY[s.gl_account_id, t.gl_account_id],
        ARRAY[s.currency, t.currency], ARRAY[p_amount, -p_amount],
        ARRAY['savings', 'savings'], ARRAY[s.id, t.id],
        ARRAY[s.balance - p_amount, t.balance + p_amount]);
    PERFORM coopac_savings_after_credit(p_coop, t.id, v_post.business_date);
    PERFORM coopac_savings_moved(p_coop, s.id, v_post.business_date);
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[1],
        'journal_entry_id', v_post.entry_id,
        'amount', coopac_amount_json(p_amount),
        'currency', s.currency,
        'from_account_id', s.id,
        'to_account_id', t.id,
        'balance', coopac_amount_json(s.balance - p_amount),
        'available_balance', coopac_amount_json(
            coopac_savings_available(s.balance - p_amount, s.held_amount, s.min_balance)),
        'to_balance', coopac_amount_json(t.balance + p_amount),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', v_description);
END
$function$""",
)


OLD_COOPAC_SAVINGS_TRANSFER = PGFunction(
    schema="public",
    signature=(
        "coopac_savings_transfer(p_coop uuid, p_from uuid, p_to uuid, p_amount numeric, "
        "p_currency text, p_description text, p_actor jsonb, p_policy jsonb)"
    ),
    definition="""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    s record;
    t record;
    r record;
    v_found integer := 0;
    v_post record;
    v_description text;
BEGIN
    IF p_from = p_to THEN
        PERFORM coopac_refuse('same_account');
    END IF;
    -- both locked in id order, as every writer locks them: two transfers cannot deadlock
    FOR r IN
        SELECT a.id, a.number, a.member_id, a.currency, a.status, a.balance,
            a.held_amount, a.gl_account_id, a.placed_on, a.maturity_date, p.kind,
            p.min_balance, p.early_withdrawal
        FROM savings_account a JOIN savings_product p ON p.cooperative_id = a.cooperative_id
            AND p.id = a.product_id
        WHERE a.cooperative_id = p_coop AND a.id IN (p_from, p_to)
        ORDER BY a.id
        FOR UPDATE OF a
    LOOP
        IF r.id = p_from THEN s := r; ELSE t := r; END IF;
        v_found := v_found + 1;
    END LOOP;
    IF v_found < 2 THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    IF s.currency <> t.currency THEN
        PERFORM coopac_refuse('currency_mismatch',
            jsonb_build_object('reason', 'las cuentas son de monedas distintas'));
    END IF;
    IF p_currency IS NOT NULL AND p_currency <> s.currency THEN
        PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
            format('la cuenta es en %s, no en %s', s.currency, p_currency)));
    END IF;
    PERFORM coopac_check_member_branch(p_coop, s.member_id, p_actor);
    PERFORM coopac_savings_check_debit(s.status, s.kind, s.early_withdrawal,
        s.maturity_date, (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop),
        s.balance, s.held_amount, s.min_balance, p_amount);
    PERFORM coopac_savings_check_credit(t.status, t.kind, t.placed_on);
    v_description := coalesce(p_description, 'Transferencia a ' || t.number);
    v_post := coopac_post(p_coop, 'transfer', NULL, v_description,
        p_actor, p_policy, ARRAY[s.gl_account_id, t.gl_account_id],
        ARRAY[s.currency, t.currency], ARRAY[p_amount, -p_amount],
        ARRAY['savings', 'savings'], ARRAY[s.id, t.id],
        ARRAY[s.balance - p_amount, t.balance + p_amount]);
    PERFORM coopac_savings_after_credit(p_coop, t.id, v_post.business_date);
    PERFORM coopac_savings_moved(p_coop, s.id, v_post.business_date);
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[1],
        'journal_entry_id', v_post.entry_id,
        'amount', coopac_amount_json(p_amount),
        'currency', s.currency,
        'from_account_id', s.id,
        'to_account_id', t.id,
        'balance', coopac_amount_json(s.balance - p_amount),
        'available_balance', coopac_amount_json(
            coopac_savings_available(s.balance - p_amount, s.held_amount, s.min_balance)),
        'to_balance', coopac_amount_json(t.balance + p_amount),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', v_description);
END
$function$""",
)


NEW_COOPAC_SHARE_PAYMENT = PGFunction(
    schema="public",
    signature=(
        "coopac_share_payment(p_coop uuid, p_member uuid, p_amount numeric, p_branch uuid, "
        "p_from uuid, p_description text, p_actor jsonb, p_policy jsonb)"
    ),
    definition="""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    a record;
    s record;
    v_member_status text;
    v_cash record;
    v_post record;
    v_description text;
BEGIN
    SELECT x.id, x.currency, x.status, x.balance, x.gl_account_id INTO a
    FROM share_account x WHERE x.cooperative_id = p_coop AND x.member_id = p_member
    FOR UPDATE;
    SELECT m.status INTO v_member_status FROM member m
    WHERE m.cooperative_id = p_coop AND m.id = p_member;
    IF v_member_status IS NULL THEN
        PERFORM coopac_refuse('member_not_found');
    END IF;
    IF a.id IS NULL THEN
        PERFORM coopac_refuse('share_account_not_found');
    END IF;
    IF a.status <> 'active' OR v_member_status NOT IN ('applicant', 'active') THEN
        PERFORM coopac_refuse('member_not_active',
            jsonb_build_object('status', v_member_status));
    END IF;
    IF p_from IS NULL THEN
        v_cash := coopac_counter_cash(p_coop, p_branch, a.currency, p_actor,
            p_amount);
        v_post := coopac_post(p_coop, 'share_payment', v_cash.branch_id,
            coalesce(p_description, 'Aporte en efectivo'),
            p_actor || jsonb_build_object('till_session', v_cash.session_id), p_policy,
            ARRAY[v_cash.gl_account_id, a.gl_account_id], ARRAY[a.currency, a.currency],
            ARRAY[p_amount, -p_amount], ARRAY[NULL, 'share'], ARRAY[NULL, a.id]::uuid[],
            ARRAY[NULL, a.balance + p_amount]);
    ELSE
        SELECT x.id, x.member_id, x.currency, x.status, x.balance, x.held_amount,
            x.gl_account_id, x.maturity_date, p.kind, p.min_balance, p.early_withdrawal
        INTO s
        FROM savings_account x JOIN savings_product p ON p.cooperative_id = x.cooperative_id
            AND p.id = x.product_id
        WHERE x.cooperative_id = p_coop AND x.id = p_from
        FOR UPDATE OF x;
        IF NOT FOUND THEN
            PERFORM coopac_refuse('account_not_found');
        END IF;
        IF s.member_id <> p_member THEN
            PERFORM coopac_refuse('account_owner_mismatch');
        END IF;
        PERFORM coopac_check_member_branch(p_coop, p_member, p_actor);
        PERFORM coopac_member_debitable(p_coop, p_member);
        IF s.currency <> a.currency THEN
            PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
                format('la cuenta de ahorro no es en %s', a.currency)));
        END IF;
        PERFORM coopac_savings_check_debit(s.status, s.kind, s.early_withdrawal,
            s.maturity_date, (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop),
            s.balance, s.held_amount, s.min_balance, p_amount);
        v_post := coopac_post(p_coop, 'share_payment', NULL,
            coalesce(p_description, 'Aporte con cargo a ahorros'), p_actor, p_policy,
            ARRAY[s.gl_account_id, a.gl_account_id], ARRAY[s.currency, a.currency],
            ARRAY[p_amount, -p_amount], ARRAY['savings', 'share'], ARRAY[s.id, a.id],
            ARRAY[s.balance - p_amount, a.balance + p_amount]);
        PERFORM coopac_savings_moved(p_coop, s.id, v_post.business_date);
    END IF;
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[2],
        'journal_entry_id', v_post.entry_id,
        'account_id', a.id,
        'kind', 'share_payment',
        'amount', coopac_amount_json(p_amount),
        'currency', a.currency,
        'balance', coopac_amount_json(a.balance + p_amount),
        'available_balance', coopac_amount_json(a.balance + p_amount),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', coalesce(p_description, CASE WHEN p_from IS NULL
            THEN 'Aporte en efectivo' ELSE 'Aporte con cargo a ahorros' END),
        'receipt_number', v_post.receipt_number);
END
$function$""",
)


OLD_COOPAC_SHARE_PAYMENT = PGFunction(
    schema="public",
    signature=(
        "coopac_share_payment(p_coop uuid, p_member uuid, p_amount numeric, p_branch uuid, "
        "p_from uuid, p_description text, p_actor jsonb, p_policy jsonb)"
    ),
    definition="""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    a record;
    s record;
    v_member_status text;
    v_cash record;
    v_post record;
    v_description text;
BEGIN
    SELECT x.id, x.currency, x.status, x.balance, x.gl_account_id INTO a
    FROM share_account x WHERE x.cooperative_id = p_coop AND x.member_id = p_member
    FOR UPDATE;
    SELECT m.status INTO v_member_status FROM member m
    WHERE m.cooperative_id = p_coop AND m.id = p_member;
    IF v_member_status IS NULL THEN
        PERFORM coopac_refuse('member_not_found');
    END IF;
    IF a.id IS NULL THEN
        PERFORM coopac_refuse('share_account_not_found');
    END IF;
    IF a.status <> 'active' OR v_member_status NOT IN ('applicant', 'active') THEN
        PERFORM coopac_refuse('member_not_active',
            jsonb_build_object('status', v_member_status));
    END IF;
    IF p_from IS NULL THEN
        v_cash := coopac_counter_cash(p_coop, p_branch, a.currency, p_actor,
            p_amount);
        v_post := coopac_post(p_coop, 'share_payment', v_cash.branch_id,
            coalesce(p_description, 'Aporte en efectivo'),
            p_actor || jsonb_build_object('till_session', v_cash.session_id), p_policy,
            ARRAY[v_cash.gl_account_id, a.gl_account_id], ARRAY[a.currency, a.currency],
            ARRAY[p_amount, -p_amount], ARRAY[NULL, 'share'], ARRAY[NULL, a.id]::uuid[],
            ARRAY[NULL, a.balance + p_amount]);
    ELSE
        SELECT x.id, x.member_id, x.currency, x.status, x.balance, x.held_amount,
            x.gl_account_id, x.maturity_date, p.kind, p.min_balance, p.early_withdrawal
        INTO s
        FROM savings_account x JOIN savings_product p ON p.cooperative_id = x.cooperative_id
            AND p.id = x.product_id
        WHERE x.cooperative_id = p_coop AND x.id = p_from
        FOR UPDATE OF x;
        IF NOT FOUND THEN
            PERFORM coopac_refuse('account_not_found');
        END IF;
        IF s.member_id <> p_member THEN
            PERFORM coopac_refuse('account_owner_mismatch');
        END IF;
        PERFORM coopac_check_member_branch(p_coop, p_member, p_actor);
        IF s.currency <> a.currency THEN
            PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
                format('la cuenta de ahorro no es en %s', a.currency)));
        END IF;
        PERFORM coopac_savings_check_debit(s.status, s.kind, s.early_withdrawal,
            s.maturity_date, (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop),
            s.balance, s.held_amount, s.min_balance, p_amount);
        v_post := coopac_post(p_coop, 'share_payment', NULL,
            coalesce(p_description, 'Aporte con cargo a ahorros'), p_actor, p_policy,
            ARRAY[s.gl_account_id, a.gl_account_id], ARRAY[s.currency, a.currency],
            ARRAY[p_amount, -p_amount], ARRAY['savings', 'share'], ARRAY[s.id, a.id],
            ARRAY[s.balance - p_amount, a.balance + p_amount]);
        PERFORM coopac_savings_moved(p_coop, s.id, v_post.business_date);
    END IF;
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[2],
        'journal_entry_id', v_post.entry_id,
        'account_id', a.id,
        'kind', 'share_payment',
        'amount', coopac_amount_json(p_amount),
        'currency', a.currency,
        'balance', coopac_amount_json(a.balance + p_amount),
        'available_balance', coopac_amount_json(a.balance + p_amount),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', coalesce(p_description, CASE WHEN p_from IS NULL
            THEN 'Aporte en efectivo' ELSE 'Aporte con cargo a ahorros' END),
        'receipt_number', v_post.receipt_number);
END
$function$""",
)


def upgrade() -> None:
    op.create_entity(NEW_COOPAC_MEMBER_DEBITABLE)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {rls.app_role()}")
    op.replace_entity(NEW_COOPAC_SAVINGS_TRANSFER)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.replace_entity(NEW_COOPAC_SHARE_PAYMENT)  # type: ignore[attr-defined]  # alembic_utils adds it


def downgrade() -> None:
    op.replace_entity(OLD_COOPAC_SHARE_PAYMENT)  # type: ignore[attr-defined]
    op.replace_entity(OLD_COOPAC_SAVINGS_TRANSFER)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_MEMBER_DEBITABLE)  # type: ignore[attr-defined]
