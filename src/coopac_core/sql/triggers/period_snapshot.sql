CREATE TRIGGER period_snapshot_closed BEFORE DELETE OR UPDATE ON public.period_snapshot FOR EACH ROW EXECUTE FUNCTION coopac_refuse_closed_snapshot();
