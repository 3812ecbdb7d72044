CREATE TRIGGER journal_entry_append_only BEFORE DELETE OR UPDATE ON public.journal_entry FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change();
CREATE CONSTRAINT TRIGGER journal_entry_has_postings AFTER INSERT ON public.journal_entry DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION coopac_check_entry_has_postings();
CREATE TRIGGER journal_entry_no_truncate BEFORE TRUNCATE ON public.journal_entry FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change();
CREATE TRIGGER journal_entry_open_period BEFORE INSERT ON public.journal_entry FOR EACH ROW EXECUTE FUNCTION coopac_refuse_entry_in_closed_period();
