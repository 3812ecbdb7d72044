"""Business events: a transactional outbox, the feed that reads it, and signed webhooks."""
