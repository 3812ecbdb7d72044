"""savings movement rules in one place: what the holder may take out
(coopac_savings_available) and what a debit by the holder dates (coopac_savings_moved) are
each one function, which the debit rule, deposits, transfers, share payments and the
service's Python paths all run; a share payment from savings now dates the account's last
movement, as a transfer does

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-07 09:23:35.743241
"""

from collections.abc import Sequence

from alembic import op
from alembic_utils.pg_function import PGFunction

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COOPAC_SAVINGS_AVAILABLE = PGFunction(
    schema="public",
    signature="coopac_savings_available(p_balance numeric, p_held numeric, p_min_balance numeric)",
    definition="""returns numeric
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
    SELECT p_balance - p_held - p_min_balance
$function$""",
)

NEW_COOPAC_SAVINGS_CHECK_DEBIT = PGFunction(
    schema="public",
    signature=(
        "coopac_savings_check_debit(p_status text, p_kind text, p_early text, "
        "p_maturity date, p_today date, p_balance numeric, p_held numeric, "
        "p_min_balance numeric, p_amount numeric)"
    ),
    definition="""returns void
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF p_status = 'blocked' THEN PERFORM coopac_refuse('account_blocked'); END IF;
    IF p_status = 'closed' THEN PERFORM coopac_refuse('account_closed'); END IF;
    IF p_status = 'dormant' THEN PERFORM coopac_refuse('account_dormant'); END IF;
    IF p_kind = 'term' THEN
        IF NOT (p_maturity IS NOT NULL AND p_today >= p_maturity)
           AND p_early = 'not_allowed' THEN
            PERFORM coopac_refuse('term_not_matured',
                jsonb_build_object('maturity_date', p_maturity));
        END IF;
        IF p_amount <> p_balance - p_held OR p_held <> 0 THEN
            PERFORM coopac_refuse('term_partial_withdrawal');
        END IF;
    END IF;
    IF p_amount > coopac_savings_available(p_balance, p_held, p_min_balance) THEN
        PERFORM coopac_refuse('insufficient_funds');
    END IF;
END
$function$""",
)

NEW_COOPAC_SAVINGS_DEPOSIT = PGFunction(
    schema="public",
    signature=(
        "coopac_savings_deposit(p_coop uuid, p_account uuid, p_amount numeric, "
        "p_currency text, p_branch uuid, p_description text, p_actor jsonb, p_policy jsonb)"
    ),
    definition="""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    a record;
    v_cash record;
    v_post record;
    v_description text := coalesce(p_description, 'Depósito en efectivo');
BEGIN
    SELECT s.id, s.currency, s.status, s.balance, s.held_amount, s.gl_account_id,
        s.placed_on, p.kind, p.min_balance
    INTO a
    FROM savings_account s JOIN savings_product p ON p.cooperative_id = s.cooperative_id
        AND p.id = s.product_id
    WHERE s.cooperative_id = p_coop AND s.id = p_account
    FOR UPDATE OF s;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    IF p_currency IS NOT NULL AND p_currency <> a.currency THEN
        PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
            format('la cuenta es en %s, no en %s', a.currency, p_currency)));
    END IF;
    PERFORM coopac_savings_check_credit(a.status, a.kind, a.placed_on);
    v_cash := coopac_counter_cash(p_coop, p_branch, a.currency, p_actor,
        p_amount);
    v_post := coopac_post(p_coop, 'deposit', v_cash.branch_id, v_description,
        p_actor || jsonb_build_object('till_session', v_cash.session_id), p_policy,
        ARRAY[v_cash.gl_account_id, a.gl_account_id], ARRAY[a.currency, a.currency],
        ARRAY[p_amount, -p_amount], ARRAY[NULL, 'savings'], ARRAY[NULL, a.id]::uuid[],
        ARRAY[NULL, a.balance + p_amount]);
    PERFORM coopac_savings_after_credit(p_coop, a.id, v_post.business_date);
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[2],
        'journal_entry_id', v_post.entry_id,
        'account_id', a.id,
        'kind', 'deposit',
        'amount', coopac_amount_json(p_amount),
        'currency', a.currency,
        'balance', coopac_amount_json(a.balance + p_amount),
        'available_balance', coopac_amount_json(
            coopac_savings_available(a.balance + p_amount, a.held_amount, a.min_balance)),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', v_description,
        'receipt_number', v_post.receipt_number);
END
$function$""",
)

NEW_COOPAC_SAVINGS_MOVED = PGFunction(
    schema="public",
    signature="coopac_savings_moved(p_coop uuid, p_account uuid, p_day date)",
    definition="""returns void
 LANGUAGE sql
AS $function$
    UPDATE savings_account a SET last_movement_on = p_day
    WHERE a.cooperative_id = p_coop AND a.id = p_account
        AND a.last_movement_on IS DISTINCT FROM p_day
$function$""",
)

NEW_COOPAC_SAVINGS_TRANSFER = PGFunction(
    schema="public",
    signature=(
        "coopac_savings_transfer(p_coop uuid, p_from uuid, p_to uuid, p_amount numeric, "
        "p_currency text, p_description text, p_actor jsonb, p_policy jsonb)"
    ),
    definition=r"""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    s record;
    t record;
    r record;
    v_found integer := 0;
    v_home uuid;
    v_post record;
    v_description text;
BEGIN
    IF p_from = p_to THEN
        PERFORM coopac_refuse('same_account');
    END IF;
    -- both locked in id order, as every writer locks them\: two transfers cannot deadlock
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
    IF NOT (p_actor -> 'any_branch')::boolean THEN
        SELECT m.branch_id INTO v_home FROM member m
        WHERE m.cooperative_id = p_coop AND m.id = s.member_id;
        IF v_home IS NOT NULL AND v_home::text IS DISTINCT FROM (p_actor ->> 'branch') THEN
            PERFORM coopac_refuse('member_of_other_branch');
        END IF;
    END IF;
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

OLD_COOPAC_SAVINGS_TRANSFER = PGFunction(
    schema="public",
    signature=(
        "coopac_savings_transfer(p_coop uuid, p_from uuid, p_to uuid, p_amount numeric, "
        "p_currency text, p_description text, p_actor jsonb, p_policy jsonb)"
    ),
    definition=r"""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    s record;
    t record;
    r record;
    v_found integer := 0;
    v_home uuid;
    v_post record;
    v_description text;
BEGIN
    IF p_from = p_to THEN
        PERFORM coopac_refuse('same_account');
    END IF;
    -- both locked in id order, as every writer locks them\: two transfers cannot deadlock
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
    IF NOT (p_actor -> 'any_branch')::boolean THEN
        SELECT m.branch_id INTO v_home FROM member m
        WHERE m.cooperative_id = p_coop AND m.id = s.member_id;
        IF v_home IS NOT NULL AND v_home::text IS DISTINCT FROM (p_actor ->> 'branch') THEN
            PERFORM coopac_refuse('member_of_other_branch');
        END IF;
    END IF;
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
    UPDATE savings_account a SET last_movement_on = v_post.business_date
    WHERE a.cooperative_id = p_coop AND a.id = s.id
        AND a.last_movement_on IS DISTINCT FROM v_post.business_date;
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[1],
        'journal_entry_id', v_post.entry_id,
        'amount', coopac_amount_json(p_amount),
        'currency', s.currency,
        'from_account_id', s.id,
        'to_account_id', t.id,
        'balance', coopac_amount_json(s.balance - p_amount),
        'available_balance', coopac_amount_json(
            s.balance - p_amount - s.held_amount - s.min_balance),
        'to_balance', coopac_amount_json(t.balance + p_amount),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', v_description);
END
$function$""",
)

OLD_COOPAC_SAVINGS_DEPOSIT = PGFunction(
    schema="public",
    signature=(
        "coopac_savings_deposit(p_coop uuid, p_account uuid, p_amount numeric, "
        "p_currency text, p_branch uuid, p_description text, p_actor jsonb, p_policy jsonb)"
    ),
    definition="""returns jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
    a record;
    v_cash record;
    v_post record;
    v_description text := coalesce(p_description, 'Depósito en efectivo');
BEGIN
    SELECT s.id, s.currency, s.status, s.balance, s.held_amount, s.gl_account_id,
        s.placed_on, p.kind, p.min_balance
    INTO a
    FROM savings_account s JOIN savings_product p ON p.cooperative_id = s.cooperative_id
        AND p.id = s.product_id
    WHERE s.cooperative_id = p_coop AND s.id = p_account
    FOR UPDATE OF s;
    IF NOT FOUND THEN
        PERFORM coopac_refuse('account_not_found');
    END IF;
    IF p_currency IS NOT NULL AND p_currency <> a.currency THEN
        PERFORM coopac_refuse('currency_mismatch', jsonb_build_object('reason',
            format('la cuenta es en %s, no en %s', a.currency, p_currency)));
    END IF;
    PERFORM coopac_savings_check_credit(a.status, a.kind, a.placed_on);
    v_cash := coopac_counter_cash(p_coop, p_branch, a.currency, p_actor,
        p_amount);
    v_post := coopac_post(p_coop, 'deposit', v_cash.branch_id, v_description,
        p_actor || jsonb_build_object('till_session', v_cash.session_id), p_policy,
        ARRAY[v_cash.gl_account_id, a.gl_account_id], ARRAY[a.currency, a.currency],
        ARRAY[p_amount, -p_amount], ARRAY[NULL, 'savings'], ARRAY[NULL, a.id]::uuid[],
        ARRAY[NULL, a.balance + p_amount]);
    PERFORM coopac_savings_after_credit(p_coop, a.id, v_post.business_date);
    RETURN jsonb_build_object(
        'id', v_post.posting_ids[2],
        'journal_entry_id', v_post.entry_id,
        'account_id', a.id,
        'kind', 'deposit',
        'amount', coopac_amount_json(p_amount),
        'currency', a.currency,
        'balance', coopac_amount_json(a.balance + p_amount),
        'available_balance', coopac_amount_json(
            a.balance + p_amount - a.held_amount - a.min_balance),
        'value_date', v_post.business_date,
        'booked_at', coopac_moment_json(v_post.created_at),
        'description', v_description,
        'receipt_number', v_post.receipt_number);
END
$function$""",
)

OLD_COOPAC_SAVINGS_CHECK_DEBIT = PGFunction(
    schema="public",
    signature=(
        "coopac_savings_check_debit(p_status text, p_kind text, p_early text, "
        "p_maturity date, p_today date, p_balance numeric, p_held numeric, "
        "p_min_balance numeric, p_amount numeric)"
    ),
    definition="""returns void
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF p_status = 'blocked' THEN PERFORM coopac_refuse('account_blocked'); END IF;
    IF p_status = 'closed' THEN PERFORM coopac_refuse('account_closed'); END IF;
    IF p_status = 'dormant' THEN PERFORM coopac_refuse('account_dormant'); END IF;
    IF p_kind = 'term' THEN
        IF NOT (p_maturity IS NOT NULL AND p_today >= p_maturity)
           AND p_early = 'not_allowed' THEN
            PERFORM coopac_refuse('term_not_matured',
                jsonb_build_object('maturity_date', p_maturity));
        END IF;
        IF p_amount <> p_balance - p_held OR p_held <> 0 THEN
            PERFORM coopac_refuse('term_partial_withdrawal');
        END IF;
    END IF;
    IF p_amount > p_balance - p_held - p_min_balance THEN
        PERFORM coopac_refuse('insufficient_funds');
    END IF;
END
$function$""",
)


def upgrade() -> None:
    op.create_entity(NEW_COOPAC_SAVINGS_AVAILABLE)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.replace_entity(NEW_COOPAC_SAVINGS_CHECK_DEBIT)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.replace_entity(NEW_COOPAC_SAVINGS_DEPOSIT)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.create_entity(NEW_COOPAC_SAVINGS_MOVED)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.replace_entity(NEW_COOPAC_SAVINGS_TRANSFER)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.replace_entity(NEW_COOPAC_SHARE_PAYMENT)  # type: ignore[attr-defined]  # alembic_utils adds it


def downgrade() -> None:
    op.replace_entity(OLD_COOPAC_SHARE_PAYMENT)  # type: ignore[attr-defined]
    op.replace_entity(OLD_COOPAC_SAVINGS_TRANSFER)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_SAVINGS_MOVED)  # type: ignore[attr-defined]
    op.replace_entity(OLD_COOPAC_SAVINGS_DEPOSIT)  # type: ignore[attr-defined]
    op.replace_entity(OLD_COOPAC_SAVINGS_CHECK_DEBIT)  # type: ignore[attr-defined]
    op.drop_entity(NEW_COOPAC_SAVINGS_AVAILABLE)  # type: ignore[attr-defined]
