"""The compliance officer's routes: reports of unusual operations (any staff files one; the
officer alone reads and decides them) and the screening lists. A report is read only
through these routes: every other role is refused them, whether or not any report exists."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from starlette.concurrency import run_in_threadpool

from coopac_core.compliance import reports, screening
from coopac_core.compliance.errors import (
    ScreeningListInvalid,
    SuspiciousReportDecided,
    SuspiciousReportNotFound,
)
from coopac_core.compliance.models import ReportStatus
from coopac_core.compliance.schemas import (
    DismissReport,
    ScreeningListOut,
    ScreeningLoadOut,
    SubmitReport,
    SuspiciousReportCreate,
    SuspiciousReportOut,
    SuspiciousReportReceipt,
)
from coopac_core.ledger.errors import JournalEntryNotFound
from coopac_core.members.errors import MemberNotFound
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import Page, PageDep, cursor_key, cursor_time_id, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import COMPLIANCE, REPORT_SUSPICIOUS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["compliance"])

# the federation never acts here (money=True): a report is the cooperative's alone
Officer = Annotated[CoopContext, Depends(coop_access(COMPLIANCE, money=True))]


@router.post(
    "/suspicious-operations",
    status_code=status.HTTP_201_CREATED,
    response_model=SuspiciousReportReceipt,
    responses=coop_responses(MemberNotFound, JournalEntryNotFound),
    summary="Report an unusual operation (any staff): a confidential report only the "
    "compliance officer reads",
)
def file_suspicious_report(
    body: SuspiciousReportCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(REPORT_SUSPICIOUS, money=True))],
    session: SessionDep,
) -> SuspiciousReportReceipt:
    return reports.file_report(session, ctx, body)


@router.get(
    "/suspicious-operations",
    response_model=Page[SuspiciousReportOut],
    responses=list_responses(),
    summary="The reports, newest first (compliance officer; each reading is kept)",
)
def list_suspicious_reports(
    ctx: Officer,
    session: SessionDep,
    page: PageDep,
    status: ReportStatus | None = None,
) -> Page[SuspiciousReportOut]:
    before = cursor_time_id(page.cursor)
    rows = reports.list_reports(session, ctx, status, before, page.limit + 1)
    items = [reports.summary(session, ctx, r) for r in rows]
    return make_page(items, page.limit, lambda r: [r.reported_at.isoformat(), str(r.id)])


@router.get(
    "/suspicious-operations/{report_id}",
    response_model=SuspiciousReportOut,
    responses=coop_responses(SuspiciousReportNotFound),
    summary="A report and who has read it (compliance officer; the reading is kept)",
)
def get_suspicious_report(
    report_id: uuid.UUID, ctx: Officer, session: SessionDep
) -> SuspiciousReportOut:
    return reports.read_report(session, ctx, report_id)


@router.post(
    "/suspicious-operations/{report_id}/submit",
    response_model=SuspiciousReportOut,
    responses=coop_responses(SuspiciousReportNotFound, SuspiciousReportDecided),
    summary="Record that the report was sent to the UIF: the day and its reference",
)
def submit_suspicious_report(
    report_id: uuid.UUID, body: SubmitReport, ctx: Officer, session: SessionDep
) -> SuspiciousReportOut:
    return reports.submit(session, ctx, report_id, body)


@router.post(
    "/suspicious-operations/{report_id}/dismiss",
    response_model=SuspiciousReportOut,
    responses=coop_responses(SuspiciousReportNotFound, SuspiciousReportDecided),
    summary="Dismiss the report, saying why",
)
def dismiss_suspicious_report(
    report_id: uuid.UUID, body: DismissReport, ctx: Officer, session: SessionDep
) -> SuspiciousReportOut:
    return reports.dismiss(session, ctx, report_id, body)


# --- screening lists ------------------------------------------------------------------------


@router.post(
    "/screening-lists",
    status_code=status.HTTP_201_CREATED,
    response_model=ScreeningLoadOut,
    responses=coop_responses(ScreeningListInvalid),
    summary="Load PEP and sanctions lists (compliance officer): a csv with document_number, "
    "names, list and date, as a file of a multipart form (or the body itself, as text/csv); "
    "each list in it replaces the one of its name",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
            "required": True,
        }
    },
)
async def load_screening_lists(
    request: Request, ctx: Officer, session: SessionDep
) -> ScreeningLoadOut:
    raw = await _file(request)
    return await run_in_threadpool(screening.load_lists, session, ctx, raw)


async def _file(request: Request) -> bytes:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        for value in form.values():
            if not isinstance(value, str):
                return await value.read()
        raise ScreeningListInvalid(line=1, reason="el formulario no trae un archivo")
    return await request.body()


@router.get(
    "/screening-lists",
    response_model=Page[ScreeningListOut],
    responses=list_responses(),
    summary="The lists loaded: how many people each, and when (compliance officer)",
)
def get_screening_lists(ctx: Officer, session: SessionDep, page: PageDep) -> Page[ScreeningListOut]:
    after = cursor_key(page.cursor, str)
    rows = [
        r for r in screening.list_lists(session, ctx.cooperative_id)
        if after is None or r.list_name > after
    ]  # fmt: skip
    return make_page(rows[: page.limit + 1], page.limit, lambda r: [r.list_name])
