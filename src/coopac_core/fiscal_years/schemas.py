from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.approvals.models import ApprovalStatus
from coopac_core.fiscal_years.models import FiscalYearStatus
from coopac_core.fiscal_years.surplus import CreditTo
from coopac_core.money import Amount


class FiscalYearOut(BaseModel):
    """A year's result (profit positive): in soles, and per currency; for an open year,
    what its results add up to so far."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "year": 2025,
                    "status": "closed",
                    "closes_on": "2025-12-31",
                    "result": "48210.37",
                    "result_pen": "45120.00",
                    "result_usd": "912.30",
                    "result_usd_in_soles": "3090.37",
                    "exchange_rate": "3.3875",
                    "closing_entry_id": "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                    "closed_by": "coopsur.contador",
                    "closed_at": "2026-01-08T15:02:11Z",
                }
            ]
        }
    )

    year: int
    status: FiscalYearStatus
    closes_on: date = Field(description="31 December: the closing entry's date")
    result: Amount = Field(
        description="In soles: the soles accounts' result and the dollar accounts' at the "
        "accounting rate of each day (what 39x1 holds once closed)"
    )
    result_pen: Amount = Field(description="The soles accounts' result")
    result_usd: Amount = Field(description="The dollar accounts' result, in dollars")
    result_usd_in_soles: Amount = Field(
        default=Decimal("0.00"),
        description="The dollar accounts' result in soles, at the accounting rate of each day",
    )
    exchange_rate: Decimal | None = Field(
        description="December's accounting rate, once the year is closed"
    )
    closing_entry_id: uuid.UUID | None = Field(
        description="The entry that closed classes 4 and 5 into 39x1 (none if nothing moved)"
    )
    closed_by: str | None
    closed_at: datetime | None
    distribution: AgreedDistribution | None = Field(
        default=None, description="What the assembly agreed, once applied"
    )


class Distribution(BaseModel):
    """The general assembly's agreement on a year's result: the reserve's percentage, the
    rate of interest on share capital (a year's, on the months the capital was there),
    the funds' sums and where each member's part is credited; or, for a loss, that the
    reserve covers it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reserve_percent": "25",
                    "share_interest_rate": "0.05",
                    "education_fund": "1500.00",
                    "social_fund": "800.00",
                    "credit_to": "share",
                    "agreement": "Acta de asamblea general ordinaria del 28-03-2026",
                },
                {"cover_loss": True, "agreement": "Acta de asamblea general del 28-03-2026"},
            ]
        },
    )

    reserve_percent: Decimal = Field(
        default=Decimal(20), ge=0, le=100, max_digits=7, decimal_places=4
    )
    share_interest_rate: Decimal = Field(
        default=Decimal(0), ge=0, le=1, max_digits=6, decimal_places=4
    )
    education_fund: Amount = Field(default=Decimal("0.00"), ge=0)
    social_fund: Amount = Field(default=Decimal("0.00"), ge=0)
    credit_to: CreditTo = CreditTo.share
    cover_loss: bool = False
    agreement: str = Field(min_length=1, max_length=300, description="The assembly's act")


class AgreementOut(BaseModel):
    """An agreement as answered (``Distribution`` is what is asked: one schema each way)."""

    reserve_percent: Decimal
    share_interest_rate: Decimal
    education_fund: Amount
    social_fund: Amount
    credit_to: CreditTo
    cover_loss: bool
    agreement: str


class DistributionOut(BaseModel):
    """An agreement and what it makes: the request (pending, approved...) and its figures."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5b0e7a3c-2d14-4f6e-9a8b-1c2d3e4f5a6b",
                    "year": 2025,
                    "status": "pending",
                    "requested_by": "coopsur.contador",
                    "requested_at": "2026-03-30T15:00:00Z",
                    "decided_by": None,
                    "decided_at": None,
                    "agreement": {
                        "reserve_percent": "25",
                        "share_interest_rate": "0.05",
                        "education_fund": "1500.00",
                        "social_fund": "800.00",
                        "credit_to": "share",
                        "cover_loss": False,
                        "agreement": "Acta de asamblea general ordinaria del 28-03-2026",
                    },
                    "result": "45120.00",
                    "reserve": "11280.03",
                    "share_interest": "9420.15",
                    "education_fund": "1500.00",
                    "social_fund": "800.00",
                    "returns": "22119.82",
                    "members": 412,
                    "journal_entry_id": None,
                }
            ]
        }
    )

    id: uuid.UUID
    year: int
    status: ApprovalStatus
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    agreement: AgreementOut
    result: Amount = Field(description="The year's result in soles (39x1)")
    reserve: Amount = Field(description="To the reserva cooperativa, with what rounding left")
    share_interest: Amount
    education_fund: Amount
    social_fund: Amount
    returns: Amount
    members: int = Field(description="Members credited")
    journal_entry_id: uuid.UUID | None


class MemberShareOut(BaseModel):
    member_id: uuid.UUID
    member_number: str | None
    name: str
    share_interest: Amount
    member_return: Amount
    total: Amount
    credited_to: CreditTo
    account_id: uuid.UUID


class SharesStatus(StrEnum):
    pending = "pending"  # what the pending agreement would credit
    distributed = "distributed"  # as credited


class MemberShares(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "year": 2025,
                    "status": "distributed",
                    "items": [
                        {
                            "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                            "member_number": "000123",
                            "name": "Rosa Mamani",
                            "share_interest": "8.33",
                            "member_return": "41.20",
                            "total": "49.53",
                            "credited_to": "share",
                            "account_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                        }
                    ],
                }
            ]
        }
    )

    year: int
    status: SharesStatus
    items: list[MemberShareOut]


class AgreedDistribution(BaseModel):
    """A year's distribution as applied: the assembly's agreement and what it made."""

    agreement: AgreementOut
    reserve: Amount | None = None
    share_interest: Amount | None = None
    education_fund: Amount | None = None
    social_fund: Amount | None = None
    returns: Amount | None = None
    members: int | None = None
    journal_entry_id: uuid.UUID | None = None


FiscalYearOut.model_rebuild()
