"""What the counter's routes take and answer: tills, sessions, cash between them, the
banks and receipts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from coopac_core.channels import Channel
from coopac_core.ledger.models import EntryKind
from coopac_core.money import Amount, Currency
from coopac_core.tellers.models import (
    SessionStatus,
    TillKind,
    TransferStatus,
)
from coopac_core.validation import invalid

TillCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, min_length=1, max_length=10, pattern=r"^[A-Z0-9]+$"
    ),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class CurrencyAmount(BaseModel):
    currency: Currency
    amount: Amount


class CashLimit(BaseModel):
    currency: Currency
    amount: Amount = Field(description="The most cash the till may hold in this currency")


class Denomination(BaseModel):
    value: Amount = Field(description="A note's or coin's face value: 200.00, 0.50")
    count: int = Field(ge=0, le=1_000_000)


class Count(BaseModel):
    """What a teller counted in one currency; the denominations, if given, must add up."""

    currency: Currency
    amount: Amount
    denominations: list[Denomination] | None = None

    @model_validator(mode="after")
    def _adds_up(self) -> Self:
        if self.amount < 0:
            raise invalid("count_negative")
        if self.denominations is not None:
            total = sum((d.value * d.count for d in self.denominations), Decimal("0.00"))
            if total != self.amount:
                raise invalid(
                    "denominations_total", total=f"{total:.2f}", amount=f"{self.amount:.2f}"
                )
        return self


def _one_per_currency(counted: list[Count]) -> list[Count]:
    seen = [c.currency for c in counted]
    if len(seen) != len(set(seen)):
        raise invalid("one_line_per_currency")
    return counted


class TillCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "C01",
                    "name": "Caja 1",
                    "cash_limits": [{"currency": "PEN", "amount": "30000.00"}],
                }
            ]
        }
    )

    code: TillCode
    name: Name
    cash_limits: list[CashLimit] = Field(
        default_factory=list, description="A ceiling per currency: above it, cash goes to the vault"
    )


class TillUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"cash_limits": [{"currency": "PEN", "amount": "0.00"}]}]}
    )

    name: Name | None = None
    cash_limits: list[CashLimit] | None = Field(
        default=None, description="Replaces the ceilings; an amount of 0.00 removes one"
    )


class TillCashOut(BaseModel):
    currency: Currency
    balance: Amount
    cash_limit: Amount | None = None
    gl_account_code: str


class TillOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0f6a1d52-3c1e-4b8e-9d7a-1a2b3c4d5e6f",
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                    "code": "C01",
                    "name": "Caja 1",
                    "kind": "till",
                    "cash": [
                        {
                            "currency": "PEN",
                            "balance": "2500.00",
                            "cash_limit": "30000.00",
                            "gl_account_code": "1111.PUNO.C01",
                        }
                    ],
                    "open_session_id": None,
                }
            ]
        }
    )

    id: uuid.UUID
    branch_id: uuid.UUID
    code: str
    name: str
    kind: TillKind
    cash: list[TillCashOut]
    open_session_id: uuid.UUID | None = None


class SessionOpen(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "counted": [
                        {
                            "currency": "PEN",
                            "amount": "1000.00",
                            "denominations": [
                                {"value": "100.00", "count": 8},
                                {"value": "50.00", "count": 4},
                            ],
                        }
                    ]
                }
            ]
        }
    )

    counted: list[Count] = Field(default_factory=list)

    @model_validator(mode="after")
    def _currencies(self) -> Self:
        _one_per_currency(self.counted)
        return self


class SessionClose(SessionOpen):
    pass


class SessionMovement(BaseModel):
    journal_entry_id: uuid.UUID
    kind: EntryKind
    receipt_number: str | None
    currency: Currency
    amount: Amount = Field(description="What it did to the till's cash: positive came in")
    description: str | None
    booked_at: datetime
    reversal_of: uuid.UUID | None = None
    offline: bool = False


class TillSessionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                    "till_id": "0f6a1d52-3c1e-4b8e-9d7a-1a2b3c4d5e6f",
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                    "teller_id": "3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d",
                    "teller_name": "rquispe",
                    "status": "closed",
                    "business_date": "2026-11-23",
                    "opened_at": "2026-11-23T08:01:12Z",
                    "counted_at_opening": [{"currency": "PEN", "amount": "1000.00"}],
                    "opening_differences": [],
                    "closed_at": "2026-11-23T17:45:03Z",
                    "closed_by": "rquispe",
                    "counted": [{"currency": "PEN", "amount": "3490.00"}],
                    "expected": [{"currency": "PEN", "amount": "3500.00"}],
                    "differences": [{"currency": "PEN", "amount": "-10.00"}],
                    "movements": [],
                }
            ]
        }
    )

    id: uuid.UUID
    till_id: uuid.UUID
    till_code: str
    branch_id: uuid.UUID
    teller_id: uuid.UUID
    teller_name: str
    status: SessionStatus
    business_date: date
    opened_at: datetime
    counted_at_opening: list[CurrencyAmount]
    opening_differences: list[CurrencyAmount]
    closed_at: datetime | None = None
    closed_by: str | None = None
    counted: list[CurrencyAmount] | None = None
    expected: list[CurrencyAmount] = Field(
        description="What the books say the till holds: now, or at the close"
    )
    differences: list[CurrencyAmount] | None = Field(
        default=None, description="Counted minus expected: positive over, negative short"
    )
    movements: list[SessionMovement] = Field(
        default_factory=list, description="Every movement of the till's cash in the session"
    )


class TillTransferCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from_till_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "to_till_id": "0f6a1d52-3c1e-4b8e-9d7a-1a2b3c4d5e6f",
                    "currency": "PEN",
                    "amount": "5000.00",
                }
            ]
        }
    )

    from_till_id: uuid.UUID
    to_till_id: uuid.UUID
    currency: Currency
    amount: Amount


class TillTransferReceive(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"amount": "5000.00"}]})

    amount: Amount = Field(description="What the receiver counted: must be what was sent")


class TillTransferOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                    "from_till_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "to_till_id": "0f6a1d52-3c1e-4b8e-9d7a-1a2b3c4d5e6f",
                    "currency": "PEN",
                    "amount": "5000.00",
                    "status": "in_transit",
                    "sent_by": "jefe.operaciones",
                    "sent_at": "2026-11-23T08:10:00Z",
                    "received_by": None,
                    "received_at": None,
                }
            ]
        }
    )

    id: uuid.UUID
    branch_id: uuid.UUID
    from_till_id: uuid.UUID
    to_till_id: uuid.UUID
    currency: Currency
    amount: Amount
    status: TransferStatus
    sent_by: str
    sent_at: datetime
    send_journal_entry_id: uuid.UUID
    received_by: str | None = None
    received_at: datetime | None = None
    receive_journal_entry_id: uuid.UUID | None = None


class BankMovement(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "currency": "PEN",
                    "amount": "20000.00",
                    "bank_account": "1113",
                    "reference": "Depósito BCP op. 555123",
                }
            ]
        }
    )

    currency: Currency
    amount: Amount
    bank_account: str | None = Field(
        default=None,
        max_length=40,
        description="The GL code of the bank account; the chart's 11x3 if not given",
    )
    reference: str | None = Field(default=None, max_length=200)


class BankMovementOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                    "till_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "currency": "PEN",
                    "amount": "20000.00",
                    "vault_balance": "45000.00",
                    "bank_account": "1113",
                }
            ]
        }
    )

    journal_entry_id: uuid.UUID
    till_id: uuid.UUID
    currency: Currency
    amount: Amount
    vault_balance: Amount
    bank_account: str


class ReceiptMember(BaseModel):
    id: uuid.UUID
    member_number: str
    name: str
    document: str


class ReceiptOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "number": "PUNO-C01-00000042",
                    "series": "C01",
                    "sequence": 42,
                    "cooperative": "Cooperativa de Ahorro y Crédito Los Andes",
                    "cooperative_ruc": "20123456789",
                    "branch": "Agencia Puno",
                    "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                    "kind": "deposit",
                    "operation": "Depósito en efectivo",
                    "account_number": "0012-0000123-4",
                    "member": {
                        "id": "8d6c5b4a-3f2e-4d1c-9b0a-f9e8d7c6b5a4",
                        "member_number": "000123",
                        "name": "Mamani Quispe, Juana",
                        "document": "DNI 40123456",
                    },
                    "currency": "PEN",
                    "amount": "120.50",
                    "amount_in_words": "CIENTO VEINTE Y 50/100 SOLES",
                    "till_movements": [{"currency": "PEN", "amount": "120.50"}],
                    "teller": "rquispe",
                    "channel": "counter",
                    "business_date": "2026-11-23",
                    "issued_at": "2026-11-23T14:05:31Z",
                    "offline_recorded_at": None,
                    "reverses": None,
                    "description": "Depósito en efectivo",
                }
            ]
        }
    )

    number: str
    series: str
    sequence: int
    cooperative: str
    cooperative_ruc: str
    branch: str
    journal_entry_id: uuid.UUID
    kind: EntryKind
    operation: str
    account_number: str | None = None
    member: ReceiptMember | None = None
    currency: Currency
    amount: Amount
    amount_in_words: str
    till_movements: list[CurrencyAmount] = Field(
        description="What it did to the till's cash per currency (positive: came in); an "
        "exchange has two"
    )
    teller: str
    channel: Channel
    business_date: date
    issued_at: datetime
    offline_recorded_at: datetime | None = None
    reverses: uuid.UUID | None = Field(
        default=None, description="For a correction: the entry it reverses"
    )
    description: str | None = None
