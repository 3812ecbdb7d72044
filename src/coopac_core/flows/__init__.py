"""What spans products, above them: a reversal (which undoes any product's operation), the
member accounts the ledger keeps and proves, the books' proof (docs/ARCHITECTURE.md)."""
