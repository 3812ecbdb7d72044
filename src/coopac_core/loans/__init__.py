"""Loans: products, schedules (French, equal principal, single payment, irregular), TCEA,
the credit workflow, repayments, arrears, SBS classification and provisions."""
