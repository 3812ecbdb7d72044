"""Moving a loan's money: paying it out, repayments (and what an excess does), recoveries
of a written-off loan."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from coopac_core.loans.models import LoanStatus
from coopac_core.loans.schemas.loans import Text300
from coopac_core.loans.servicing import PrepaymentMode
from coopac_core.money import Amount, Currency, Rate
from coopac_core.validation import invalid


class DisbursementRequest(BaseModel):
    """Pay the loan out: into one of the member's savings accounts, or in cash at a branch."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"to_account_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10"},
                {"branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11"},
            ]
        }
    )

    to_account_id: uuid.UUID | None = Field(
        default=None,
        validation_alias=AliasChoices("to_account_id", "savings_account_id", "account_id"),
        description="The borrower's savings account (also accepted as savings_account_id)",
    )
    branch_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.to_account_id is None) == (self.branch_id is None):
            raise invalid("one_of_two", first="to_account_id", second="branch_id")
        return self


class ExcessAs(StrEnum):
    advance_installments = "advance_installments"  # adelanto de cuotas
    prepayment = "prepayment"  # pago anticipado


class LoanPayment(BaseModel):
    """Money paid on a loan: in cash at a branch, or from one of the member's savings
    accounts."""

    amount: Amount
    branch_id: uuid.UUID | None = None
    from_account_id: uuid.UUID | None = None
    description: Text300 | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.branch_id is None) == (self.from_account_id is None):
            raise invalid("one_of_two", first="branch_id", second="from_account_id")
        return self


class RepaymentRequest(LoanPayment):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"amount": "550.00", "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11"}]
        }
    )

    prepayment: PrepaymentMode = Field(
        default=PrepaymentMode.reduce_installment,
        description="What a prepayment does: the member's choice",
    )
    excess_as: ExcessAs | None = Field(
        default=None,
        description="What an amount beyond the installments due is: by default, up to the "
        "credit policy's number of installments (2) advances the next ones as they are, "
        "more is a prepayment (Res. SBS 3274-2017); the member may choose either",
    )


class RecoveryRequest(LoanPayment):
    """A payment on a written-off loan, in cash at a branch or from a savings account."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"amount": "300.00", "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11"}]
        }
    )


class RecoveryOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                    "loan_id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                    "amount": "300.00",
                    "written_off_balance": "9712.40",
                    "value_date": "2027-03-02",
                }
            ]
        }
    )

    journal_entry_id: uuid.UUID
    loan_id: uuid.UUID
    amount: Amount
    written_off_balance: Amount
    value_date: date


class RepaymentOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 88230,
                    "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                    "loan_id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                    "amount": "550.00",
                    "principal": "488.70",
                    "interest": "53.44",
                    "moratory": "5.46",
                    "fees": "0.00",
                    "insurance": "2.40",
                    "balance": "2511.30",
                    "status": "active",
                    "value_date": "2026-11-23",
                }
            ]
        }
    )

    id: int = Field(description="The loan's statement line for this payment")
    journal_entry_id: uuid.UUID
    loan_id: uuid.UUID
    amount: Amount
    principal: Amount
    interest: Amount
    moratory: Amount
    fees: Amount
    insurance: Amount
    balance: Amount = Field(description="Outstanding principal after the payment")
    status: LoanStatus
    value_date: date


class PayoffOut(BaseModel):
    """What settles the loan on ``date``: a repayment of exactly ``total`` that day closes it
    with nothing left and nothing refunded."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "loan_id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                    "date": "2026-07-15",
                    "currency": "PEN",
                    "principal": "8120.44",
                    "interest": "83.27",
                    "moratory": "0.00",
                    "fees": "0.00",
                    "insurance": "0.00",
                    "total": "8203.71",
                }
            ]
        }
    )

    loan_id: uuid.UUID
    date: date
    currency: Currency
    principal: Amount = Field(description="All the principal still owed, due or not")
    interest: Amount = Field(
        description="Interest due, and on the principal not yet due from the last due date "
        "to the day (a prepayment's)"
    )
    moratory: Amount = Field(description="Moratory interest on overdue principal to the day")
    fees: Amount
    insurance: Amount
    total: Amount


class RescheduleRequest(BaseModel):
    """A reprogramación: new dates for what a current loan still owes, its principal and
    interest rate as they are (no interest is capitalised)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "first_due_date": "2027-03-15",
                    "installments": 8,
                    "reason": "Helada: la cosecha se vende en marzo",
                }
            ]
        },
    )

    first_due_date: date
    installments: int | None = Field(
        default=None, ge=1, le=360, description="How many; by default as many as are left"
    )
    reason: Text300


class RefinanceRequest(BaseModel):
    """A refinanciación: a new loan for everything this one owes today (principal, interest
    and moratory interest not collected, fees and insurance already due), on new terms."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "installments": 12,
                    "first_due_date": "2027-02-15",
                    "reason": "Sequía: el socio no cosechó; paga con la campaña siguiente",
                }
            ]
        },
    )

    installments: int = Field(ge=1, le=360, description="The new loan's number of installments")
    first_due_date: date | None = Field(
        default=None, description="The first new installment's due date; by default one period on"
    )
    tea: Rate | None = Field(
        default=None,
        description="The new loan's TEA, within its product's range; by default the loan's",
    )
    reason: Text300
