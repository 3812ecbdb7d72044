"""Loan products, applications, decisions, a loan as shown and its schedule (the money of a
loan: ``schemas.servicing``)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from coopac_core.loans.classification import Category, CreditType, Guarantee
from coopac_core.loans.models import AccountingStatus, LoanStatus, Purpose
from coopac_core.loans.schedule import Frequency, GraceType, Method
from coopac_core.money import Amount, Currency, Rate, is_cents
from coopac_core.validation import invalid

# What one application may carry: bounded, so one request cannot make thousands of rows.
MAX_INSTALLMENTS = 360
MAX_GUARANTORS = 10
MAX_COLLATERAL = 20

Text300 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class LoanProductCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "AGRO",
                    "name": "Crédito agropecuario de campaña",
                    "credit_type": "microempresa",
                    "is_agricultural": True,
                    "currency": "PEN",
                    "tea_min": "0.1800",
                    "tea_max": "0.3600",
                    "amount_min": "500.00",
                    "amount_max": "20000.00",
                    "term_min": 1,
                    "term_max": 24,
                    "method": "french",
                    "frequency": "monthly",
                    "max_grace_periods": 6,
                    "commission_rate": "0.0100",
                    "insurance_monthly_rate": "0.0008",
                    "moratory_tea": "0.1200",
                    "guarantors_required": 1,
                }
            ]
        }
    )

    code: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=20)
    ]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    credit_type: CreditType
    is_agricultural: bool = False
    currency: Currency = Currency.PEN
    tea_min: Rate
    tea_max: Rate
    amount_min: Amount
    amount_max: Amount
    term_min: int = Field(ge=1, le=360)
    term_max: int = Field(ge=1, le=360)
    method: Method = Method.french
    frequency: Frequency = Frequency.monthly
    max_grace_periods: int = Field(default=0, ge=0, le=60)
    commission_rate: Rate = Field(default=Decimal("0"))
    insurance_monthly_rate: Rate = Field(default=Decimal("0"))
    moratory_tea: Rate = Field(default=Decimal("0"))
    guarantors_required: int = Field(default=0, ge=0, le=5)

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        for name in (
            "tea_min",
            "tea_max",
            "commission_rate",
            "insurance_monthly_rate",
            "moratory_tea",
        ):
            if not 0 <= getattr(self, name) < 10:
                raise invalid("rate_fraction", field=name)
        if self.tea_min > self.tea_max:
            raise invalid("rate_range", low="tea_min", high="tea_max")
        for name in ("amount_min", "amount_max"):
            if getattr(self, name) <= 0 or not is_cents(getattr(self, name)):
                raise invalid("amount_positive", field=name)
        if self.amount_min > self.amount_max:
            raise invalid("rate_range", low="amount_min", high="amount_max")
        if self.term_min > self.term_max:
            raise invalid("rate_range", low="term_min", high="term_max")
        return self


class LoanProductOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a",
                    "code": "AGRO",
                    "name": "Crédito agropecuario de campaña",
                    "credit_type": "microempresa",
                    "is_agricultural": True,
                    "currency": "PEN",
                    "tea_min": "0.180000",
                    "tea_max": "0.360000",
                    "amount_min": "500.00",
                    "amount_max": "20000.00",
                    "term_min": 1,
                    "term_max": 24,
                    "method": "french",
                    "frequency": "monthly",
                    "max_grace_periods": 6,
                    "commission_rate": "0.010000",
                    "insurance_monthly_rate": "0.000800",
                    "moratory_tea": "0.120000",
                    "guarantors_required": 1,
                    "gl_account_id": "8f7e6d5c-4b3a-4291-8071-6f5e4d3c2b1a",
                    "is_active": True,
                }
            ]
        },
    )

    id: uuid.UUID
    code: str
    name: str
    credit_type: CreditType
    is_agricultural: bool
    currency: Currency
    tea_min: Rate
    tea_max: Rate
    amount_min: Amount
    amount_max: Amount
    term_min: int
    term_max: int
    method: Method
    frequency: Frequency
    max_grace_periods: int
    commission_rate: Rate
    insurance_monthly_rate: Rate
    moratory_tea: Rate
    guarantors_required: int
    gl_account_id: uuid.UUID
    is_active: bool


class CollateralIn(BaseModel):
    description: Text300
    value: Amount
    realizable_value: Amount | None = Field(
        default=None,
        description="What it would fetch if sold (the appraisal's): a preferred guarantee "
        "lowers the provision only on the part of the loan this covers. Default: value",
    )
    guarantee: Guarantee = Field(
        default=Guarantee.none, description="preferred or preferred_quick lowers the provision"
    )

    @model_validator(mode="after")
    def _cents(self) -> Self:
        if not is_cents(self.value):
            raise invalid("amount_cents", field="value")
        if self.realizable_value is not None and not is_cents(self.realizable_value):
            raise invalid("amount_cents", field="realizable_value")
        return self


class LoanCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "product_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                    "amount": "3000.00",
                    "tea": "0.2400",
                    "term": 6,
                    "disbursement_date": "2026-11-23",
                    "purpose": "livestock",
                    "purpose_detail": "Compra de forraje y vacunas para 8 vacas lecheras",
                    "guarantor_ids": ["2c9f7b1e-3a4d-4c5e-8f6a-7b8c9d0e1f2a"],
                }
            ]
        }
    )

    member_id: uuid.UUID
    product_id: uuid.UUID
    amount: Amount
    tea: Rate
    term: int = Field(ge=1, le=360)
    disbursement_date: date | None = None
    first_due_date: date | None = None
    method: Method | None = Field(default=None, description="Default: the product's")
    frequency: Frequency | None = Field(default=None, description="Default: the product's")
    due_dates: list[date] | None = Field(default=None, max_length=MAX_INSTALLMENTS)
    principal_by_date: list[Amount] | None = Field(default=None, max_length=MAX_INSTALLMENTS)
    grace_periods: int = Field(default=0, ge=0, le=60)
    grace_type: GraceType = GraceType.none
    purpose: Purpose
    purpose_detail: Text300 | None = None
    guarantor_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_GUARANTORS)
    collateral: list[CollateralIn] = Field(default_factory=list, max_length=MAX_COLLATERAL)

    @model_validator(mode="after")
    def _cents(self) -> Self:
        if not all(is_cents(p) for p in self.principal_by_date or ()):
            raise invalid("amount_cents", field="principal_by_date")
        return self


class LoanDecision(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"note": "Aprobado en sesión de comité N.° 45"},
                {"note": "Excede el límite individual", "board_agreement": "Acuerdo CA 112-2027"},
            ]
        }
    )

    note: Text300 | None = None
    board_agreement: Text100 | None = Field(
        default=None,
        description="The board's agreement that lets an approval exceed the single-borrower "
        "limit (422 concentration_limit without it)",
    )


class LoanOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                    "number": "5000000183",
                    "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "product_id": "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a",
                    "credit_type": "microempresa",
                    "currency": "PEN",
                    "amount": "3000.00",
                    "tea": "0.240000",
                    "term": 6,
                    "method": "french",
                    "frequency": "monthly",
                    "purpose": "livestock",
                    "purpose_detail": "Compra de forraje y vacunas para 8 vacas lecheras",
                    "guarantee": "none",
                    "guarantor_ids": ["2c9f7b1e-3a4d-4c5e-8f6a-7b8c9d0e1f2a"],
                    "commission": "30.00",
                    "status": "active",
                    "balance": "2511.30",
                    "disbursement_date": "2026-09-01",
                    "disbursed_on": "2026-09-01",
                    "closed_on": None,
                    "days_past_due": 12,
                    "category": "normal",
                    "debtor_category": "normal",
                    "overdue_amount": "538.22",
                    "accounting_status": "current",
                    "overdue_balance": "0.00",
                    "judicial_balance": "0.00",
                    "accrued_interest": "21.37",
                    "suspended_interest": "0.00",
                    "tcea": "0.283461",
                    "provision": "25.11",
                    "written_off_balance": "0.00",
                    "write_off_requested_by": None,
                    "refinanced_from_id": None,
                    "deferred_interest": "0.00",
                    "created_by": "sur.credito",
                    "decided_by": "sur.comite",
                    "decision_note": "Capacidad de pago verificada",
                }
            ]
        }
    )

    id: uuid.UUID
    number: str
    member_id: uuid.UUID
    product_id: uuid.UUID
    credit_type: CreditType
    currency: Currency
    amount: Amount
    tea: Rate
    term: int
    method: Method
    frequency: Frequency
    purpose: Purpose
    purpose_detail: str | None
    guarantee: Guarantee
    guarantor_ids: list[uuid.UUID]
    commission: Amount
    status: LoanStatus
    balance: Amount = Field(description="Outstanding principal")
    disbursement_date: date
    disbursed_on: date | None
    closed_on: date | None
    days_past_due: int
    category: Category = Field(description="SBS category of this loan")
    debtor_category: Category = Field(description="The debtor's: the worst of their loans")
    overdue_amount: Amount = Field(
        description="Installments due and unpaid, moratory interest included"
    )
    accounting_status: AccountingStatus = Field(
        description="Where its principal sits: current (vigente, 14x1), overdue (vencido, "
        "14x5) or judicial (cobranza judicial, 14x6)"
    )
    overdue_balance: Amount = Field(description="Principal in créditos vencidos (14x5)")
    judicial_balance: Amount = Field(description="Principal in cobranza judicial (14x6)")
    accrued_interest: Amount = Field(
        description="Interest and moratory interest accrued and not collected, in 14x8"
    )
    suspended_interest: Amount = Field(
        description="Interest accrued and not collected carried in suspense (memorandum)"
    )
    tcea: Rate | None = Field(description="The TCEA agreed at disbursement")
    provision: Amount = Field(description="Provision booked at the last month end (14x9)")
    written_off_balance: Amount = Field(
        description="Written off and not yet recovered (memorandum accounts)"
    )
    write_off_requested_by: str | None = Field(
        description="A write-off waiting for a second person's approval"
    )
    refinanced_from_id: uuid.UUID | None = Field(
        default=None, description="A refinanced loan (14x4): the loan it replaced"
    )
    deferred_interest: Amount = Field(
        default=Decimal("0.00"),
        description="A refinanced loan's capitalised interest and fees not yet income "
        "(29x1.02): income as its principal is collected",
    )
    created_by: str
    decided_by: str | None
    decision_note: str | None


class InstallmentStatus(StrEnum):
    paid = "paid"
    partial = "partial"
    pending = "pending"
    overdue = "overdue"


class ScheduleInstallmentOut(BaseModel):
    number: int
    due_date: date
    days: int
    principal: Amount
    interest: Amount
    fees: Amount
    insurance: Amount
    total: Amount
    paid: Amount
    moratory_paid: Amount
    status: InstallmentStatus


class LoanScheduleOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "loan_id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                    "tcea": "0.283461",
                    "installments": [
                        {
                            "number": 1,
                            "due_date": "2026-10-01",
                            "days": 30,
                            "principal": "488.70",
                            "interest": "53.44",
                            "fees": "0.00",
                            "insurance": "2.40",
                            "total": "544.54",
                            "paid": "544.54",
                            "moratory_paid": "0.00",
                            "status": "paid",
                        }
                    ],
                }
            ]
        }
    )

    loan_id: uuid.UUID
    tcea: Rate | None
    installments: list[ScheduleInstallmentOut]
