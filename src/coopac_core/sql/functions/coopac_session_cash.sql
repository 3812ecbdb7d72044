-- The cash of a till session for an operation that moves p_delta into it (negative: out),
-- its row locked: refused if the session is closed, of a day already closed, or if the
-- till would go below zero or above its ceiling.
CREATE OR REPLACE FUNCTION public.coopac_session_cash(p_coop uuid, p_session uuid, p_currency text, p_delta numeric, OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v record;
    v_read boolean := false;  -- the till read as its rules need it
BEGIN
    -- cash brought into a till without a ceiling needs nothing of its balance: read
    -- unlocked; a rule that reads the balance reads it locked
    IF p_delta >= 0 THEN
        SELECT s.id, s.status, s.branch_id, s.business_date, c.gl_account_id, c.balance,
            c.ceiling INTO v
        FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
            AND c.till_id = s.till_id AND c.currency = p_currency
        WHERE s.cooperative_id = p_coop AND s.id = p_session;
        v_read := v.ceiling IS NULL;
    END IF;
    IF NOT v_read THEN
        SELECT s.id, s.status, s.branch_id, s.business_date, c.gl_account_id, c.balance,
            c.ceiling INTO v
        FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
            AND c.till_id = s.till_id AND c.currency = p_currency
        WHERE s.cooperative_id = p_coop AND s.id = p_session
        FOR UPDATE OF c;
    END IF;
    IF v.id IS NULL OR v.status <> 'open' THEN
        PERFORM coopac_refuse('till_session_closed');
    END IF;
    IF v.business_date <> (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop) THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            format('La sesión de caja es del %s, un día ya cerrado: ciérrela y abra otra',
                v.business_date)));
    END IF;
    IF p_delta < 0 AND v.balance + p_delta < 0 THEN
        PERFORM coopac_refuse('till_cash_insufficient', jsonb_build_object(
            'available', v.balance::text, 'currency', p_currency));
    END IF;
    IF p_delta > 0 AND v.ceiling IS NOT NULL AND v.balance + p_delta > v.ceiling THEN
        PERFORM coopac_refuse('till_cash_limit', jsonb_build_object(
            'limit', v.ceiling::text, 'currency', p_currency));
    END IF;
    gl_account_id := v.gl_account_id;
    branch_id := v.branch_id;
    session_id := v.id;
END
$function$
;
