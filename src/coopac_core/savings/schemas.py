from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from coopac_core.money import Amount, Currency, Rate, is_cents
from coopac_core.savings.models import (
    AccountStatus,
    EarlyWithdrawal,
    HoldStatus,
    MaturityInstruction,
    ProductKind,
)
from coopac_core.validation import invalid

Code = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=20)
]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class SavingsProductCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "AHV",
                    "name": "Ahorro a la vista",
                    "kind": "sight",
                    "currency": "PEN",
                    "tea": "0.0150",
                },
                {
                    "code": "PF180",
                    "name": "Plazo fijo 180 días",
                    "kind": "term",
                    "currency": "PEN",
                    "tea": "0.0600",
                    "term_days": 180,
                    "early_withdrawal": "forfeit_interest",
                },
            ]
        }
    )

    code: Code
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: ProductKind
    currency: Currency
    tea: Rate = Field(description="Tasa efectiva anual as a fraction: 0.0150 is 1.5% a year")
    min_balance: Amount = Field(default=Decimal("0.00"))
    term_days: int | None = Field(default=None, ge=1, le=3650)
    early_withdrawal: EarlyWithdrawal = EarlyWithdrawal.not_allowed
    penalty_tea: Rate | None = Field(
        default=None,
        description="The lower TEA an early cancellation earns, for early_withdrawal = penalty_tea",
    )
    min_balance_for_interest: Amount = Field(
        default=Decimal("0.00"),
        description="A day whose closing balance is below this earns no interest",
    )
    dormant_after_days: int | None = Field(
        default=None,
        ge=30,
        le=3650,
        description="Days without a movement by the holder before a sight account becomes "
        "dormant at close of business; empty: never",
    )

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if not 0 <= self.tea < 1:
            raise invalid("rate_fraction", field="tea")
        if not is_cents(self.min_balance):
            raise invalid("amount_cents", field="min_balance")
        if not is_cents(self.min_balance_for_interest):
            raise invalid("amount_cents", field="min_balance_for_interest")
        if (self.early_withdrawal is EarlyWithdrawal.penalty_tea) != (self.penalty_tea is not None):
            raise invalid("penalty_tea_for_penalty")
        if self.penalty_tea is not None and not 0 <= self.penalty_tea < self.tea:
            raise invalid("rate_fraction", field="penalty_tea")
        if (self.kind is ProductKind.term) != (self.term_days is not None):
            raise invalid("term_days_for_term")
        return self


class SavingsProductOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a",
                    "code": "AHV",
                    "name": "Ahorro a la vista",
                    "kind": "sight",
                    "currency": "PEN",
                    "tea": "0.015000",
                    "min_balance": "0.00",
                    "term_days": None,
                    "early_withdrawal": "not_allowed",
                    "gl_account_id": "8f7e6d5c-4b3a-4291-8071-6f5e4d3c2b1a",
                    "is_active": True,
                }
            ]
        },
    )

    id: uuid.UUID
    code: str
    name: str
    kind: ProductKind
    currency: Currency
    tea: Rate
    min_balance: Amount
    term_days: int | None
    early_withdrawal: EarlyWithdrawal
    penalty_tea: Rate | None = None
    min_balance_for_interest: Amount = Decimal("0.00")
    dormant_after_days: int | None = None
    gl_account_id: uuid.UUID
    is_active: bool


class SavingsAccountCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "product_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                }
            ]
        }
    )

    member_id: uuid.UUID
    product_id: uuid.UUID
    maturity_instruction: MaturityInstruction | None = Field(
        default=None,
        description="Term deposits: what happens at maturity (default renew)",
    )
    payout_account_id: uuid.UUID | None = Field(
        default=None,
        description="Term deposits: the member's own sight account in the same currency that "
        "takes the interest (renew_principal) or everything (transfer)",
    )


class MaturityInstructionChange(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "maturity_instruction": "transfer",
                    "payout_account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                }
            ]
        }
    )

    maturity_instruction: MaturityInstruction
    payout_account_id: uuid.UUID | None = None


class SavingsAccountOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                    "number": "2000000125",
                    "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "product_id": "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a",
                    "product_code": "AHV",
                    "product_name": "Ahorro a la vista",
                    "kind": "sight",
                    "currency": "PEN",
                    "status": "active",
                    "balance": "1250.00",
                    "available_balance": "750.00",
                    "held_amount": "500.00",
                    "opened_on": "2026-11-23",
                    "placed_on": None,
                    "maturity_date": None,
                    "closed_on": None,
                }
            ]
        }
    )

    id: uuid.UUID
    number: str
    member_id: uuid.UUID
    product_id: uuid.UUID
    product_code: str = Field(description="The product's code, as a teller's screen shows it")
    product_name: str
    kind: ProductKind
    currency: Currency
    status: AccountStatus
    balance: Amount
    available_balance: Amount = Field(
        description="What the holder may take out: balance less holds and the product's "
        "minimum balance (negative when holds exceed the balance)"
    )
    held_amount: Amount
    opened_on: date
    placed_on: date | None
    maturity_date: date | None
    closed_on: date | None
    placed_amount: Amount | None = None
    rate: Rate | None = Field(default=None, description="A term deposit's TEA, fixed at placement")
    maturity_instruction: MaturityInstruction | None = None
    payout_account_id: uuid.UUID | None = None
    accrued_interest: Amount = Field(
        default=Decimal("0.00"),
        description="Interest accrued and not yet paid in (it is paid on the month's last "
        "day), to the céntimo; kept with ten decimals per day",
    )


class SavingsAccountUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "blocked"}]})

    status: AccountStatus


class CashMovementRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount": "100.00",
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                    "description": "Depósito en ventanilla",
                }
            ]
        }
    )

    amount: Amount
    branch_id: uuid.UUID | None = Field(
        default=None,
        description="The caller's open till session decides the till and its branch; if "
        "given, it must be that branch",
    )
    currency: Currency | None = Field(default=None, description="If given, must be the account's")
    description: Description | None = None


class SettlementRequest(BaseModel):
    """A deceased or withdrawn member's account paid out whole, on a document."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "document_reference": "Sucesión intestada, partida 11002233 (Puno)",
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                }
            ]
        }
    )

    document_reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)
    ] = Field(
        description="What proves the death and the heirs, or the leaving (kept on the entry "
        "and in the audit trail)"
    )
    branch_id: uuid.UUID | None = Field(
        default=None, description="The manager's open till session pays; if given, its branch"
    )


class TransferRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from_account_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "to_account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                    "amount": "25.50",
                    "description": "Pago a proveedor de forraje",
                }
            ]
        }
    )

    from_account_id: uuid.UUID
    to_account_id: uuid.UUID
    amount: Amount
    currency: Currency | None = None
    description: Description | None = None


class TransferOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 88213,
                    "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                    "amount": "25.50",
                    "currency": "PEN",
                    "from_account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                    "to_account_id": "2c9f7b1e-3a4d-4c5e-8f6a-7b8c9d0e1f2a",
                    "balance": "1224.50",
                    "available_balance": "724.50",
                    "to_balance": "125.50",
                    "value_date": "2026-11-23",
                    "booked_at": "2026-11-23T14:05:31.412-05:00",
                    "description": "Pago a proveedor de forraje",
                }
            ]
        }
    )

    id: int = Field(description="The debit line on the source account's statement")
    journal_entry_id: uuid.UUID
    amount: Amount
    currency: Currency
    from_account_id: uuid.UUID
    to_account_id: uuid.UUID
    balance: Amount = Field(description="The source account's new balance")
    available_balance: Amount
    to_balance: Amount
    value_date: date
    booked_at: datetime
    description: str | None


class HoldCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"amount": "500.00", "reason": "Embargo judicial Exp. 123-2026"},
                {
                    "amount": "2000.00",
                    "reason": "Garantía del crédito 5000000183",
                    "loan_id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                },
            ]
        }
    )

    amount: Amount
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    loan_id: uuid.UUID | None = Field(
        default=None,
        description="The loan this deposit is pledged to (autoliquidable): it covers the "
        "loan's provision at 1%",
    )


class HoldOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a",
                    "account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                    "amount": "500.00",
                    "reason": "Embargo judicial Exp. 123-2026",
                    "loan_id": None,
                    "status": "active",
                    "placed_by": "sur.gerente",
                    "placed_at": "2026-11-23T14:05:31.412-05:00",
                    "released_by": None,
                    "released_at": None,
                }
            ]
        },
    )

    id: uuid.UUID
    account_id: uuid.UUID
    amount: Amount
    reason: str
    loan_id: uuid.UUID | None = None
    status: HoldStatus
    placed_by: str
    placed_at: datetime
    released_by: str | None
    released_at: datetime | None


class TermCancellation(BaseModel):
    """Cancel a term deposit before maturity: principal, and the interest its product allows
    for the days elapsed, paid out in cash at a branch or to a sight account of the member."""

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

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.branch_id is None) == (self.to_account_id is None):
            raise invalid("one_of_two", first="branch_id", second="to_account_id")
        return self


class TermCancellationOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "journal_entry_id": "5d2f8a10-7c3b-4e9a-8f61-2b0c9d4e1a33",
                    "account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                    "principal": "8000.00",
                    "interest": "2.22",
                    "paid_out": "8002.22",
                    "currency": "PEN",
                    "closed_on": "2026-11-26",
                }
            ]
        }
    )

    journal_entry_id: uuid.UUID | None = Field(
        description="The entry that paid it out (none when there was nothing to pay)"
    )
    account_id: uuid.UUID
    principal: Amount
    interest: Amount = Field(
        description="A term deposit's: what the product pays for the days elapsed; a sight "
        "account's: the interest accrued to the day, paid in before it was paid out"
    )
    paid_out: Amount
    currency: Currency
    closed_on: date
