"""What the period and report routes answer (json; csv, xlsx and pdf carry the same rows)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.federation.models import SbsLevel
from coopac_core.ledger.models import EntryKind
from coopac_core.loans.classification import Category, CreditType
from coopac_core.money import Amount, Currency
from coopac_core.reports.models import PeriodStatus

PERIOD_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
Period = Annotated[str, Field(pattern=PERIOD_PATTERN, examples=["2027-01"])]

_PERIOD_EXAMPLE: dict[str, Any] = {
    "period": "2027-01",
    "period_end": "2027-01-31",
    "status": "closed",
    "taken_at": "2027-02-01T05:02:11.120-05:00",
    "refreshed_at": None,
    "closed_at": "2027-02-03T10:15:00.000-05:00",
    "closed_by": "sur.contadora",
    "exchange_rate": "3.7500",
    "members": 1250,
    "savers": 1180,
    "borrowers": 410,
    "total_assets": "8120450.10",
    "deposits": "6210300.55",
    "gross_loans": "5480120.00",
    "overdue_loans": "221400.00",
    "provisions": "240110.35",
    "net_income": "18450.20",
    "breakdown": {
        "by_sex": {
            "F": {"members": 690, "savers": 655, "borrowers": 240},
            "M": {"members": 560, "savers": 525, "borrowers": 170},
        },
        "by_branch": {"PUNO": {"members": 1250, "savers": 1180, "borrowers": 410}},
        "deposits_by_product": [
            {
                "product_code": "AHV",
                "product_name": "Ahorro a la vista",
                "kind": "sight",
                "currency": "PEN",
                "accounts": 1180,
                "balance": "6210300.55",
            }
        ],
    },
}


class PeriodOut(BaseModel):
    """A month as close of business took it, and whether the accountant closed it."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [_PERIOD_EXAMPLE]}
    )

    period: str
    period_end: date
    status: PeriodStatus
    taken_at: datetime
    refreshed_at: datetime | None = Field(
        description="When an adjustment dated in the month last took its balances again"
    )
    closed_at: datetime | None
    closed_by: str | None
    exchange_rate: Decimal
    members: int
    savers: int
    borrowers: int
    total_assets: Amount
    deposits: Amount
    gross_loans: Amount
    overdue_loans: Amount
    provisions: Amount
    net_income: Amount = Field(description="Of the year up to the month end")
    breakdown: dict[str, Any] = Field(
        description="Members, savers and borrowers by sex and by branch; deposits by product"
    )


class StatementLineOut(BaseModel):
    code: str | None = Field(description="The GL account; none for a line computed here")
    name: str
    currency: Currency | None = Field(description="The account's own; amounts are in soles")
    current: Amount
    previous: Amount | None


class StatementGroupOut(BaseModel):
    group: str = Field(description="The SBS group (two digits); 3R: results in equity")
    name: str
    current: Amount
    previous: Amount | None
    accounts: list[StatementLineOut]


class StatementSectionOut(BaseModel):
    key: str
    name: str
    current: Amount
    previous: Amount | None
    groups: list[StatementGroupOut]


class TotalOut(BaseModel):
    current: Amount
    previous: Amount | None


class StatementOut(BaseModel):
    """A financial statement of a month in soles, beside the month before."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "cooperative_name": "Cooperativa de Ahorro y Crédito Sur Andino",
                    "period": "2027-01",
                    "period_status": "closed",
                    "previous_period": "2026-12",
                    "exchange_rate": "3.7500",
                    "sections": [
                        {
                            "key": "assets",
                            "name": "Activo",
                            "current": "8120450.10",
                            "previous": "7990100.00",
                            "groups": [
                                {
                                    "group": "11",
                                    "name": "Disponible",
                                    "current": "1410220.40",
                                    "previous": "1380000.00",
                                    "accounts": [
                                        {
                                            "code": "1113",
                                            "name": "Bancos y otras empresas del sistema "
                                            "financiero del país",
                                            "currency": "PEN",
                                            "current": "1200000.00",
                                            "previous": "1175000.00",
                                        }
                                    ],
                                }
                            ],
                        }
                    ],
                    "totals": {
                        "assets": {"current": "8120450.10", "previous": "7990100.00"},
                        "liabilities_and_equity": {
                            "current": "8120450.10",
                            "previous": "7990100.00",
                        },
                    },
                }
            ]
        }
    )

    cooperative_id: uuid.UUID
    cooperative_name: str
    period: str
    period_status: PeriodStatus
    previous_period: str | None
    exchange_rate: Decimal
    sections: list[StatementSectionOut]
    totals: dict[str, TotalOut]


class ClassificationCellOut(BaseModel):
    debtors: int
    loans: int
    balance: Amount = Field(description="Direct credits: principal, in soles")
    provision_required: Amount
    provision_booked: Amount


class ClassificationRowOut(BaseModel):
    credit_type: CreditType | None = Field(description="None on the totals row")
    categories: dict[Category, ClassificationCellOut]
    total: ClassificationCellOut


class ClassificationOut(BaseModel):
    """The SBS classification annex: credit types by the debtors' categories (after
    alignment), in soles."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "period": "2027-01",
                    "period_status": "closed",
                    "exchange_rate": "3.7500",
                    "rows": [
                        {
                            "credit_type": "microempresa",
                            "categories": {
                                "normal": {
                                    "debtors": 300,
                                    "loans": 310,
                                    "balance": "2100000.00",
                                    "provision_required": "21000.00",
                                    "provision_booked": "21000.00",
                                }
                            },
                            "total": {
                                "debtors": 300,
                                "loans": 310,
                                "balance": "2100000.00",
                                "provision_required": "21000.00",
                                "provision_booked": "21000.00",
                            },
                        }
                    ],
                    "totals": {
                        "credit_type": None,
                        "categories": {},
                        "total": {
                            "debtors": 300,
                            "loans": 310,
                            "balance": "2100000.00",
                            "provision_required": "21000.00",
                            "provision_booked": "21000.00",
                        },
                    },
                    "allowance_in_ledger": "21000.00",
                    "high_risk_loans": "105000.00",
                    "high_risk_ratio": "0.050000",
                }
            ]
        }
    )

    cooperative_id: uuid.UUID
    period: str
    period_status: PeriodStatus
    exchange_rate: Decimal
    rows: list[ClassificationRowOut]
    totals: ClassificationRowOut
    allowance_in_ledger: Amount = Field(
        description="The provisions booked in 14x9 at the month end, in soles"
    )
    high_risk_loans: Amount = Field(
        default=Decimal("0.00"),
        description="Cartera de alto riesgo in the ledger at the month end, in soles: "
        "vencidos (14x5), judicial (14x6) and refinanced (14x4)",
    )
    high_risk_ratio: Decimal = Field(
        default=Decimal("0"), description="Cartera de alto riesgo / gross loans"
    )


class DebtorLineOut(BaseModel):
    document_type: str
    document_number: str
    name: str
    member_number: str
    credit_type: CreditType
    currency: Currency
    category: Category = Field(description="The debtor's, after alignment")
    gl_account: str = Field(
        description="The account of its worst part: 14x6 (judicial), else 14x5 (overdue), else 14x1"
    )
    loans: int
    balance: Amount = Field(description="Principal at the month end, every part")
    current_balance: Amount = Field(description="In 14x1")
    overdue_balance: Amount = Field(description="In 14x5")
    judicial_balance: Amount = Field(description="In 14x6")
    days_past_due: int


class DebtorsOut(BaseModel):
    """One line per debtor, credit type and currency (the SBS debtor report)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "period": "2027-01",
                    "period_status": "closed",
                    "lines": [
                        {
                            "document_type": "DNI",
                            "document_number": "40123456",
                            "name": "QUISPE MAMANI, ROSA",
                            "member_number": "00000042",
                            "credit_type": "microempresa",
                            "currency": "PEN",
                            "category": "cpp",
                            "gl_account": "1411",
                            "loans": 1,
                            "balance": "3000.00",
                            "current_balance": "3000.00",
                            "overdue_balance": "0.00",
                            "judicial_balance": "0.00",
                            "days_past_due": 12,
                        }
                    ],
                    "debtors": 1,
                    "balance": "3000.00",
                }
            ]
        }
    )

    cooperative_id: uuid.UUID
    period: str
    period_status: PeriodStatus
    lines: list[DebtorLineOut]
    debtors: int
    balance: Amount = Field(description="In soles")


class InsuredLineOut(BaseModel):
    member_id: uuid.UUID
    member_number: str
    document_type: str
    document_number: str
    name: str
    deposits: Amount
    accrued_interest: Amount
    total: Amount
    insured: Amount
    uninsured: Amount


class InsuredTotalsOut(BaseModel):
    members: int
    deposits: Amount
    accrued_interest: Amount
    total: Amount
    insured: Amount
    uninsured: Amount


class InsuredDepositsOut(BaseModel):
    """Each member's deposits and accrued interest against the Fondo de Seguro de Depósitos
    Cooperativo's cover, in soles."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "period": "2027-01",
                    "period_status": "closed",
                    "sbs_level": "2A",
                    "cover": "5000.00",
                    "exchange_rate": "3.7500",
                    "members": [
                        {
                            "member_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                            "member_number": "00000042",
                            "document_type": "DNI",
                            "document_number": "40123456",
                            "name": "QUISPE MAMANI, ROSA",
                            "deposits": "6200.00",
                            "accrued_interest": "12.40",
                            "total": "6212.40",
                            "insured": "5000.00",
                            "uninsured": "1212.40",
                        }
                    ],
                    "totals": {
                        "members": 1,
                        "deposits": "6200.00",
                        "accrued_interest": "12.40",
                        "total": "6212.40",
                        "insured": "5000.00",
                        "uninsured": "1212.40",
                    },
                }
            ]
        }
    )

    cooperative_id: uuid.UUID
    period: str
    period_status: PeriodStatus
    sbs_level: SbsLevel
    cover: Amount
    exchange_rate: Decimal
    members: list[InsuredLineOut]
    totals: InsuredTotalsOut


class CashOperationOut(BaseModel):
    journal_entry_id: uuid.UUID
    business_date: date
    kind: EntryKind
    member_id: uuid.UUID | None
    member_number: str | None
    document_type: str | None
    document_number: str | None
    name: str | None
    direction: Literal["in", "out"] = Field(description="in: cash received; out: cash paid")
    currency: Currency
    amount: Amount
    amount_pen: Amount
    reasons: list[Literal["single", "daily", "monthly"]] = Field(
        description="single: one operation over the threshold; daily: the person's "
        "operations of that day add up over it (a split); monthly: the person's month adds "
        "up over the monthly one"
    )


class CashThresholdsOut(BaseModel):
    single_usd: Amount
    monthly_usd: Amount
    exchange_rate: Decimal
    single_pen: Amount
    monthly_pen: Amount


class CashOperationsOut(BaseModel):
    """The register of large cash operations of a month (UIF)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "period": "2027-01",
                    "period_status": "closed",
                    "thresholds": {
                        "single_usd": "10000.00",
                        "monthly_usd": "50000.00",
                        "exchange_rate": "3.7500",
                        "single_pen": "37500.00",
                        "monthly_pen": "187500.00",
                    },
                    "operations": [
                        {
                            "journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
                            "business_date": "2027-01-14",
                            "kind": "deposit",
                            "member_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                            "member_number": "00000042",
                            "document_type": "DNI",
                            "document_number": "40123456",
                            "name": "QUISPE MAMANI, ROSA",
                            "direction": "in",
                            "currency": "PEN",
                            "amount": "40000.00",
                            "amount_pen": "40000.00",
                            "reasons": ["single"],
                        }
                    ],
                }
            ]
        }
    )

    cooperative_id: uuid.UUID
    period: str
    period_status: PeriodStatus
    thresholds: CashThresholdsOut
    operations: list[CashOperationOut]
