"""What the supervisor's files answer as json (their text and csv carry the same figures)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.loans.classification import Category, CreditType
from coopac_core.money import Amount, Currency
from coopac_core.reports.models import PeriodStatus
from coopac_core.reports.schemas import Period

_DEBTOR_EXAMPLE: dict[str, Any] = {
    "record": 1,
    "document_type": "DNI",
    "document_number": "41234567",
    "person_type": "natural",
    "name": "MAMANI QUISPE JUANA",
    "sex": "F",
    "member_number": "00000001",
    "credit_type": "microempresa",
    "currency": "PEN",
    "category": "normal",
    "days_past_due": 0,
    "loans": 1,
    "current": "2250.00",
    "refinanced": "0.00",
    "overdue": "0.00",
    "judicial": "0.00",
    "accrued_interest": "31.20",
    "contingent": "0.00",
    "provision_specific": "0.00",
    "provision_generic": "22.50",
    "guarantees": "0.00",
}


class DebtorRecordOut(BaseModel):
    """A debtor, credit type and currency at the month end: the file's detail record."""

    record: int = Field(description="The record's number in the file, from 1")
    document_type: str
    document_number: str
    person_type: str = Field(description="natural or legal")
    name: str
    sex: str | None
    member_number: str
    credit_type: CreditType
    currency: Currency
    category: Category = Field(description="The debtor's, after alignment")
    days_past_due: int
    loans: int
    current: Amount = Field(description="Vigentes, 14x1")
    refinanced: Amount = Field(description="Refinanciados, 14x4")
    overdue: Amount = Field(description="Vencidos, 14x5")
    judicial: Amount = Field(description="En cobranza judicial, 14x6")
    accrued_interest: Amount = Field(description="Rendimientos devengados, 14x8")
    contingent: Amount = Field(description="Créditos contingentes (none are granted: 0)")
    provision_specific: Amount = Field(description="14x9.01, as a positive amount")
    provision_generic: Amount = Field(description="14x9.02, as a positive amount")
    guarantees: Amount = Field(description="Pledged deposits and collateral, realisable value")


class FileTotalOut(BaseModel):
    """The file's total on a ledger account, beside the trial balance's at the month end
    (the account's balance, provisions as positive amounts)."""

    gl_account: str
    currency: Currency
    file_total: Amount
    ledger_balance: Amount


class DebtorsFileOut(BaseModel):
    """The debtor file (RCD, Anexo 6) as records; ``format=txt`` is the file itself."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "period": "2027-01",
                    "period_status": "closed",
                    "records": [_DEBTOR_EXAMPLE],
                    "debtors": 1,
                    "totals": [
                        {
                            "gl_account": "1411",
                            "currency": "PEN",
                            "file_total": "2250.00",
                            "ledger_balance": "2250.00",
                        }
                    ],
                }
            ]
        }
    )

    cooperative_id: uuid.UUID
    period: Period
    period_status: PeriodStatus
    records: list[DebtorRecordOut]
    debtors: int = Field(description="Distinct debtors")
    totals: list[FileTotalOut]


class TrialBalanceFileLineOut(BaseModel):
    code: str
    name: str
    currency: Currency
    opening: Amount = Field(description="Balance at the end of the month before (debit +)")
    debits: Amount = Field(description="Debits of the month")
    credits: Amount = Field(description="Credits of the month")
    closing: Amount = Field(description="Balance at the month end (debit +)")
    opening_pen: Amount = Field(description="The opening in soles")
    closing_pen: Amount = Field(description="The closing in soles (dollars at the month's rate)")


class TrialBalanceFileTotalOut(BaseModel):
    currency: Currency
    debits: Amount
    credits: Amount


class TrialBalanceFileOut(BaseModel):
    """The month's trial balance in the supervisor's layout: every account with a balance or
    a movement, per currency and in soles."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "period": "2027-01",
                    "period_status": "closed",
                    "exchange_rate": "3.7500",
                    "lines": [
                        {
                            "code": "1411",
                            "name": "Créditos vigentes (PEN)",
                            "currency": "PEN",
                            "opening": "2500.00",
                            "debits": "0.00",
                            "credits": "250.00",
                            "closing": "2250.00",
                            "opening_pen": "2500.00",
                            "closing_pen": "2250.00",
                        }
                    ],
                    "totals": [{"currency": "PEN", "debits": "250.00", "credits": "250.00"}],
                }
            ]
        }
    )

    cooperative_id: uuid.UUID
    period: Period
    period_status: PeriodStatus
    exchange_rate: Decimal
    lines: list[TrialBalanceFileLineOut]
    totals: list[TrialBalanceFileTotalOut] = Field(description="The month's, per currency")
