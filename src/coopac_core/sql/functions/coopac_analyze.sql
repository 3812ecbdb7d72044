-- Statistics refreshed after a bulk load (an import approved, the demo) and, before close of
-- business, on the tables that changed much since their last ANALYZE (p_stale_only): a plan
-- chosen from an empty table's figures looped 572,400 times where it should have hashed.
-- Only the tables listed here, whatever p_tables names; SECURITY DEFINER because only a
-- table's owner may ANALYZE it. Answers the tables analysed.
CREATE OR REPLACE FUNCTION public.coopac_analyze(p_tables text[], p_stale_only boolean)
 RETURNS text[]
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    v_table text;
    v_done text[] := '{}';
BEGIN
    FOR v_table IN
        SELECT s.relname FROM pg_stat_user_tables s
        WHERE s.schemaname = 'public'
            AND s.relname = ANY (p_tables)
            AND s.relname = ANY (ARRAY['member', 'savings_account', 'share_account', 'loan',
                'loan_installment', 'journal_entry', 'posting'])
            AND (NOT p_stale_only
                 OR coalesce(s.last_analyze, s.last_autoanalyze) IS NULL
                 OR s.n_mod_since_analyze > 0.1 * greatest(s.n_live_tup, 1000))
        ORDER BY s.relname
    LOOP
        EXECUTE format('ANALYZE public.%I', v_table);
        v_done := v_done || v_table;
    END LOOP;
    RETURN v_done;
END
$function$
;
