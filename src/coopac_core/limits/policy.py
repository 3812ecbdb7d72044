"""Default limits: what a cooperative that set none of its own gets. DOMAIN.md is silent;
these are prudent figures for a rural COOPAC's counter (a teller's cash per operation and
per day), to confirm with each cooperative's risk policy. Pure data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopac_core.ledger.models import EntryKind
from coopac_core.money import Currency
from coopac_core.security.roles import Role

# The operations a limit governs: every movement a person starts at the counter.
LIMITED = frozenset(
    {
        EntryKind.deposit,
        EntryKind.withdrawal,
        EntryKind.transfer,
        EntryKind.share_payment,
        EntryKind.share_refund,
        EntryKind.loan_disbursement,
        EntryKind.loan_repayment,
    }
)


@dataclass(frozen=True)
class Limit:
    per_operation: Decimal
    per_day: Decimal | None  # None: no daily total


DEFAULTS: dict[Role, dict[Currency, Limit]] = {
    Role.teller: {
        Currency.PEN: Limit(Decimal("20000.00"), Decimal("100000.00")),
        Currency.USD: Limit(Decimal("7000.00"), Decimal("35000.00")),
    },
    Role.manager: {
        Currency.PEN: Limit(Decimal("200000.00"), None),
        Currency.USD: Limit(Decimal("70000.00"), None),
    },
}
