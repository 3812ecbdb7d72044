CREATE TRIGGER savings_accrual_booking_append_only BEFORE DELETE OR UPDATE ON public.savings_accrual_booking FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change();
CREATE TRIGGER savings_accrual_booking_no_truncate BEFORE TRUNCATE ON public.savings_accrual_booking FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change();
