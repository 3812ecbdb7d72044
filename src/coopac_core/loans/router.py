from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from coopac_core.errors import Forbidden, NotFound, Unprocessable, problem_responses
from coopac_core.federation.service import get_cooperative
from coopac_core.loans import service
from coopac_core.loans.schemas import LoanSimulationOut, LoanSimulationRequest
from coopac_core.security.deps import CoopContext, SessionDep, coop_access
from coopac_core.security.roles import STAFF

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["loans"])


@router.post(
    "/loan-simulations",
    response_model=LoanSimulationOut,
    responses=problem_responses(Forbidden, NotFound, Unprocessable),
    summary="Simulate a loan: schedule, totals and TCEA shown before signing (stores nothing)",
)
def simulate(
    body: LoanSimulationRequest,
    ctx: Annotated[CoopContext, Depends(coop_access(STAFF))],
    session: SessionDep,
) -> LoanSimulationOut:
    return service.simulate(body, get_cooperative(session, ctx.cooperative_id).business_date)
