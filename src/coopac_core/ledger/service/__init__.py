"""The ledger's rules, one file a concern: the chart (``gl_accounts``), posting a balanced
entry (``posting``), an accountant's entry by hand (``adjustments``), reading entries,
balances and statements (``queries``) and proving the books (``verification``). Undoing an
entry spans products: ``flows.reversal``."""

from coopac_core.ledger.service.adjustments import (
    post_adjustment,
    reject_adjustment,
    request_adjustment,
)
from coopac_core.ledger.service.gl_accounts import (
    branch_cash_account,
    create_gl_account,
    get_gl_account,
    gl_account_by_code,
    gl_account_for,
    gl_accounts_for,
    list_gl_accounts,
    open_branch_cash,
    seed_chart,
)
from coopac_core.ledger.service.posting import (
    Counterpart,
    Leg,
    Line,
    OtherSide,
    check_legs,
    lock_member_accounts,
    movement,
    post_bulk_entry,
    post_entry,
    post_lines,
)
from coopac_core.ledger.service.queries import (
    TrialBalanceLine,
    entry_postings,
    get_entry,
    list_entries,
    opening_balance,
    reversal_of_entry,
    reversals_of,
    statement,
    statement_lines,
    trial_balance,
)
from coopac_core.ledger.service.verification import VerificationReport, verify

__all__ = [
    "Counterpart",
    "Leg",
    "Line",
    "OtherSide",
    "TrialBalanceLine",
    "VerificationReport",
    "branch_cash_account",
    "check_legs",
    "create_gl_account",
    "entry_postings",
    "get_entry",
    "get_gl_account",
    "gl_account_by_code",
    "gl_account_for",
    "gl_accounts_for",
    "list_entries",
    "list_gl_accounts",
    "lock_member_accounts",
    "movement",
    "open_branch_cash",
    "opening_balance",
    "post_adjustment",
    "post_bulk_entry",
    "post_entry",
    "post_lines",
    "reject_adjustment",
    "request_adjustment",
    "reversal_of_entry",
    "reversals_of",
    "seed_chart",
    "statement",
    "statement_lines",
    "trial_balance",
    "verify",
]
