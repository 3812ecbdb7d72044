"""A cooperative's own limits; where it has set none, the defaults in ``policy`` apply."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Numeric
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field


class OperationLimit(SQLModel, table=True):
    __tablename__ = "operation_limit"
    __table_args__ = (
        CheckConstraint("per_operation > 0", name="per_operation_positive"),
        CheckConstraint("per_day IS NULL OR per_day >= per_operation", name="per_day_covers"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    role: str = Field(max_length=32, primary_key=True)
    operation: str = Field(max_length=32, primary_key=True)
    currency: str = Field(max_length=3, primary_key=True)
    per_operation: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    per_day: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    set_by: str = Field(max_length=100)
    created_at: datetime = created_at_field()


class OperationDayTotal(SQLModel, table=True):
    """What one person moved on a business day, by kind and currency: the daily limit's
    running total, kept as each operation posts (``coopac_check_limit``, sql/functions/).
    Summing the day's entries on every operation made each one slower than the last."""

    __tablename__ = "operation_day_total"

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    person_id: uuid.UUID = Field(primary_key=True)
    business_date: date = Field(primary_key=True)
    kind: str = Field(max_length=32, primary_key=True)
    currency: str = Field(max_length=3, primary_key=True)
    amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
