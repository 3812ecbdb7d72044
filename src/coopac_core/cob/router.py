from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response, status
from sqlmodel import Session

from coopac_core.cob import runner, service
from coopac_core.cob.errors import (
    BusinessDateAheadOfCalendar,
    CloseOfBusinessRunning,
    CobRunNotFound,
    MultiDayCloseNeedsManager,
)
from coopac_core.cob.models import CobRun
from coopac_core.cob.schemas import CloseOfBusiness, CobRunOut, CobStepOut
from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import CLOSE_BUSINESS_DAY, READ_CLOSE_OF_BUSINESS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["close-of-business"])


def _run_out(session: Session, run: CobRun) -> CobRunOut:
    return CobRunOut(
        id=run.id,
        status=run.status,
        business_date_from=run.business_date_from,
        business_date_to=run.business_date_to,
        started_at=run.started_at,
        finished_at=run.finished_at,
        steps=[
            CobStepOut(name=s.name, status=s.status, processed=s.processed, total=s.total)
            for s in service.summarise(service.run_steps(session, run))
        ],
        error=run.error,
    )


def _url(request: Request, run: CobRun) -> str:
    return str(
        request.url_for(
            "get_close_of_business_run", cooperative_id=run.cooperative_id, run_id=run.id
        ).path
    )


@router.post(
    "/close-of-business",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CobRunOut,
    responses=coop_responses(
        BusinessDateAheadOfCalendar, MultiDayCloseNeedsManager, CloseOfBusinessRunning
    ),
    summary="Close business days: the business date moves past them at once, the run closes "
    "them in the background (follow it at Location)",
)
def close_of_business(
    request: Request,
    response: Response,
    background: BackgroundTasks,
    # it books the day's interest and provisions: the cooperative's own staff's, never
    # the federation's
    ctx: Annotated[CoopContext, Depends(coop_access(CLOSE_BUSINESS_DAY, money=True))],
    session: SessionDep,
    body: CloseOfBusiness | None = None,
) -> CobRunOut:
    body = body or CloseOfBusiness()
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    # a run a dead process left behind is taken over (its lock says if anyone has it)
    run = service.start_run(
        session,
        ctx,
        body.days,
        pre_holiday=body.pre_holiday,
        force=body.force,
        workers=settings.cob_workers,
    )
    response.headers["Location"] = _url(request, run)
    # after the request's commit: the runner's own transactions must see the run
    background.add_task(runner.launch, db, ctx.cooperative_id, run.id, settings.cob_chunk_size)
    return _run_out(session, run)


@router.get(
    "/close-of-business/runs",
    response_model=Page[CobRunOut],
    responses=list_responses(),
    summary="Close-of-business runs, newest first",
)
def list_close_of_business_runs(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_CLOSE_OF_BUSINESS))],
    session: SessionDep,
    page: PageDep,
) -> Page[CobRunOut]:
    runs = service.list_runs(
        session, ctx.cooperative_id, before=cursor_time_id(page.cursor), limit=page.limit + 1
    )
    return make_page(
        [_run_out(session, r) for r in runs],
        page.limit,
        lambda r: [r.started_at.isoformat(), str(r.id)],
    )


@router.get(
    "/close-of-business/runs/{run_id}",
    response_model=CobRunOut,
    responses=coop_responses(CobRunNotFound),
    summary="A close-of-business run with the progress of its steps",
)
def get_close_of_business_run(
    run_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_CLOSE_OF_BUSINESS))],
    session: SessionDep,
) -> CobRunOut:
    return _run_out(session, service.get_run(session, ctx.cooperative_id, run_id))
