"""The append-only audit trail: who did what, where and when."""
