"""Members (socios) and non-member clients of a cooperative."""
