from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, Numeric
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field


class FiscalYearStatus(StrEnum):
    """``open`` until it is closed (there is no row for it); ``closed`` once its results are
    in the year's result; ``distributed`` once the assembly's agreement is applied."""

    open = "open"
    closed = "closed"
    distributed = "distributed"


def _money() -> Any:
    return Field(default=Decimal("0.00"), sa_column=Column(Numeric(18, 2), nullable=False))


class FiscalYear(SQLModel, table=True):
    """A closed year: its result per currency (profit positive) as its closing entry put it
    in 39x1 (the dollars' in soles at the rate of their day), and December's accounting
    rate."""

    __tablename__ = "fiscal_year"
    __table_args__ = (CheckConstraint("status IN ('closed', 'distributed')", name="status_valid"),)

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    year: int = Field(primary_key=True)
    status: str = Field(default=FiscalYearStatus.closed, max_length=12)
    result_pen: Decimal = _money()
    result_usd: Decimal = _money()
    # the dollar results in soles at the rate of their day, closed into 39x1 with the soles
    # ones (exchange.revaluation); 0 for a year closed before (its dollars went to 39x2)
    result_usd_pen: Decimal = Field(
        default=Decimal("0.00"),
        sa_column=Column(Numeric(18, 2), nullable=False, server_default="0"),
    )
    exchange_rate: Decimal = Field(sa_column=Column(Numeric(10, 4), nullable=False))
    closing_entry_id: uuid.UUID | None = None
    closed_by: str = Field(max_length=100)
    closed_by_id: uuid.UUID | None = None
    closed_at: datetime = created_at_field()
    # the assembly's agreement as applied (fiscal_years.distribution), and its entry
    distribution: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    distribution_entry_id: uuid.UUID | None = None

    @property
    def in_soles(self) -> Decimal:
        """The result 39x1 holds in soles: what the assembly distributes."""
        return self.result_pen + self.result_usd_pen


class SurplusShare(SQLModel, table=True):
    """What a member received of a year's surplus: interest on their share capital and
    their return, and the account it was credited to."""

    __tablename__ = "surplus_share"
    __table_args__ = (
        CheckConstraint("share_interest >= 0 AND member_return >= 0", name="amounts_valid"),
        CheckConstraint("account_kind IN ('share', 'savings')", name="account_kind_valid"),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    year: int = Field(primary_key=True)
    member_id: uuid.UUID = Field(primary_key=True)
    share_interest: Decimal = _money()
    member_return: Decimal = _money()
    account_kind: str = Field(max_length=8)
    account_id: uuid.UUID
