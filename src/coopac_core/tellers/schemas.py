"""What the counter's routes take and answer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from coopac_core.channels import Channel
from coopac_core.ledger.models import EntryKind
from coopac_core.money import Amount, Currency
from coopac_core.tellers.models import (
    ApprovalStatus,
    CounterPurpose,
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


class OfflineOperationType(StrEnum):
    deposit = "deposit"
    withdrawal = "withdrawal"
    transfer = "transfer"
    share_payment = "share_payment"
    loan_repayment = "loan_repayment"


class OperationStatus(StrEnum):
    applied = "applied"  # it ran (now, or when first sent: see replayed)
    refused = "refused"  # its problem is in problem
    skipped = "skipped"  # after a refusal, with stop_on_error: not run, not kept


IdempotencyKey = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]


class OfflineOperation(BaseModel):
    idempotency_key: IdempotencyKey = Field(
        description="The operation's own key, as its Idempotency-Key were it sent alone"
    )
    type: OfflineOperationType
    body: dict[str, Any] = Field(
        description="The endpoint's body plus the ids its path carries (account_id, "
        "member_id, loan_id)"
    )
    recorded_at: AwareDatetime = Field(description="When the device recorded it")


class SyncBatch(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "device_id": "tablet-puno-03",
                    "stop_on_error": False,
                    "operations": [
                        {
                            "idempotency_key": "tablet-puno-03-000187",
                            "type": "deposit",
                            "body": {
                                "account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                                "amount": "150.00",
                            },
                            "recorded_at": "2026-11-23T10:42:07-05:00",
                        }
                    ],
                }
            ]
        }
    )

    device_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    stop_on_error: bool = Field(
        default=False, description="Stop at the first refused operation (the rest: skipped)"
    )
    operations: list[OfflineOperation] = Field(min_length=1, max_length=1000)


class OperationResult(BaseModel):
    idempotency_key: str
    type: OfflineOperationType
    status: OperationStatus
    http_status: int | None = Field(description="The HTTP status it would have had alone")
    result: dict[str, Any] | None = None
    problem: dict[str, Any] | None = None
    replayed: bool = Field(description="Answered from a former send of the same key")


class SyncBatchOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "device_id": "tablet-puno-03",
                    "received": 1,
                    "applied": 1,
                    "refused": 0,
                    "skipped": 0,
                    "results": [
                        {
                            "idempotency_key": "tablet-puno-03-000187",
                            "type": "deposit",
                            "status": "applied",
                            "http_status": 201,
                            "result": {"journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0"},
                            "problem": None,
                            "replayed": False,
                        }
                    ],
                }
            ]
        }
    )

    device_id: str
    received: int
    applied: int
    refused: int
    skipped: int
    results: list[OperationResult]


class DueInstallment(BaseModel):
    number: int
    due_date: date
    owed: Amount = Field(description="What is still owed on it")


class SnapshotLoan(BaseModel):
    id: uuid.UUID
    number: str
    currency: Currency
    balance: Amount
    days_past_due: int
    overdue_amount: Amount
    next_due: DueInstallment | None = Field(description="The oldest installment still owed")


class MemberSnapshot(BaseModel):
    """What a front-end needs to serve a member with the link down."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "as_of": "2026-11-23",
                    "member": {"id": "8d6c5b4a-3f2e-4d1c-9b0a-f9e8d7c6b5a4"},
                    "share_account": {"id": "2c9f7b1e-3a4d-4c5e-8f6a-7b8c9d0e1f2a"},
                    "savings_accounts": [],
                    "loans": [
                        {
                            "id": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
                            "number": "0012-0000045-6",
                            "currency": "PEN",
                            "balance": "2400.00",
                            "days_past_due": 0,
                            "overdue_amount": "0.00",
                            "next_due": {
                                "number": 4,
                                "due_date": "2026-12-05",
                                "owed": "312.40",
                            },
                        }
                    ],
                }
            ]
        }
    )

    as_of: date = Field(description="The cooperative's business date")
    member: dict[str, Any] = Field(description="The member, as GET members/{id} answers")
    share_account: dict[str, Any] | None
    savings_accounts: list[dict[str, Any]] = Field(
        description="With balance and available_balance, as GET savings-accounts/{id}"
    )
    loans: list[SnapshotLoan] = Field(description="Active loans, with what falls due")


class ApprovalThreshold(BaseModel):
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
    status: ApprovalStatus
    till_session_id: uuid.UUID
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    journal_entry_id: uuid.UUID | None
    receipt_number: str | None


class Decision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"note": "Socio identificado"}]})

    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
