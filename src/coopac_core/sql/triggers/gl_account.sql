CREATE TRIGGER gl_account_no_delete BEFORE DELETE ON public.gl_account FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change();
CREATE TRIGGER gl_account_no_truncate BEFORE TRUNCATE ON public.gl_account FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change();
