-- A member's savings are debited other than in cash at the counter (a transfer, a share
-- payment or a loan repayment from savings, at the counter or in a sync batch) by the staff
-- of the member's own branch only: the member is not there to be seen. Whoever may act at
-- any branch (p_actor.any_branch: the manager, the admin) passes, and so does a member
-- with no branch. p_actor: {"branch", "any_branch"}, as coopac_money_caller gives it.
CREATE OR REPLACE FUNCTION public.coopac_check_member_branch(p_coop uuid, p_member uuid, p_actor jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
    v_home uuid;
BEGIN
    IF coalesce((p_actor -> 'any_branch')::boolean, false) THEN
        RETURN;
    END IF;
    SELECT m.branch_id INTO v_home FROM member m
    WHERE m.cooperative_id = p_coop AND m.id = p_member;
    IF v_home IS NOT NULL AND v_home::text IS DISTINCT FROM (p_actor ->> 'branch') THEN
        PERFORM coopac_refuse('member_of_other_branch');
    END IF;
END
$function$
;
