CREATE TRIGGER posting_append_only BEFORE DELETE OR UPDATE ON public.posting FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change();
CREATE TRIGGER posting_events AFTER INSERT ON public.posting REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION coopac_entry_events();
CREATE TRIGGER posting_no_truncate BEFORE TRUNCATE ON public.posting FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change();
CREATE TRIGGER posting_statement AFTER INSERT ON public.posting REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION coopac_post_statement();
