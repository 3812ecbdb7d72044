"""The counter's settings (approval thresholds, the accounts differences book to) and the
withdrawals that wait for a supervisor."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from coopac_core.money import Amount, Currency
from coopac_core.tellers.models import (
    CounterPurpose,
    WithdrawalStatus,
)


class ApprovalThreshold(BaseModel):
    # one schema both ways: a client generator drops a model named twice (-Input, -Output)
    model_config = ConfigDict(json_schema_mode_override="serialization")

    currency: Currency
    amount: Amount = Field(description="A cash withdrawal above it waits for a supervisor")


class CounterAccountIn(BaseModel):
    purpose: CounterPurpose
    currency: Currency
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class CounterAccountOut(CounterAccountIn):
    pass


class CounterSettingsIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "withdrawal_approval_above": [
                        {"currency": "PEN", "amount": "10000.00"},
                        {"currency": "USD", "amount": "3000.00"},
                    ],
                    "accounts": [{"purpose": "cash_short", "currency": "PEN", "code": "1511.01"}],
                }
            ]
        }
    )

    withdrawal_approval_above: list[ApprovalThreshold] | None = Field(
        default=None, description="Replaces the thresholds; a currency left out has none"
    )
    accounts: list[CounterAccountIn] | None = Field(
        default=None, description="The GL accounts the counter books to, by purpose"
    )


class CounterSettingsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "withdrawal_approval_above": [{"currency": "PEN", "amount": "10000.00"}],
                    "accounts": [
                        {"purpose": "cash_over", "currency": "PEN", "code": "2511.01"},
                        {"purpose": "cash_short", "currency": "PEN", "code": "1511.01"},
                    ],
                }
            ]
        }
    )

    withdrawal_approval_above: list[ApprovalThreshold]
    accounts: list[CounterAccountOut]


class WithdrawalRequestOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
                    "account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                    "amount": "15000.00",
                    "currency": "PEN",
                    "description": None,
                    "status": "pending_approval",
                    "till_session_id": "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                    "requested_by": "rquispe",
                    "requested_at": "2026-11-23T11:02:00Z",
                    "decided_by": None,
                    "decided_at": None,
                    "decision_note": None,
                    "journal_entry_id": None,
                    "receipt_number": None,
                }
            ]
        }
    )

    id: uuid.UUID
    account_id: uuid.UUID
    amount: Amount
    currency: Currency
    description: str | None
    status: WithdrawalStatus
    till_session_id: uuid.UUID
    requested_by: str
    requested_at: datetime
    expires_at: datetime | None = Field(
        default=None, description="Undecided by then, it expires: it is asked for again"
    )
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    journal_entry_id: uuid.UUID | None
    receipt_number: str | None
