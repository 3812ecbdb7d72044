CREATE TRIGGER loan_operation_append_only BEFORE DELETE OR UPDATE ON public.loan_operation FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change();
CREATE TRIGGER loan_operation_no_truncate BEFORE TRUNCATE ON public.loan_operation FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change();
