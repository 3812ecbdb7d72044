"""Imports over HTTP: the files go up as multipart form fields named by their kind."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, File, Request, Response, UploadFile, status

from coopac_core.approvals.errors import DECISION_ERRORS
from coopac_core.approvals.schemas import Decision
from coopac_core.imports import service
from coopac_core.imports.errors import (
    ImportEmpty,
    ImportFileUnknown,
    ImportNeedsManager,
    ImportNotAwaitingApproval,
    ImportNotFound,
    ImportRowsRefused,
    ImportUnbalanced,
)
from coopac_core.imports.models import ImportFileKind
from coopac_core.imports.schemas import ImportOut
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import Page, PageDep, cursor_time_id, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import APPROVE_IMPORTS, IMPORT_DATA, READ_IMPORTS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["imports"])

_FILE = "A CSV file (docs/imports.md has its layout)"


@router.post(
    "/imports",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ImportOut,
    responses=coop_responses(ImportEmpty, ImportFileUnknown),
    summary="Prepare the load of a cooperative from its previous system: members, savings, "
    "shares, loans and GL balances (multipart). The whole job is checked (loaded and undone: "
    "awaiting_approval, or failed saying why); another person approves it; follow it at "
    "Location",
)
def start_import(
    request: Request,
    response: Response,
    background: BackgroundTasks,
    ctx: Annotated[CoopContext, Depends(coop_access(IMPORT_DATA, money=True))],
    session: SessionDep,
    members: Annotated[UploadFile | None, File(description=_FILE)] = None,
    savings: Annotated[UploadFile | None, File(description=_FILE)] = None,
    shares: Annotated[UploadFile | None, File(description=_FILE)] = None,
    loans: Annotated[UploadFile | None, File(description=_FILE)] = None,
    gl_balances: Annotated[UploadFile | None, File(description=_FILE)] = None,
) -> ImportOut:
    given = {
        ImportFileKind.members: members,
        ImportFileKind.savings: savings,
        ImportFileKind.shares: shares,
        ImportFileKind.loans: loans,
        ImportFileKind.gl_balances: gl_balances,
    }
    files = {
        kind: (upload.filename or f"{kind.value}.csv", upload.file.read())
        for kind, upload in given.items()
        if upload is not None
    }
    job = service.start(session, ctx, files)
    response.headers["Location"] = str(
        request.url_for("get_import", cooperative_id=ctx.cooperative_id, import_id=job.id)
    )
    # after the request's commit: the job's own transactions must see its row
    background.add_task(service.launch, request.app.state.db, ctx.cooperative_id, job.id)
    return ImportOut.of(job)


@router.post(
    "/imports/{import_id}/approve",
    response_model=ImportOut,
    responses=coop_responses(
        ImportNotFound,
        ImportNotAwaitingApproval,
        *DECISION_ERRORS,
        ImportNeedsManager,
        ImportUnbalanced,
        ImportRowsRefused,
    ),
    summary="Another person approves a checked import: it loads whole, in one transaction, "
    "kept only if the migration suspense (19x8) nets to zero per currency; a cooperative "
    "already operating needs its manager",
)
def approve_import(
    request: Request,
    import_id: uuid.UUID,
    body: Decision,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_IMPORTS, money=True))],
) -> ImportOut:
    db = request.app.state.db
    job = service.approve(db, ctx, import_id, body.note)
    with db.session(ctx.cooperative_id) as session:
        return ImportOut.of(
            job, service.requests_of(session, ctx.cooperative_id, [job.id]).get(job.id)
        )


@router.post(
    "/imports/{import_id}/reject",
    response_model=ImportOut,
    responses=coop_responses(ImportNotFound, ImportNotAwaitingApproval, *DECISION_ERRORS),
    summary="Another person rejects a checked import: nothing loads",
)
def reject_import(
    import_id: uuid.UUID,
    body: Decision,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_IMPORTS, money=True))],
    session: SessionDep,
) -> ImportOut:
    job = service.reject(session, ctx, import_id, body.note)
    return ImportOut.of(job, service.requests_of(session, ctx.cooperative_id, [job.id]).get(job.id))


@router.get(
    "/imports",
    response_model=Page[ImportOut],
    responses=list_responses(),
    summary="The cooperative's imports, newest first",
)
def list_imports(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_IMPORTS))],
    session: SessionDep,
    page: PageDep,
) -> Page[ImportOut]:
    jobs = service.list_jobs(
        session, ctx.cooperative_id, page.limit + 1, cursor_time_id(page.cursor)
    )
    asked = service.requests_of(session, ctx.cooperative_id, [j.id for j in jobs])
    return make_page(
        [ImportOut.of(j, asked.get(j.id)) for j in jobs],
        page.limit,
        lambda j: [j.created_at.isoformat(), str(j.id)],
    )


@router.get(
    "/imports/{import_id}",
    response_model=ImportOut,
    responses=coop_responses(ImportNotFound),
    summary="An import's progress: each file's rows and status, the rows refused and why",
)
def get_import(
    import_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_IMPORTS))],
    session: SessionDep,
) -> ImportOut:
    job = service.get_job(session, ctx.cooperative_id, import_id)
    return ImportOut.of(job, service.requests_of(session, ctx.cooperative_id, [job.id]).get(job.id))
