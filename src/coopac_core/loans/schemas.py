from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coopac_core.loans.schedule import Frequency, GraceType, Method
from coopac_core.money import Amount, Currency, Rate


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
    due_dates: list[date] | None = Field(default=None, description="For frequency 'dates'")
    principal_by_date: list[Amount] | None = Field(
        default=None, description="For method 'irregular'"
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
        if self.amount <= 0 or self.amount != self.amount.quantize(Decimal("0.01")):
            raise ValueError("amount: positive, with at most two decimals")
        if not 0 <= self.tea < 10:
            raise ValueError("tea is a fraction: 0.24 is 24% a year")
        if self.frequency is Frequency.dates:
            if not self.due_dates or len(self.due_dates) != self.term:
                raise ValueError("frequency 'dates' needs due_dates, one per installment (term)")
        elif self.due_dates:
            raise ValueError("due_dates only with frequency 'dates'")
        if self.method is Method.irregular and (
            not self.principal_by_date
            or len(self.principal_by_date) != self.term - self.grace_periods
        ):
            raise ValueError(
                "method 'irregular' needs principal_by_date for each repayment installment"
            )
        if self.commission < 0 or self.installment_fee < 0 or self.insurance_monthly_rate < 0:
            raise ValueError("fees and rates cannot be negative")
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
    amount: Amount
    amount_received: Amount = Field(description="Amount less the commission withheld")
    currency: str
    tea: Rate
    tcea: Rate = Field(description="Tasa de costo efectivo anual, as a fraction")
    disbursement_date: date
    installment: Amount | None = Field(description="The level installment (French method)")
    installments: list[InstallmentOut]
    totals: ScheduleTotals
