"""Batch work: the close of the business day."""
