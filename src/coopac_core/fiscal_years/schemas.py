from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.fiscal_years.models import FiscalYearStatus
from coopac_core.money import Amount


class FiscalYearOut(BaseModel):
    """A year's result (profit positive): per currency, and in soles at December's
    accounting rate; for an open year, what its results add up to so far."""

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
    result: Amount = Field(description="In soles, dollars at December's accounting rate")
    result_pen: Amount
    result_usd: Amount
    exchange_rate: Decimal | None = Field(
        description="December's accounting rate, once the year is closed"
    )
    closing_entry_id: uuid.UUID | None = Field(
        description="The entry that closed classes 4 and 5 into 39x1 (none if nothing moved)"
    )
    closed_by: str | None
    closed_at: datetime | None
