CREATE TRIGGER period_gl_balance_closed_change BEFORE DELETE OR UPDATE ON public.period_gl_balance FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change_of_closed_period();
CREATE TRIGGER period_gl_balance_closed_insert AFTER INSERT ON public.period_gl_balance REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_rows_of_closed_period();
