CREATE TRIGGER event_deliveries AFTER INSERT ON public.event REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION coopac_event_deliveries();
