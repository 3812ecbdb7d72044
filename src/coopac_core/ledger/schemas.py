from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from coopac_core.approvals.engine import decision_fields
from coopac_core.approvals.models import ApprovalRequest, ApprovalStatus
from coopac_core.channels import Channel
from coopac_core.ledger.models import AccountKind, AccountPart, EntryKind, NormalSide
from coopac_core.money import Amount, Currency
from coopac_core.pagination import Page
from coopac_core.validation import invalid


class GlAccountCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"code": "1512", "name": "Adelantos al personal", "currency": "PEN"}]
        }
    )

    code: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[1-8]\d{3}(\.[A-Z0-9]{1,20})*$")
    ]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    currency: Currency


class AdjustmentLine(BaseModel):
    # one schema both ways: a client generator drops a model named twice (-Input, -Output)
    model_config = ConfigDict(json_schema_mode_override="serialization")

    account: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=4, max_length=40)
    ] = Field(description="The GL account's code, e.g. 5614")
    debit: Amount | None = None
    credit: Amount | None = None

    @model_validator(mode="after")
    def _one_side(self) -> AdjustmentLine:
        if (self.debit is None) == (self.credit is None):
            raise invalid("one_of_two", first="debit", second="credit")
        return self


class AdjustmentCreate(BaseModel):
    """An accountant's entry by hand, balanced per currency."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "business_date": "2027-01-31",
                    "description": "Comisión bancaria de enero",
                    "lines": [
                        {"account": "4111", "debit": "12.50"},
                        {"account": "1113", "credit": "12.50"},
                    ],
                }
            ]
        }
    )

    business_date: date | None = Field(
        default=None,
        description="The day it is booked on: the business date by default, or an earlier "
        "day of a month not yet closed (the adjustments of a month end)",
    )
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)
    ]
    lines: list[AdjustmentLine] = Field(min_length=2, max_length=50)


class AdjustmentRequestOut(BaseModel):
    """An entry by hand waiting for (or decided by) a second person."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "9b1f3c2e-4d5a-4e6f-8a7b-0c1d2e3f4a5b",
                    "status": "pending",
                    "business_date": "2027-01-31",
                    "description": "Comisión bancaria de enero",
                    "lines": [
                        {"account": "4111", "debit": "12.50", "credit": None},
                        {"account": "1113", "debit": None, "credit": "12.50"},
                    ],
                    "requested_by": "sur.contador",
                    "requested_at": "2027-02-02T09:12:40.100-05:00",
                    "decided_by": None,
                    "decided_at": None,
                    "decision_note": None,
                    "journal_entry_id": None,
                }
            ]
        },
    )

    id: uuid.UUID
    status: ApprovalStatus
    business_date: date
    description: str
    lines: list[AdjustmentLine]
    requested_by: str
    requested_at: datetime
    expires_at: datetime | None = Field(
        default=None, description="Undecided by then, it expires: it is asked for again"
    )
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    journal_entry_id: uuid.UUID | None = Field(description="The entry, once approved and posted")

    @classmethod
    def of(cls, row: ApprovalRequest) -> AdjustmentRequestOut:
        return cls(
            **decision_fields(row),
            id=row.id,
            business_date=row.payload["business_date"],
            description=row.payload["description"],
            lines=row.payload["lines"],
            journal_entry_id=row.journal_entry_id,
        )


class GlAccountOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "8f7e6d5c-4b3a-4291-8071-6f5e4d3c2b1a",
                    "code": "2112",
                    "name": "Obligaciones por cuentas de ahorro (PEN)",
                    "currency": "PEN",
                    "normal_side": "credit",
                    "control_kind": "savings",
                    "branch_id": None,
                    "allows_posting": True,
                    "is_system": True,
                }
            ]
        },
    )

    id: uuid.UUID
    code: str
    name: str
    currency: Currency
    normal_side: NormalSide
    control_kind: AccountKind | None
    branch_id: uuid.UUID | None
    allows_posting: bool
    is_system: bool


class PostingOut(BaseModel):
    id: int
    gl_account_id: uuid.UUID
    gl_account_code: str
    currency: Currency
    debit: Amount
    credit: Amount
    # the member account the line moves, or the balance of it the line keeps (a loan's
    # interest in suspense, provisions, written-off debt)
    account_kind: AccountKind | AccountPart | None
    account_id: uuid.UUID | None


class JournalEntryOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                    "seq": 5120,
                    "kind": "deposit",
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                    "business_date": "2026-11-23",
                    "value_date": "2026-11-23",
                    "description": "Depósito en efectivo",
                    "actor_name": "sur.cajero",
                    "request_id": "3f2c9d0e8b7a4c1d",
                    "reversal_of": None,
                    "reversed_by": None,
                    "booked_at": "2026-11-23T14:05:31.412-05:00",
                    "channel": "counter",
                    "till_session_id": "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                    "offline": False,
                    "recorded_at": None,
                    "device_id": None,
                    "postings": [
                        {
                            "id": 88210,
                            "gl_account_id": "8f7e6d5c-4b3a-4291-8071-6f5e4d3c2b1a",
                            "gl_account_code": "1111.PUNO",
                            "currency": "PEN",
                            "debit": "100.00",
                            "credit": "0.00",
                            "account_kind": None,
                            "account_id": None,
                        },
                        {
                            "id": 88211,
                            "gl_account_id": "8f7e6d5c-4b3a-4291-8071-6f5e4d3c2b1a",
                            "gl_account_code": "2112",
                            "currency": "PEN",
                            "debit": "0.00",
                            "credit": "100.00",
                            "account_kind": "savings",
                            "account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                        },
                    ],
                }
            ]
        }
    )

    id: uuid.UUID
    seq: int
    kind: EntryKind
    branch_id: uuid.UUID | None
    business_date: date
    value_date: date
    description: str | None
    actor_name: str
    request_id: str | None
    reversal_of: uuid.UUID | None
    reversed_by: uuid.UUID | None
    booked_at: datetime
    channel: Channel = Field(description="Where it came in: the federation measures channels")
    till_session_id: uuid.UUID | None = Field(description="The till whose cash it moved")
    offline: bool = Field(description="Recorded on a device with the link down, sent later")
    recorded_at: datetime | None = Field(
        description="Recorded offline on a device at this moment (posted when it arrived)"
    )
    device_id: str | None
    postings: list[PostingOut]


class ReversalRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"description": "Depósito registrado en otra cuenta"}]}
    )

    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = (
        None
    )


class ReversalRequestOut(BaseModel):
    """A reversal waiting for (or decided by) a second person."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0b7e2c1a-4f4e-4d0b-9a51-3c1f2e9d8a77",
                    "journal_entry_id": "5d2f8a10-7c3b-4e9a-8f61-2b0c9d4e1a33",
                    "status": "pending",
                    "reason": "Depósito registrado en otra cuenta",
                    "requested_by": "sur.cajero",
                    "requested_at": "2026-11-26T15:04:05Z",
                    "decided_by": None,
                    "decided_at": None,
                    "decision_note": None,
                    "reversal_entry_id": None,
                }
            ]
        },
    )

    id: uuid.UUID
    journal_entry_id: uuid.UUID
    status: ApprovalStatus
    reason: str | None
    requested_by: str
    requested_at: datetime
    expires_at: datetime | None = Field(
        default=None, description="Undecided by then, it expires: it is asked for again"
    )
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    reversal_entry_id: uuid.UUID | None = Field(
        description="The reversal entry, once approved and posted"
    )

    @classmethod
    def of(cls, row: ApprovalRequest) -> ReversalRequestOut:
        assert row.subject_id is not None
        return cls(
            **decision_fields(row),
            id=row.id,
            journal_entry_id=row.subject_id,
            reason=row.payload.get("reason"),
            reversal_entry_id=row.journal_entry_id,
        )


class ReversalDecision(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"note": "Verificado con el voucher del cliente"}]}
    )

    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None


class TrialBalanceAccount(BaseModel):
    code: str
    name: str
    currency: Currency
    debits: Amount
    credits: Amount
    balance: Amount = Field(description="debits - credits: positive is a debit balance")


class TrialBalance(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "as_of": "2026-11-23",
                    "currency": "PEN",
                    "accounts": [
                        {
                            "code": "1111.PUNO",
                            "name": "Caja Agencia Puno (PEN)",
                            "currency": "PEN",
                            "debits": "5300.00",
                            "credits": "1200.50",
                            "balance": "4099.50",
                        },
                        {
                            "code": "2112",
                            "name": "Obligaciones por cuentas de ahorro (PEN)",
                            "currency": "PEN",
                            "debits": "1200.50",
                            "credits": "5300.00",
                            "balance": "-4099.50",
                        },
                    ],
                    "total_debits": "6500.50",
                    "total_credits": "6500.50",
                }
            ]
        }
    )

    as_of: date
    currency: Currency
    accounts: list[TrialBalanceAccount]
    total_debits: Amount
    total_credits: Amount


class VerificationOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ok": True,
                    "member_accounts_checked": 1250,
                    "control_accounts_checked": 10,
                    "entries_checked": 48211,
                    "problems": [],
                }
            ]
        }
    )

    ok: bool
    member_accounts_checked: int
    control_accounts_checked: int
    entries_checked: int
    problems: list[str]


class StatementLine(BaseModel):
    """A line of a member account's statement, seen from the holder's side."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 88211,
                    "booked_at": "2026-11-23T14:05:31.412-05:00",
                    "value_date": "2026-11-23",
                    "kind": "withdrawal",
                    "amount": "-120.50",
                    "balance_after": "179.50",
                    "description": "Retiro en efectivo",
                    "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                }
            ]
        }
    )

    id: int
    booked_at: datetime
    value_date: date
    kind: EntryKind
    amount: Amount = Field(description="Positive: money in; negative: money out")
    balance_after: Amount
    description: str | None
    journal_entry_id: uuid.UUID


class Movement(BaseModel):
    """The answer to a money POST: the account's line and its new balance."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 88211,
                    "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                    "account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                    "kind": "deposit",
                    "amount": "100.00",
                    "currency": "PEN",
                    "balance": "1350.00",
                    "available_balance": "850.00",
                    "value_date": "2026-11-23",
                    "booked_at": "2026-11-23T14:05:31.412-05:00",
                    "description": "Depósito en ventanilla",
                    "receipt_number": "PUNO-C01-00000042",
                }
            ]
        }
    )

    id: int = Field(description="The statement line of this movement")
    journal_entry_id: uuid.UUID
    account_id: uuid.UUID
    kind: EntryKind
    amount: Amount
    currency: Currency
    balance: Amount
    available_balance: Amount
    value_date: date
    booked_at: datetime
    description: str | None
    receipt_number: str | None = Field(
        default=None, description="The counter's receipt, for an operation in cash"
    )


class StatementPage(Page[StatementLine]):
    """A page of a member account's statement, with the balance its range starts from."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [],
                    "next_cursor": None,
                    "opening_balance": "1250.40",
                }
            ]
        }
    )

    opening_balance: Amount = Field(
        description="The balance at the start of the range (from=), the holder's side; 0 "
        "without a start: the statement then begins with the account"
    )
