CREATE TRIGGER loan_classification_append_only BEFORE DELETE OR UPDATE ON public.loan_classification FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change();
CREATE TRIGGER loan_classification_no_truncate BEFORE TRUNCATE ON public.loan_classification FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change();
