"""Bulk import: a cooperative's members, savings, share capital and loans from its
previous system, loaded a file at a time (all of a file or nothing of it)."""
