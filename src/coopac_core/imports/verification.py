"""verify-ledger's proof of the imports: the migration suspense account nets to zero."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel import Session

from coopac_core.imports.loader import suspense_balances


def check_import_suspense(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """What the imports posted to the migration suspense account (19x8) nets to zero per
    currency: an import that left it otherwise created (or lost) money. An import is kept
    only when it nets, in one transaction, so this holds whenever the books can be read."""
    return [
        f"migration suspense (19x8) {currency}: {balance}, not zero: an import left money "
        "without its counterpart"
        for currency, balance in sorted(suspense_balances(session, cooperative_id).items())
        if Decimal(balance) != 0
    ]
