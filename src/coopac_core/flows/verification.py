"""Proving the books (``coopac verify-ledger``, ``GET .../ledger/verification``): the
ledger's own proofs and each product's, listed here, above the products, so that the ledger
imports none of them. A balance the code keeps gets its check in this list."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from coopac_core.events.verification import check_events
from coopac_core.fiscal_years.verification import check_distributions, check_fiscal_years
from coopac_core.flows.member_accounts import MEMBER_ACCOUNTS
from coopac_core.imports.verification import check_import_suspense
from coopac_core.ledger.service.verification import ProductCheck, VerificationReport, verify
from coopac_core.loans.service.verification import check_loan_books, check_loan_records
from coopac_core.reports.verification import check_snapshots
from coopac_core.savings.verification import (
    check_closed_accounts_interest,
    check_interest_records,
    check_savings_records,
    check_term_accruals,
)
from coopac_core.shares.verification import check_share_records
from coopac_core.tellers.service.verification import check_till_cash

PRODUCT_CHECKS: tuple[ProductCheck, ...] = (
    check_savings_records,
    check_interest_records,
    check_closed_accounts_interest,
    check_term_accruals,
    check_share_records,
    check_loan_records,
    check_loan_books,
    check_till_cash,
    check_events,
    check_snapshots,
    check_import_suspense,
    check_fiscal_years,
    check_distributions,
)


def verify_books(session: Session, cooperative_id: uuid.UUID) -> VerificationReport:
    return verify(session, cooperative_id, MEMBER_ACCOUNTS, PRODUCT_CHECKS)
