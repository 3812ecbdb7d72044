"""The member accounts whose balance only the ledger's postings move (savings, shares,
loans), listed here above the products: the ledger locks, posts and proves them through
this list, and a reversal undoes their operations through the products' own rules."""

from __future__ import annotations

from sqlmodel import SQLModel

from coopac_core.loans.models import Loan
from coopac_core.savings.models import SavingsAccount
from coopac_core.shares.models import ShareAccount

MEMBER_ACCOUNTS: tuple[type[SQLModel], ...] = (SavingsAccount, ShareAccount, Loan)
BY_KIND: dict[str, type[SQLModel]] = {
    model.ACCOUNT_KIND: model  # type: ignore[attr-defined]
    for model in MEMBER_ACCOUNTS
}
