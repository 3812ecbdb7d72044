-- A deceased or withdrawn member's savings take no debit but their settlement (the manager,
-- with the document that proves the death or the leaving: flows.counter.settle): whoever
-- debits them otherwise, at the counter, by transfer or to pay a loan or shares, is refused.
CREATE OR REPLACE FUNCTION public.coopac_member_debitable(p_coop uuid, p_member uuid)
 RETURNS void
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
$function$
;
