from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.cob.models import RunStatus, StepStatus


class CloseOfBusiness(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"days": 1}]})

    days: int = Field(
        default=1,
        ge=1,
        le=31,
        description="Business days to close in a row; more than one needs the manager",
    )
    force: bool = Field(
        default=False,
        description="The manager closes although till sessions of those days are open "
        "(they stay open; no cash moves on them until they are closed)",
    )
    pre_holiday: bool = Field(
        default=False,
        description="The manager closes tomorrow in advance (the eve of a holiday): the "
        "business date may then reach tomorrow, never further",
    )


class CobStepOut(BaseModel):
    name: str = Field(examples=["savings_accrual"])
    status: StepStatus
    processed: int
    total: int


class CobRunOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "7d1f0c2e-3b4a-4c5d-8e6f-9a0b1c2d3e4f",
                    "status": "running",
                    "business_date_from": "2026-11-24",
                    "business_date_to": "2026-11-25",
                    "started_at": "2026-11-26T05:10:00Z",
                    "finished_at": None,
                    "steps": [
                        {
                            "name": "savings_accrual",
                            "status": "running",
                            "processed": 5000,
                            "total": 24000,
                        }
                    ],
                    "error": None,
                }
            ]
        }
    )

    id: uuid.UUID
    status: RunStatus
    business_date_from: date = Field(description="The first day the run closes")
    business_date_to: date = Field(description="The last day the run closes")
    started_at: datetime
    finished_at: datetime | None
    steps: list[CobStepOut]
    error: str | None
