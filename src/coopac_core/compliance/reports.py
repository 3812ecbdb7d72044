"""Reports of unusual operations (reportes de operaciones sospechosas): any staff member
files one; the compliance officer alone reads and decides it (submitted to the UIF with the
day and its reference, or dismissed with the reason). Every reading and decision is kept in
the audit trail, which shows them to nobody but the compliance officer
(``audit.service.CONFIDENTIAL``); no event is written, so no feed or webhook tells of one."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.audit.models import AuditEvent
from coopac_core.compliance.errors import SuspiciousReportDecided, SuspiciousReportNotFound
from coopac_core.compliance.models import ReportStatus, SuspiciousOperation
from coopac_core.compliance.schemas import (
    AccessOut,
    DismissReport,
    SubmitReport,
    SuspiciousReportCreate,
    SuspiciousReportOut,
    SuspiciousReportReceipt,
)
from coopac_core.ledger import service as ledger
from coopac_core.members.service import get_member
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext

RESOURCE = "suspicious_operation"
_DECIDED = {ReportStatus.submitted: "enviado a la UIF", ReportStatus.dismissed: "archivado"}


def _audit(session: Session, ctx: CoopContext, action: str, report_id: uuid.UUID) -> None:
    audit_service.record(
        session,
        ctx.principal,
        f"{RESOURCE}.{action}",
        RESOURCE,
        report_id,
        cooperative_id=ctx.cooperative_id,
    )


def file_report(
    session: Session, ctx: CoopContext, data: SuspiciousReportCreate
) -> SuspiciousReportReceipt:
    if data.member_id is not None:
        get_member(session, ctx.cooperative_id, data.member_id)
    if data.journal_entry_id is not None:
        ledger.get_entry(session, ctx.cooperative_id, data.journal_entry_id)
    row = SuspiciousOperation(
        cooperative_id=ctx.cooperative_id,
        member_id=data.member_id,
        journal_entry_id=data.journal_entry_id,
        description=data.description,
        reported_by=ctx.principal.name,
        reported_by_id=ctx.principal.person_id,
    )
    session.add(row)
    session.flush()
    _audit(session, ctx, "file", row.id)
    return SuspiciousReportReceipt(
        id=row.id,
        reported_at=row.reported_at,
        message="Reporte recibido; lo revisa el oficial de cumplimiento",
    )


def _get(
    session: Session, ctx: CoopContext, report_id: uuid.UUID, lock: bool = False
) -> SuspiciousOperation:
    stmt = select(SuspiciousOperation).where(
        SuspiciousOperation.cooperative_id == ctx.cooperative_id,
        SuspiciousOperation.id == report_id,
    )
    row = session.exec(stmt.with_for_update() if lock else stmt).first()
    if row is None:
        raise SuspiciousReportNotFound()
    return row


def _accesses(session: Session, ctx: CoopContext, report_id: uuid.UUID) -> list[AccessOut]:
    rows = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.cooperative_id == ctx.cooperative_id,
            AuditEvent.resource_type == RESOURCE,
            AuditEvent.resource_id == str(report_id),
        )
        .order_by(col(AuditEvent.id))
    )
    return [AccessOut(at=e.occurred_at, by=e.actor_name, action=e.action) for e in rows]


def _out(session: Session, ctx: CoopContext, row: SuspiciousOperation) -> SuspiciousReportOut:
    return SuspiciousReportOut(
        id=row.id,
        member_id=row.member_id,
        journal_entry_id=row.journal_entry_id,
        description=row.description,
        reported_by=row.reported_by,
        reported_at=row.reported_at,
        status=ReportStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        submitted_on=row.submitted_on,
        uif_reference=row.uif_reference,
        dismiss_reason=row.dismiss_reason,
        accesses=_accesses(session, ctx, row.id),
    )


def read_report(session: Session, ctx: CoopContext, report_id: uuid.UUID) -> SuspiciousReportOut:
    row = _get(session, ctx, report_id)
    _audit(session, ctx, "read", row.id)
    session.flush()
    return _out(session, ctx, row)


def list_reports(
    session: Session,
    ctx: CoopContext,
    status: ReportStatus | None,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[SuspiciousOperation]:
    """Newest first. The list's reading is kept in the audit trail too."""
    stmt = select(SuspiciousOperation).where(
        SuspiciousOperation.cooperative_id == ctx.cooperative_id
    )
    if status is not None:
        stmt = stmt.where(SuspiciousOperation.status == status)
    if before is not None:
        at, report_id = before
        stmt = stmt.where(
            (col(SuspiciousOperation.reported_at) < at)
            | (
                (col(SuspiciousOperation.reported_at) == at)
                & (col(SuspiciousOperation.id) < report_id)
            )
        )
    rows = list(
        session.exec(
            stmt.order_by(
                col(SuspiciousOperation.reported_at).desc(), col(SuspiciousOperation.id).desc()
            ).limit(limit)
        )
    )
    for row in rows:
        _audit(session, ctx, "list", row.id)
    session.flush()
    return rows


def summary(session: Session, ctx: CoopContext, row: SuspiciousOperation) -> SuspiciousReportOut:
    return _out(session, ctx, row)


def _decide(
    session: Session, ctx: CoopContext, report_id: uuid.UUID, status: ReportStatus
) -> SuspiciousOperation:
    row = _get(session, ctx, report_id, lock=True)
    if row.status != ReportStatus.open:
        raise SuspiciousReportDecided(status=_DECIDED[ReportStatus(row.status)])
    row.status = status
    row.decided_by = ctx.principal.name
    row.decided_by_id = ctx.principal.person_id
    row.decided_at = utcnow()
    return row


def submit(
    session: Session, ctx: CoopContext, report_id: uuid.UUID, data: SubmitReport
) -> SuspiciousReportOut:
    row = _decide(session, ctx, report_id, ReportStatus.submitted)
    row.submitted_on = data.submitted_on
    row.uif_reference = data.uif_reference
    session.add(row)
    session.flush()
    _audit(session, ctx, "submit", row.id)
    session.flush()
    return _out(session, ctx, row)


def dismiss(
    session: Session, ctx: CoopContext, report_id: uuid.UUID, data: DismissReport
) -> SuspiciousReportOut:
    row = _decide(session, ctx, report_id, ReportStatus.dismissed)
    row.dismiss_reason = data.reason
    session.add(row)
    session.flush()
    _audit(session, ctx, "dismiss", row.id)
    session.flush()
    return _out(session, ctx, row)
