CREATE TRIGGER period_portfolio_closed_change BEFORE DELETE OR UPDATE ON public.period_portfolio FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change_of_closed_period();
CREATE TRIGGER period_portfolio_closed_insert AFTER INSERT ON public.period_portfolio REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_rows_of_closed_period();
