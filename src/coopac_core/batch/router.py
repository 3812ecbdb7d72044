from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from coopac_core.batch import service
from coopac_core.batch.errors import BusinessDateAheadOfCalendar, MultiDayCloseNeedsManager
from coopac_core.federation.schemas import CooperativeOut
from coopac_core.openapi import coop_responses
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import CLOSE_BUSINESS_DAY

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["batch"])


class CloseOfBusiness(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"days": 1}]})

    days: int = Field(
        default=1,
        ge=1,
        le=31,
        description="Business days to close in a row; more than one needs the manager",
    )
    pre_holiday: bool = Field(
        default=False,
        description="The manager closes tomorrow in advance (the eve of a holiday): the "
        "business date may then reach tomorrow, never further",
    )


@router.post(
    "/close-of-business",
    response_model=CooperativeOut,
    responses=coop_responses(BusinessDateAheadOfCalendar, MultiDayCloseNeedsManager),
    summary="Close the business day: the business date advances, never past today in the "
    "cooperative's time zone",
)
def close_of_business(
    ctx: Annotated[CoopContext, Depends(coop_access(CLOSE_BUSINESS_DAY))],
    session: SessionDep,
    body: CloseOfBusiness | None = None,
) -> CooperativeOut:
    body = body or CloseOfBusiness()
    coop = service.close_business_days(session, ctx, body.days, pre_holiday=body.pre_holiday)
    return CooperativeOut.model_validate(coop)
