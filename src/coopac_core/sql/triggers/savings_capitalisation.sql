CREATE TRIGGER savings_capitalisation_append_only BEFORE DELETE OR UPDATE ON public.savings_capitalisation FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change();
CREATE TRIGGER savings_capitalisation_no_truncate BEFORE TRUNCATE ON public.savings_capitalisation FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change();
