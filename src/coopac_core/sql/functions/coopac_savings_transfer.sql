-- A transfer between two savings accounts of the cooperative. A teller transfers only
-- for members of their own branch (the member is not at the counter).
CREATE OR REPLACE FUNCTION public.coopac_savings_transfer(p_coop uuid, p_from uuid, p_to uuid, p_amount numeric, p_currency text, p_description text, p_actor jsonb, p_policy jsonb)
 RETURNS jsonb
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
$function$
;
