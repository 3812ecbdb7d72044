from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, Numeric, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class SbsLevel(StrEnum):
    """The SBS level of a COOPAC (Ley 30822): it sets what it may do and its deposit cover."""

    level_1 = "1"
    level_2a = "2A"
    level_2b = "2B"
    level_3 = "3"


class Cooperative(SQLModel, table=True):
    __tablename__ = "cooperative"
    __table_args__ = (
        CheckConstraint("sbs_level IN ('1', '2A', '2B', '3')", name="sbs_level_valid"),
        CheckConstraint("ruc ~ '^[0-9]{11}$'", name="ruc_digits"),
        CheckConstraint("base_currency IN ('PEN', 'USD')", name="base_currency_valid"),
        CheckConstraint("exchange_rate > 0", name="exchange_rate_positive"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    ruc: str = Field(max_length=11, unique=True)
    sbs_level: str = Field(max_length=2)
    base_currency: str = Field(default="PEN", max_length=3)
    timezone: str = Field(default="America/Lima", max_length=64)
    # The cooperative's business date: it moves when close-of-business finishes, not with
    # the wall clock.
    business_date: date
    is_active: bool = Field(default=True)
    # A COOPAC operates only with its members (Ley 30822); a UNICA-style village group lends
    # to non-members backed by a member guarantor.
    operates_with_non_members: bool = Field(default=False)
    # The credit rules marked "to confirm" (``loans.policy.CreditPolicy``); {}: the defaults.
    credit_policy: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSONB, nullable=False, server_default="{}"),
    )
    # The statute's figures for the year's surplus (``fiscal_years.surplus.SurplusPolicy``);
    # {}: the defaults.
    surplus_policy: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSONB, nullable=False, server_default="{}"),
    )
    # Soles per dollar the cooperative uses in its reports (a dollar balance in the
    # federation's figures, a dollar cash operation against the register's threshold).
    exchange_rate: Decimal = Field(
        default=Decimal("3.7500"),
        sa_column=Column(Numeric(10, 4), nullable=False, server_default="3.7500"),
    )
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


class FederationSettings(SQLModel, table=True):
    """The federation's own settings: one row. Not a cooperative's data, so no tenant."""

    __tablename__ = "federation_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: int = Field(default=1, primary_key=True)
    # ``federation.indicators.Target`` by indicator and ``reports.cash_operations.CashThresholds``;
    # {}: their defaults
    indicator_targets: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )
    cash_thresholds: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )
    # ``prudential.settings.PrudentialSettings``: the supervisor's weights, minimums and
    # limits; {}: their defaults
    prudential: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )
    updated_at: datetime | None = timestamp_field()
    updated_by: str | None = Field(default=None, max_length=100)


class Branch(SQLModel, table=True):
    __tablename__ = "branch"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "code", name="uq_branch_code"),
        CheckConstraint("ubigeo ~ '^[0-9]{6}$'", name="ubigeo_digits"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    ubigeo: str = Field(max_length=6)
    address: str | None = Field(default=None, max_length=300)
    is_active: bool = Field(default=True)
    created_at: datetime = created_at_field()
