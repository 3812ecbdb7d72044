"""Staff users, roles, tokens, API keys and tenant scoping."""
