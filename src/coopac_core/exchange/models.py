"""The rate board's table."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKeyConstraint, Index, Numeric
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field


class ExchangeRate(SQLModel, table=True):
    """A published rate: the latest of a business date is that day's board. Append-only:
    a correction is a new publication, and every operation names the rate it used."""

    __tablename__ = "exchange_rate"
    __table_args__ = (
        CheckConstraint("currency = 'USD'", name="currency_usd"),
        CheckConstraint("buy > 0 AND sell >= buy", name="sell_not_below_buy"),
        Index("ix_exchange_rate_day", "cooperative_id", "business_date", "published_at"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    business_date: date
    currency: str = Field(default="USD", max_length=3)
    # soles per dollar: what the cooperative pays for one (buy) and charges for one (sell)
    buy: Decimal = Field(sa_column=Column(Numeric(10, 4), nullable=False))
    sell: Decimal = Field(sa_column=Column(Numeric(10, 4), nullable=False))
    published_by: str = Field(max_length=100)
    published_by_id: uuid.UUID | None = None
    published_at: datetime = created_at_field()


class AccountingRate(SQLModel, table=True):
    """The accounting exchange rate of a business day (the SBS's, soles per dollar): what
    the books express dollars in. A day without one takes the last one before it.
    ``exchange.revaluation`` revalues the dollars at each month end at it."""

    __tablename__ = "accounting_rate"
    __table_args__ = (CheckConstraint("rate > 0", name="rate_positive"),)

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    business_date: date = Field(primary_key=True)
    rate: Decimal = Field(sa_column=Column(Numeric(10, 4), nullable=False))
    set_by: str = Field(max_length=100)
    set_by_id: uuid.UUID | None = None
    set_at: datetime = created_at_field()


class ExchangeOperation(SQLModel, table=True):
    """An exchange at the counter as it was made: whose it was (the member: an exchange
    moves no member account, so its entry alone does not say), what and at which rate.
    What the receipt and the large-cash register name its person by. Written with the
    entry; append-only."""

    __tablename__ = "exchange_operation"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cooperative_id", "journal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "member_id"], ["member.cooperative_id", "member.id"]
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "rate_id"], ["exchange_rate.cooperative_id", "exchange_rate.id"]
        ),
        Index("ix_exchange_operation_member", "cooperative_id", "member_id"),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    journal_entry_id: uuid.UUID = Field(primary_key=True)
    member_id: uuid.UUID
    kind: str = Field(max_length=12)
    amount_usd: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    amount_pen: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    rate_id: uuid.UUID
    created_at: datetime = created_at_field()
