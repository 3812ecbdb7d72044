from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from coopac_core.money import Amount, Currency
from coopac_core.shares.models import ShareAccountStatus
from coopac_core.validation import invalid


class ShareAccountOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "2c9f7b1e-3a4d-4c5e-8f6a-7b8c9d0e1f2a",
                    "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "currency": "PEN",
                    "balance": "250.00",
                    "status": "active",
                    "opened_on": "2026-11-23",
                    "closed_on": None,
                }
            ]
        },
    )

    id: uuid.UUID
    member_id: uuid.UUID
    currency: Currency
    balance: Amount
    status: ShareAccountStatus
    opened_on: date
    closed_on: date | None


class SharePayment(BaseModel):
    """Pay in share capital: cash at a branch, or from one of the member's savings accounts."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"amount": "50.00", "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11"},
                {"amount": "20.00", "from_account_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10"},
            ]
        }
    )

    amount: Amount
    branch_id: uuid.UUID | None = None
    from_account_id: uuid.UUID | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = (
        None
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.branch_id is None) == (self.from_account_id is None):
            raise invalid("one_of_two", first="branch_id", second="from_account_id")
        return self


class ShareRefund(BaseModel):
    """Return all paid-in capital to a withdrawn (or deceased) member."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11"},
                {"to_account_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10"},
            ]
        }
    )

    branch_id: uuid.UUID | None = None
    to_account_id: uuid.UUID | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = (
        None
    )

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.branch_id is None) == (self.to_account_id is None):
            raise invalid("one_of_two", first="branch_id", second="to_account_id")
        return self
