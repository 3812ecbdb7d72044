"""Member accounts as the ledger sees them: savings, shares and loans keep a balance that
only ``post_entry`` moves. Their models register here, so the ledger can lock, post and
verify them without importing the packages that own them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar, Protocol, TypeVar

from sqlmodel import Session, SQLModel

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


ACCOUNT_MODELS: dict[str, type[SQLModel]] = {}
# A product's rules for a reversal touching one of its accounts: called with the locked
# account and what the reversal moves for the holder (negative: money leaves). Raises the
# product's own refusal. Registered by the product package.
ReversalGuard = Callable[[Session, Any, Decimal], None]
REVERSAL_GUARDS: dict[str, ReversalGuard] = {}
# The inverse of the operation an entry recorded, for the entries whose product records a
# mirror entry alone would leave wrong (a loan's installments and status, a closed share
# account). Called with the entry about to be reversed, its member accounts already
# locked; it restores the records or raises the product's refusal. Registered by the
# product package, keyed by entry kind.
InverseOperation = Callable[[Session, Any], None]
INVERSE_OPERATIONS: dict[str, InverseOperation] = {}
M = TypeVar("M", bound=SQLModel)


def register_account_kind(model: type[M]) -> type[M]:
    ACCOUNT_MODELS[model.ACCOUNT_KIND] = model  # type: ignore[attr-defined]
    return model


def holder_amount(account_normal_side: str, posting_amount: Decimal) -> Decimal:
    """A posting seen from the holder's side: a credit to a deposit is money in (+)."""
    return -posting_amount if account_normal_side == NormalSide.credit else posting_amount
