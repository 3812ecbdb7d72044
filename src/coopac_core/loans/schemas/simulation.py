"""A loan simulation: what the member would sign, before anything is stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from coopac_core.loans.schedule import Frequency, GraceType, Method
from coopac_core.money import Amount, Currency, Rate, is_cents
from coopac_core.validation import invalid


class LoanSimulationRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount": "3000.00",
                    "tea": "0.2400",
                    "term": 12,
                    "method": "french",
                    "frequency": "monthly",
                    "disbursement_date": "2026-03-01",
                    "first_due_date": "2026-04-01",
                    "commission": "30.00",
                    "insurance_monthly_rate": "0.0008",
                },
                {
                    "amount": "3000.00",
                    "tea": "0.2400",
                    "term": 1,
                    "method": "single_payment",
                    "frequency": "dates",
                    "disbursement_date": "2026-03-01",
                    "due_dates": ["2026-08-28"],
                },
            ]
        }
    )

    amount: Amount
    currency: Currency = Currency.PEN
    tea: Rate = Field(description="Tasa efectiva anual as a fraction: 0.2400 is 24% a year")
    term: int = Field(ge=1, le=360, description="Number of installments, grace included")
    method: Method = Method.french
    frequency: Frequency = Frequency.monthly
    disbursement_date: date | None = Field(default=None, description="Default: the business date")
    first_due_date: date | None = Field(default=None, description="Default: one period later")
    due_dates: list[date] | None = Field(
        default=None, max_length=360, description="For frequency 'dates'"
    )
    principal_by_date: list[Amount] | None = Field(
        default=None, max_length=360, description="For method 'irregular'"
    )
    grace_periods: int = Field(default=0, ge=0, le=60)
    grace_type: GraceType = GraceType.none
    commission: Amount = Field(
        default=Decimal("0.00"), description="One-off, withheld at disbursement"
    )
    installment_fee: Amount = Field(
        default=Decimal("0.00"), description="Charged with each installment"
    )
    insurance_monthly_rate: Rate = Field(
        default=Decimal("0"), description="Desgravamen: monthly rate on the outstanding balance"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.amount <= 0 or not is_cents(self.amount):
            raise invalid("amount_positive", field="amount")
        if not 0 <= self.tea < 10:
            raise invalid("rate_fraction", field="tea")
        if self.frequency is Frequency.dates:
            if not self.due_dates or len(self.due_dates) != self.term:
                raise invalid("due_dates_required")
        elif self.due_dates:
            raise invalid("due_dates_only_for_dates")
        if self.method is Method.irregular and (
            not self.principal_by_date
            or len(self.principal_by_date) != self.term - self.grace_periods
        ):
            raise invalid("principal_by_date_required")
        for name in ("commission", "installment_fee"):
            if not is_cents(getattr(self, name)):
                raise invalid("amount_cents", field=name)
        if not all(is_cents(p) for p in self.principal_by_date or ()):
            raise invalid("amount_cents", field="principal_by_date")
        return self


class InstallmentOut(BaseModel):
    number: int
    due_date: date
    days: int
    principal: Amount
    interest: Amount
    fees: Amount
    insurance: Amount
    total: Amount
    balance_after: Amount


class ScheduleTotals(BaseModel):
    principal: Amount
    interest: Amount
    fees: Amount
    insurance: Amount
    commission: Amount
    total_paid: Amount = Field(description="Everything paid over the installments")


class LoanSimulationOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount": "3000.00",
                    "amount_received": "2970.00",
                    "currency": "PEN",
                    "tea": "0.240000",
                    "tcea": "0.262147",
                    "disbursement_date": "2026-03-01",
                    "installment": "281.63",
                    "installments": [
                        {
                            "number": 1,
                            "due_date": "2026-04-01",
                            "days": 31,
                            "principal": "224.48",
                            "interest": "55.19",
                            "fees": "0.00",
                            "insurance": "2.40",
                            "total": "282.07",
                            "balance_after": "2775.52",
                        }
                    ],
                    "totals": {
                        "principal": "3000.00",
                        "interest": "376.43",
                        "fees": "0.00",
                        "insurance": "15.61",
                        "commission": "30.00",
                        "total_paid": "3392.04",
                    },
                }
            ]
        }
    )

    amount: Amount
    amount_received: Amount = Field(description="Amount less the commission withheld")
    currency: Currency
    tea: Rate
    tcea: Rate = Field(description="Tasa de costo efectivo anual, as a fraction")
    disbursement_date: date
    installment: Amount | None = Field(description="The level installment (French method)")
    installments: list[InstallmentOut]
    totals: ScheduleTotals
