"""What the capital and liquidity reports answer."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.money import Amount, Currency
from coopac_core.reports.models import PeriodStatus


class LimitName(StrEnum):
    capital_ratio = "capital_ratio"
    single_borrower = "single_borrower"
    related_parties = "related_parties"
    fixed_assets = "fixed_assets"


class LimitOut(BaseModel):
    name: LimitName
    value: Decimal | None = Field(
        description="The ratio (a fraction); null: no equity to hold it to"
    )
    limit: Decimal
    bound: str = Field(description="min: the ratio must reach the limit; max: not exceed it")
    breached: bool


class ExposureOut(BaseModel):
    member_id: uuid.UUID
    document_number: str
    name: str
    related_party: bool
    exposure: Amount = Field(description="The debtor's loans at the month end, in soles")
    share: Decimal | None = Field(description="Over effective equity")
    over_limit: bool


_CAPITAL_EXAMPLE: dict[str, Any] = {
    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
    "period": "2027-01",
    "period_status": "closed",
    "exchange_rate": "3.7500",
    "basic_equity": "180500.00",
    "generic_provisions": "9000.00",
    "generic_provisions_counted": "9000.00",
    "effective_equity": "189500.00",
    "risk_weighted_assets": "1250000.00",
    "capital_ratio": "0.1516",
    "related_parties_exposure": "12000.00",
    "fixed_assets": "45000.00",
    "limits": [
        {"name": "capital_ratio", "value": "0.1516", "limit": "0.10", "bound": "min",
         "breached": False},
        {"name": "single_borrower", "value": "0.0475", "limit": "0.10", "bound": "max",
         "breached": False},
    ],
    "largest_exposures": [
        {
            "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
            "document_number": "41234567",
            "name": "Mamani Quispe Juana",
            "related_party": False,
            "exposure": "9000.00",
            "share": "0.0475",
            "over_limit": False,
        }
    ],
}  # fmt: skip


class CapitalOut(BaseModel):
    """Effective equity, risk-weighted assets and the limits of a month, from its snapshot."""

    model_config = ConfigDict(json_schema_extra={"examples": [_CAPITAL_EXAMPLE]})

    cooperative_id: uuid.UUID
    period: str
    period_status: PeriodStatus
    exchange_rate: Decimal
    basic_equity: Amount = Field(
        description="Capital, additional capital and reserves, less the results if a loss"
    )
    generic_provisions: Amount
    generic_provisions_counted: Amount = Field(description="Up to the cap of the RWA")
    effective_equity: Amount
    risk_weighted_assets: Amount
    capital_ratio: Decimal | None
    related_parties_exposure: Amount
    fixed_assets: Amount
    limits: list[LimitOut]
    largest_exposures: list[ExposureOut] = Field(description="The ten largest debtors")


class LiquidityLineOut(BaseModel):
    currency: Currency
    liquid_assets: Amount = Field(description="Cash and banks (11), in soles")
    short_term_liabilities: Amount = Field(
        description="Members' deposits with their interest (21) and borrowings (24), in soles"
    )
    ratio: Decimal | None
    minimum: Decimal
    below: bool


class LiquidityOut(BaseModel):
    """The liquidity ratios of a month end (its snapshot) or of a day close of business ended."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "period": "2027-01",
                    "day": "2027-01-31",
                    "lines": [
                        {"currency": "PEN", "liquid_assets": "150000.00",
                         "short_term_liabilities": "900000.00", "ratio": "0.1667",
                         "minimum": "0.08", "below": False},
                        {"currency": "USD", "liquid_assets": "30000.00",
                         "short_term_liabilities": "200000.00", "ratio": "0.1500",
                         "minimum": "0.20", "below": True},
                    ],
                }
            ]
        }
    )  # fmt: skip

    cooperative_id: uuid.UUID
    period: str | None
    day: date
    lines: list[LiquidityLineOut]
