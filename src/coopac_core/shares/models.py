from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import CheckConstraint, Column, ForeignKeyConstraint, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from coopac_core.errors import DomainError
from coopac_core.models_base import created_at_field
from coopac_core.savings.errors import InsufficientFunds


class ShareAccountStatus(StrEnum):
    active = "active"
    closed = "closed"


class ShareAccount(SQLModel, table=True):
    """A member's paid-in share capital. One per member, opened with the membership."""

    ACCOUNT_KIND: ClassVar[str] = "share"
    NORMAL_SIDE: ClassVar[str] = "credit"
    NEGATIVE_BALANCE_ERROR: ClassVar[type[DomainError]] = InsufficientFunds

    __tablename__ = "share_account"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "member_id", name="uq_share_account_member"),
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        CheckConstraint("status IN ('active', 'closed')", name="status_valid"),
        ForeignKeyConstraint(
            ["cooperative_id", "member_id"], ["member.cooperative_id", "member.id"]
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"], ["gl_account.cooperative_id", "gl_account.id"]
        ),
    )

    # the cooperative is its member's (the composite key to member): a key of its own
    # would only repeat that check on every row a bulk import writes
    cooperative_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    member_id: uuid.UUID
    currency: str = Field(default="PEN", max_length=3)
    balance: Decimal = Field(
        default=Decimal("0.00"), sa_column=Column(Numeric(18, 2), nullable=False)
    )
    gl_account_id: uuid.UUID
    status: str = Field(default="active", max_length=8)
    opened_on: date
    closed_on: date | None = None
    created_at: datetime = created_at_field()
