from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coopac_core.ledger.models import EntryKind
from coopac_core.money import Amount, Currency, is_cents
from coopac_core.security.roles import Role
from coopac_core.validation import invalid


class OperationLimitIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "role": "teller",
                    "operation": "withdrawal",
                    "currency": "PEN",
                    "per_operation": "5000.00",
                    "per_day": "30000.00",
                }
            ]
        }
    )

    role: Role
    operation: EntryKind
    currency: Currency
    per_operation: Amount
    per_day: Amount | None = Field(default=None, description="Empty: no daily total")

    @model_validator(mode="after")
    def _sane(self) -> Self:
        if self.per_operation <= 0 or not is_cents(self.per_operation):
            raise invalid("amount_positive", field="per_operation")
        if self.per_day is not None and (
            not is_cents(self.per_day) or self.per_day < self.per_operation
        ):
            raise invalid("rate_range", low="per_operation", high="per_day")
        return self


class OperationLimitOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "role": "teller",
                    "operation": "withdrawal",
                    "currency": "PEN",
                    "per_operation": "20000.00",
                    "per_day": "100000.00",
                    "source": "default",
                }
            ]
        }
    )

    role: Role
    operation: EntryKind
    currency: Currency
    per_operation: Amount
    per_day: Amount | None
    source: Literal["default", "cooperative"]
