"""What the exchange counter takes and answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.models import ApprovalRequest, ApprovalStatus
from coopac_core.money import Amount, Currency
from coopac_core.validation import invalid


def _rate(value: object) -> object:
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


# Soles per dollar, to four decimals ("3.7450"), as a string.
FxRate = Annotated[
    Decimal,
    BeforeValidator(_rate),
    Field(gt=0, lt=100, max_digits=8, decimal_places=4),
    PlainSerializer(lambda v: f"{v:.4f}", return_type=str, when_used="json"),
]


class RateCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"buy": "3.7300", "sell": "3.7600"}]})

    buy: FxRate = Field(description="Soles the cooperative pays for a dollar")
    sell: FxRate = Field(description="Soles the cooperative charges for a dollar")

    @model_validator(mode="after")
    def _spread(self) -> Self:
        if self.sell < self.buy:
            raise invalid("sell_below_buy")
        return self


class RateOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3c2b1a09-8f7e-4d6c-9b5a-4a3b2c1d0e9f",
                    "business_date": "2026-11-23",
                    "currency": "USD",
                    "buy": "3.7300",
                    "sell": "3.7600",
                    "published_by": "jefe.operaciones",
                    "published_at": "2026-11-23T08:00:00Z",
                }
            ]
        }
    )

    id: uuid.UUID
    business_date: date
    currency: Currency = Currency.USD
    buy: FxRate
    sell: FxRate
    published_by: str
    published_at: datetime


class AccountingRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"rate": "3.7420"}]})

    rate: FxRate = Field(
        description="The SBS accounting rate of the business day, soles per dollar"
    )


class AccountingRateSource(StrEnum):
    accounting = "accounting"  # set for that day, or the last day before it
    cooperative = "cooperative"  # none set yet: the rate the cooperative's reports use


class AccountingRateOut(BaseModel):
    """The accounting rate in force on a day: what the books express dollars in."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "as_of": "2026-11-30",
                    "currency": "USD",
                    "rate": "3.7420",
                    "source": "accounting",
                    "set_on": "2026-11-30",
                    "set_by": "sur.contador",
                }
            ]
        }
    )

    as_of: date = Field(description="The day asked for")
    currency: Currency = Currency.USD
    rate: FxRate
    source: AccountingRateSource
    set_on: date | None = Field(description="The business day it was set for")
    set_by: str | None


class ExchangeKind(StrEnum):
    buy_usd = "buy_usd"  # the member buys dollars, paying soles (at the sell rate)
    sell_usd = "sell_usd"  # the member sells dollars, taking soles (at the buy rate)
    deposit_usd = "deposit_usd"  # the member's dollars, into their soles account (buy rate)


class ExchangeCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "sell_usd",
                    "amount_usd": "100.00",
                    "member_id": "8d6c5b4a-3f2e-4d1c-9b0a-f9e8d7c6b5a4",
                },
                {
                    "kind": "deposit_usd",
                    "amount_usd": "50.00",
                    "member_id": "8d6c5b4a-3f2e-4d1c-9b0a-f9e8d7c6b5a4",
                    "account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                },
            ]
        }
    )

    kind: ExchangeKind
    amount_usd: Amount
    member_id: uuid.UUID
    account_id: uuid.UUID | None = Field(
        default=None, description="For deposit_usd: the member's soles savings account"
    )
    description: Annotated[str, Field(max_length=300)] | None = None

    @model_validator(mode="after")
    def _account(self) -> Self:
        if (self.kind == ExchangeKind.deposit_usd) != (self.account_id is not None):
            raise invalid("account_for_deposit_usd")
        return self


class ExchangeOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                    "kind": "sell_usd",
                    "member_id": "8d6c5b4a-3f2e-4d1c-9b0a-f9e8d7c6b5a4",
                    "account_id": None,
                    "amount_usd": "100.00",
                    "amount_pen": "373.00",
                    "rate": "3.7300",
                    "rate_id": "3c2b1a09-8f7e-4d6c-9b5a-4a3b2c1d0e9f",
                    "spread_income": "1.50",
                    "receipt_number": "PUNO-C01-00000043",
                    "booked_at": "2026-11-23T10:12:44Z",
                }
            ]
        }
    )

    journal_entry_id: uuid.UUID
    kind: ExchangeKind
    member_id: uuid.UUID
    account_id: uuid.UUID | None = None
    amount_usd: Amount
    amount_pen: Amount
    rate: FxRate = Field(description="The rate applied: the board's buy or sell")
    rate_id: uuid.UUID
    spread_income: Amount = Field(description="What the cooperative earns against the mid rate")
    receipt_number: str | None
    booked_at: datetime


class RateRequestOut(BaseModel):
    """A board out of the band, waiting for (or decided by) a second person."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
                    "buy": "4.2000",
                    "sell": "4.2500",
                    "reason": "la compra se aparta más del 5% de la de referencia (3.7300)",
                    "status": "pending",
                    "requested_by": "sur.gerente",
                    "requested_at": "2026-11-23T08:05:00Z",
                    "expires_at": "2026-11-23T20:05:00Z",
                    "decided_by": None,
                    "decided_at": None,
                    "decision_note": None,
                }
            ]
        }
    )

    id: uuid.UUID
    buy: FxRate
    sell: FxRate
    reason: str = Field(description="Why it needs a second person")
    status: ApprovalStatus
    requested_by: str
    requested_at: datetime
    expires_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None

    @classmethod
    def of(cls, row: ApprovalRequest) -> RateRequestOut:
        return cls(
            id=row.id,
            buy=Decimal(row.payload["buy"]),
            sell=Decimal(row.payload["sell"]),
            reason=row.payload["reason"],
            **approvals.decision_fields(row),
        )
