"""The approvals engine: one person asks, another approves or rejects, or the request
expires. A kind of request (reversal, adjustment, withdrawal, write-off) says what it is
about and what its refusals are; what approving it does is the kind's own service, which
calls ``approve`` once it has done it.

The same-person rule compares persons, never credentials: a user's API key is that user.
A decision is a person's own: an API key never decides (a script approving what another
script asked would be no second pair of eyes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, tuple_, update
from sqlmodel import Session, col, select

from coopac_core.approvals.errors import (
    ApprovalNeedsPerson,
    ApprovalRequestExpired,
    ApproverIsRequester,
)
from coopac_core.approvals.models import ApprovalRequest, ApprovalStatus
from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.errors import Conflict, DomainError
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext

_DECIDED = {ApprovalStatus.approved: "aprobada", ApprovalStatus.rejected: "rechazada"}


@dataclass(frozen=True)
class ApprovalKind:
    """A kind of request. ``decided`` takes ``status`` (aprobada, rechazada);
    ``already_requested`` takes ``request_id`` and ``by`` and is given only by a kind that
    allows one pending request per subject."""

    name: str
    subject_kind: str | None
    not_found: type[DomainError]
    decided: type[DomainError]
    ttl: timedelta
    already_requested: type[Conflict] | None = None


def effective_status(row: ApprovalRequest, now: datetime | None = None) -> ApprovalStatus:
    """A pending request past its expiry is expired, whether or not anything wrote so."""
    status = ApprovalStatus(row.status)
    if (
        status == ApprovalStatus.pending
        and row.expires_at is not None
        and row.expires_at <= (now or utcnow())
    ):
        return ApprovalStatus.expired
    return status


def decision_fields(row: ApprovalRequest) -> dict[str, Any]:
    """What every kind's answer shows of a request: its status, who asked and when, until
    when it waits, and its decision."""
    return {
        "status": effective_status(row),
        "requested_by": row.requested_by,
        "requested_at": row.requested_at,
        "expires_at": row.expires_at,
        "decided_by": row.decided_by,
        "decided_at": row.decided_at,
        "decision_note": row.decision_note,
    }


def _expire_stale(session: Session, cooperative_id: uuid.UUID, kind: str, key: str) -> None:
    session.execute(
        update(ApprovalRequest)
        .where(
            col(ApprovalRequest.cooperative_id) == cooperative_id,
            col(ApprovalRequest.kind) == kind,
            col(ApprovalRequest.pending_key) == key,
            col(ApprovalRequest.status) == ApprovalStatus.pending,
            col(ApprovalRequest.expires_at) <= utcnow(),
        )
        .values(status=ApprovalStatus.expired)
    )


def pending_by_subject(
    session: Session,
    cooperative_id: uuid.UUID,
    kind: ApprovalKind,
    subject_ids: list[uuid.UUID],
) -> dict[uuid.UUID, ApprovalRequest]:
    """The requests of ``kind`` still waiting for a decision, by what they are about (one
    query for a page of loans)."""
    if not subject_ids:
        return {}
    rows = session.exec(
        select(ApprovalRequest).where(
            ApprovalRequest.cooperative_id == cooperative_id,
            ApprovalRequest.kind == kind.name,
            col(ApprovalRequest.subject_id).in_(subject_ids),
            ApprovalRequest.status == ApprovalStatus.pending,
        )
    ).all()
    now = utcnow()
    return {
        row.subject_id: row
        for row in rows
        if row.subject_id is not None and effective_status(row, now) == ApprovalStatus.pending
    }


def pending_for(
    session: Session, cooperative_id: uuid.UUID, kind: ApprovalKind, subject_id: uuid.UUID
) -> ApprovalRequest | None:
    """The request of ``kind`` about ``subject_id`` still waiting for a decision."""
    return pending_by_subject(session, cooperative_id, kind, [subject_id]).get(subject_id)


def ask(
    session: Session,
    ctx: CoopContext,
    kind: ApprovalKind,
    *,
    subject_id: uuid.UUID | None,
    payload: dict[str, Any],
) -> ApprovalRequest:
    """Record what ``ctx``'s person asks, for another person to decide. The kind checked
    beforehand that approving it would work today."""
    key = None
    if kind.already_requested is not None and subject_id is not None:
        key = str(subject_id)
        _expire_stale(session, ctx.cooperative_id, kind.name, key)
        waiting = pending_for(session, ctx.cooperative_id, kind, subject_id)
        if waiting is not None:  # decided there, by whoever may: not asked again beside it
            raise kind.already_requested(request_id=str(waiting.id), by=waiting.requested_by)
    now = utcnow()
    row = ApprovalRequest(
        cooperative_id=ctx.cooperative_id,
        kind=kind.name,
        subject_kind=kind.subject_kind,
        subject_id=subject_id,
        pending_key=key,
        payload=payload,
        requested_by=ctx.principal.name,
        requested_by_id=ctx.principal.person_id,
        requested_at=now,
        expires_at=now + kind.ttl,
    )
    session.add(row)
    if kind.already_requested is not None:
        # two asking at once: the partial unique index lets one through
        flush_or_conflict(session, kind.already_requested(request_id="?", by="?"))
    else:
        session.flush()
    _record(session, ctx, kind, row, "request", {"payload": payload})
    return row


def decidable(
    session: Session, ctx: CoopContext, kind: ApprovalKind, request_id: uuid.UUID
) -> ApprovalRequest:
    """The request, locked, once it is proved that ``ctx``'s person may decide it now."""
    row = session.exec(
        select(ApprovalRequest)
        .where(
            ApprovalRequest.cooperative_id == ctx.cooperative_id,
            ApprovalRequest.id == request_id,
            ApprovalRequest.kind == kind.name,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise kind.not_found()
    status = effective_status(row)
    if status == ApprovalStatus.expired:
        assert row.expires_at is not None
        raise ApprovalRequestExpired(expires_at=row.expires_at.isoformat())
    if status != ApprovalStatus.pending:
        raise kind.decided(status=_DECIDED[status])
    if ctx.principal.api_key_id is not None:
        raise ApprovalNeedsPerson()
    if ctx.principal.person_id is None or ctx.principal.person_id == row.requested_by_id:
        raise ApproverIsRequester()
    return row


def _decide(
    session: Session,
    ctx: CoopContext,
    kind: ApprovalKind,
    row: ApprovalRequest,
    status: ApprovalStatus,
    note: str | None,
    details: dict[str, Any],
) -> ApprovalRequest:
    row.status = status
    row.decided_by = ctx.principal.name
    row.decided_by_id = ctx.principal.person_id
    row.decided_at = utcnow()
    row.decision_note = note
    session.add(row)
    session.flush()
    verb = "approve" if status == ApprovalStatus.approved else "reject"
    _record(session, ctx, kind, row, verb, {"note": note, **details})
    return row


def approve(
    session: Session,
    ctx: CoopContext,
    kind: ApprovalKind,
    row: ApprovalRequest,
    note: str | None,
    journal_entry_id: uuid.UUID | None = None,
) -> ApprovalRequest:
    """Record the approval of a request ``decidable`` gave, once the kind did what it
    asked (in the same transaction: both happen, or neither)."""
    row.journal_entry_id = journal_entry_id
    details = {"journal_entry_id": str(journal_entry_id)} if journal_entry_id else {}
    return _decide(session, ctx, kind, row, ApprovalStatus.approved, note, details)


def reject(
    session: Session, ctx: CoopContext, kind: ApprovalKind, request_id: uuid.UUID, note: str | None
) -> ApprovalRequest:
    row = decidable(session, ctx, kind, request_id)
    return _decide(session, ctx, kind, row, ApprovalStatus.rejected, note, {})


_EVENTS = {
    "request": EventType.approval_requested,
    "approve": EventType.approval_approved,
    "reject": EventType.approval_rejected,
}


def _record(
    session: Session,
    ctx: CoopContext,
    kind: ApprovalKind,
    row: ApprovalRequest,
    verb: str,
    details: dict[str, Any],
) -> None:
    """Every step is audited (who, what, when) and is an event (a supervisor's queue, a
    webhook to the person who asked)."""
    audit_service.record(
        session,
        ctx.principal,
        f"{kind.name}.{verb}",
        "approval_request",
        row.id,
        cooperative_id=ctx.cooperative_id,
        details={
            "kind": kind.name,
            "subject_kind": row.subject_kind,
            "subject_id": str(row.subject_id) if row.subject_id else None,
            **details,
        },
    )
    events.emit(
        session,
        ctx.cooperative_id,
        _EVENTS[verb],
        "approval_request",
        row.id,
        {
            "request_id": str(row.id),
            "kind": kind.name,
            "subject_kind": row.subject_kind,
            "subject_id": str(row.subject_id) if row.subject_id else None,
            "requested_by": row.requested_by,
            "decided_by": row.decided_by,
            "journal_entry_id": str(row.journal_entry_id) if row.journal_entry_id else None,
        },
    )


def get(
    session: Session, cooperative_id: uuid.UUID, kind: ApprovalKind, request_id: uuid.UUID
) -> ApprovalRequest:
    row = session.get(ApprovalRequest, (cooperative_id, request_id))
    if row is None or row.kind != kind.name:
        raise kind.not_found()
    return row


def list_requests(
    session: Session,
    cooperative_id: uuid.UUID,
    kind: ApprovalKind,
    *,
    status: ApprovalStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[ApprovalRequest]:
    """Oldest first: the queue the second person works through. ``pending`` leaves out
    what expired; ``expired`` includes what expired undecided."""
    stmt = select(ApprovalRequest).where(
        ApprovalRequest.cooperative_id == cooperative_id, ApprovalRequest.kind == kind.name
    )
    now = utcnow()
    if status == ApprovalStatus.pending:
        stmt = stmt.where(
            ApprovalRequest.status == ApprovalStatus.pending,
            or_(col(ApprovalRequest.expires_at).is_(None), col(ApprovalRequest.expires_at) > now),
        )
    elif status == ApprovalStatus.expired:
        stmt = stmt.where(
            or_(
                col(ApprovalRequest.status) == ApprovalStatus.expired,
                and_(
                    col(ApprovalRequest.status) == ApprovalStatus.pending,
                    col(ApprovalRequest.expires_at) <= now,
                ),
            )
        )
    elif status is not None:
        stmt = stmt.where(ApprovalRequest.status == status)
    if after is not None:
        stmt = stmt.where(
            tuple_(col(ApprovalRequest.requested_at), col(ApprovalRequest.id))
            > tuple_(after[0], after[1])
        )
    stmt = stmt.order_by(col(ApprovalRequest.requested_at), col(ApprovalRequest.id))
    return list(session.exec(stmt.limit(limit)))
