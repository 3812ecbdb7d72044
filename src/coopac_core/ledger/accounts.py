"""Member accounts as the ledger sees them: savings, shares and loans keep a balance that
only ``post_entry`` moves. The ledger knows them by this protocol; which models they are is
listed above the products (``flows.member_accounts``), so the ledger imports none of them."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar, Protocol, TypeVar

from sqlmodel import SQLModel

from coopac_core.errors import DomainError
from coopac_core.ledger.models import NormalSide


class MemberAccount(Protocol):
    """A member's product account whose balance the ledger keeps."""

    ACCOUNT_KIND: ClassVar[str]
    NORMAL_SIDE: ClassVar[str]
    # Raised when a posting would take the balance below zero.
    NEGATIVE_BALANCE_ERROR: ClassVar[type[DomainError]]
    cooperative_id: uuid.UUID
    id: uuid.UUID
    currency: str
    balance: Decimal
    gl_account_id: uuid.UUID


# Where a member account's balance sits: (the column naming a control account, the SQL of
# the part of the balance in it). One account by default; a loan's principal is split
# between vigentes, vencidos and judicial.
DEFAULT_CONTROL_PARTS: tuple[tuple[str, str], ...] = (("gl_account_id", "balance"),)


def control_parts(model: Any) -> tuple[tuple[str, str], ...]:
    parts: tuple[tuple[str, str], ...] = getattr(model, "CONTROL_PARTS", DEFAULT_CONTROL_PARTS)
    return parts


def control_accounts(account: Any) -> set[uuid.UUID]:
    """The control accounts a member account may be posted to."""
    return {getattr(account, column) for column, _ in control_parts(account)} - {None}


M = TypeVar("M", bound=SQLModel)


def holder_amount(account_normal_side: str, posting_amount: Decimal) -> Decimal:
    """A posting seen from the holder's side: a credit to a deposit is money in (+)."""
    return -posting_amount if account_normal_side == NormalSide.credit else posting_amount
