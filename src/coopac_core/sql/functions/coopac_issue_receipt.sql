-- The receipt of a counter operation: the next number of its branch's series (the till's
-- code), taken in the transaction that books it, so a number is never skipped or doubled.
CREATE OR REPLACE FUNCTION public.coopac_issue_receipt(p_coop uuid, p_session uuid, p_entry uuid)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
DECLARE
    v record;
    v_n integer;
    v_number text;
BEGIN
    SELECT s.branch_id, s.status, t.code AS series, b.code AS branch_code INTO v
    FROM till_session s
    JOIN till t ON t.cooperative_id = s.cooperative_id AND t.id = s.till_id
    JOIN branch b ON b.cooperative_id = s.cooperative_id AND b.id = s.branch_id
    WHERE s.cooperative_id = p_coop AND s.id = p_session;
    IF v.status IS DISTINCT FROM 'open' THEN
        PERFORM coopac_refuse('till_session_closed');
    END IF;
    INSERT INTO receipt_series AS r (cooperative_id, branch_id, series, last_number)
    VALUES (p_coop, v.branch_id, v.series, 1)
    ON CONFLICT (cooperative_id, branch_id, series)
    DO UPDATE SET last_number = r.last_number + 1
    RETURNING r.last_number INTO v_n;
    v_number := v.branch_code || '-' || v.series || '-' || lpad(v_n::text, 8, '0');
    INSERT INTO receipt (cooperative_id, number, branch_id, series, sequence,
        journal_entry_id, till_session_id)
    VALUES (p_coop, v_number, v.branch_id, v.series, v_n, p_entry, p_session);
    RETURN v_number;
END
$function$
;
