from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from coopac_core.ledger.models import AccountKind, EntryKind, NormalSide
from coopac_core.money import Amount, Currency


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


class GlAccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
    account_kind: AccountKind | None
    account_id: uuid.UUID | None


class JournalEntryOut(BaseModel):
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
    postings: list[PostingOut]


class ReversalRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"description": "Depósito registrado en otra cuenta"}]}
    )

    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = (
        None
    )


class TrialBalanceAccount(BaseModel):
    code: str
    name: str
    currency: Currency
    debits: Amount
    credits: Amount
    balance: Amount = Field(description="debits - credits: positive is a debit balance")


class TrialBalance(BaseModel):
    as_of: date
    currency: Currency
    accounts: list[TrialBalanceAccount]
    total_debits: Amount
    total_credits: Amount


class VerificationOut(BaseModel):
    ok: bool
    member_accounts_checked: int
    control_accounts_checked: int
    entries_checked: int
    problems: list[str]


class StatementLine(BaseModel):
    """A line of a member account's statement, seen from the holder's side."""

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
