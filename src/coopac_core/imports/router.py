"""Imports over HTTP: the files go up as multipart form fields named by their kind."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, File, Request, Response, UploadFile, status

from coopac_core.imports import service
from coopac_core.imports.errors import ImportEmpty, ImportFileUnknown, ImportNotFound
from coopac_core.imports.models import ImportFileKind
from coopac_core.imports.schemas import ImportOut
from coopac_core.openapi import coop_responses
from coopac_core.pagination import Page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import IMPORT_DATA, READ_IMPORTS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["imports"])

_FILE = "A CSV file (docs/imports.md has its layout)"


@router.post(
    "/imports",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ImportOut,
    responses=coop_responses(ImportEmpty, ImportFileUnknown),
    summary="Load a cooperative from its previous system: members, savings, shares, loans "
    "and GL balances (multipart; each file all or nothing); follow it at Location",
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


@router.get(
    "/imports",
    response_model=Page[ImportOut],
    responses=coop_responses(),
    summary="The cooperative's imports, newest first",
)
def list_imports(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_IMPORTS))],
    session: SessionDep,
) -> Page[ImportOut]:
    jobs = service.list_jobs(session, ctx.cooperative_id, 100)
    return Page[ImportOut](items=[ImportOut.of(j) for j in jobs])


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
    return ImportOut.of(service.get_job(session, ctx.cooperative_id, import_id))
