-- 0020's cash deposit, into the caller's till (their open session's; p_branch, if given,
-- must be its branch); answers its receipt's number too.
CREATE OR REPLACE FUNCTION public.coopac_savings_deposit(p_coop uuid, p_account uuid, p_amount numeric, p_currency text, p_branch uuid, p_description text, p_actor jsonb, p_policy jsonb)
 RETURNS jsonb
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
$function$
;
