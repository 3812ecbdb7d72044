-- 0020's share payment; paid in cash, into the caller's till.
CREATE OR REPLACE FUNCTION public.coopac_share_payment(p_coop uuid, p_member uuid, p_amount numeric, p_branch uuid, p_from uuid, p_description text, p_actor jsonb, p_policy jsonb)
 RETURNS jsonb
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
$function$
;
