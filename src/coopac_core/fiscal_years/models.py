from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, Numeric
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
    """A closed year: its result per currency (profit positive), as its closing entry put
    it in 39x1, and December's accounting rate, at which the result is stated in soles."""

    __tablename__ = "fiscal_year"
    __table_args__ = (CheckConstraint("status IN ('closed', 'distributed')", name="status_valid"),)

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    year: int = Field(primary_key=True)
    status: str = Field(default=FiscalYearStatus.closed, max_length=12)
    result_pen: Decimal = _money()
    result_usd: Decimal = _money()
    exchange_rate: Decimal = Field(sa_column=Column(Numeric(10, 4), nullable=False))
    closing_entry_id: uuid.UUID | None = None
    closed_by: str = Field(max_length=100)
    closed_by_id: uuid.UUID | None = None
    closed_at: datetime = created_at_field()
