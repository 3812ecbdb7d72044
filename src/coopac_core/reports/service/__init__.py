"""The reports a cooperative files, each read from a month's snapshot (``reports.models``)
and the loans' monthly record: what was true at that month end, at a cost that does not
grow with the ledger. One file a concern: the financial statements, the credit reports,
the deposit and cash reports."""

from coopac_core.reports.service.credit import (
    classification,
    classification_table,
    debtors,
    debtors_table,
)
from coopac_core.reports.service.deposits import (
    cash_operations,
    cash_table,
    insured_deposits,
    insured_table,
)
from coopac_core.reports.service.financial import statement, statement_table

__all__ = [
    "cash_operations",
    "cash_table",
    "classification",
    "classification_table",
    "debtors",
    "debtors_table",
    "insured_deposits",
    "insured_table",
    "statement",
    "statement_table",
]
