"""The double-entry ledger: chart of accounts, journal entries, postings, balances.

Money moves only through ``ledger.service.post_entry``; no other module writes postings or
member balances.
"""
