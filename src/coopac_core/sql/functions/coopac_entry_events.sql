-- One event per journal entry, from the postings of the statement that posts it: the kind
-- of entry names it, its amounts per currency (the debits), and each member account it
-- moves (the change as the member sees it, and the balance after), up to 100 of them (a
-- close of business's entry moves thousands: the consumer reads the entry for the rest);
-- not the lines that keep a loan's other balances (suspense, provisions: 0052).
CREATE OR REPLACE FUNCTION public.coopac_entry_events()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, entry_id,
        business_date, data)
    SELECT e.cooperative_id, gen_random_uuid(),
        CASE e.kind WHEN 'loan_disbursement' THEN 'loan.disbursed'
                    WHEN 'loan_repayment' THEN 'loan.repaid'
                    WHEN 'loan_write_off' THEN 'loan.written_off'
                    ELSE 'money.' || e.kind END,
        CASE WHEN e.kind IN ('loan_disbursement', 'loan_repayment', 'loan_write_off')
                  AND c.loan_id IS NOT NULL THEN 'loan' ELSE 'journal_entry' END,
        CASE WHEN e.kind IN ('loan_disbursement', 'loan_repayment', 'loan_write_off')
                  AND c.loan_id IS NOT NULL THEN c.loan_id ELSE e.id END::text,
        e.id, e.business_date,
        jsonb_build_object(
            'entry_id', e.id, 'kind', e.kind, 'business_date', e.business_date,
            'branch_id', e.branch_id, 'channel', e.channel, 'reversal_of', e.reversal_of,
            'description', e.description, 'actor', e.actor_name,
            'amounts', coalesce(a.amounts, '{}'::jsonb),
            'accounts', coalesce(m.accounts, '[]'::jsonb), 'accounts_total', c.n)
    FROM (SELECT DISTINCT cooperative_id, entry_id FROM new_postings) n
    JOIN journal_entry e ON e.cooperative_id = n.cooperative_id AND e.id = n.entry_id
    CROSS JOIN LATERAL (
        SELECT jsonb_object_agg(t.currency, coopac_amount_json(t.total)) AS amounts
        FROM (SELECT p.currency, sum(p.amount) AS total FROM new_postings p
              WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
                AND p.amount > 0
              GROUP BY p.currency) t
    ) a
    CROSS JOIN LATERAL (
        SELECT count(*) AS n,
            (array_agg(p.account_id) FILTER (WHERE p.account_kind = 'loan'))[1] AS loan_id
        FROM new_postings p
        WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
          AND p.account_kind IN ('savings', 'share', 'loan')
    ) c
    -- the accounts' numbers and members, looked up for the first 100 lines only
    CROSS JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object(
                'account_kind', l.account_kind, 'account_id', l.account_id,
                'member_id', coalesce(s.member_id, h.member_id, o.member_id),
                'number', coalesce(s.number, o.number), 'currency', l.currency,
                'change', coopac_amount_json(
                    CASE l.account_kind WHEN 'loan' THEN l.amount ELSE -l.amount END),
                'balance_after', coopac_amount_json(l.balance_after))
                ORDER BY l.id) AS accounts
        FROM (
            SELECT p.* FROM new_postings p
            WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
              AND p.account_kind IN ('savings', 'share', 'loan')
            ORDER BY p.id LIMIT 100
        ) l
        LEFT JOIN savings_account s ON l.account_kind = 'savings'
            AND s.cooperative_id = l.cooperative_id AND s.id = l.account_id
        LEFT JOIN share_account h ON l.account_kind = 'share'
            AND h.cooperative_id = l.cooperative_id AND h.id = l.account_id
        LEFT JOIN loan o ON l.account_kind = 'loan'
            AND o.cooperative_id = l.cooperative_id AND o.id = l.account_id
    ) m
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$function$
;
