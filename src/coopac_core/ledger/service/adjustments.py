"""An accountant's entry by hand: GL accounts only (a control account takes only its
member accounts' postings), balanced per currency, dated today or back in a month not yet
closed (the adjustments of a month end, before the accountant closes it).

It moves the cooperative's own money (a bank account, an expense), so it takes two people:
one asks (everything is checked then), another approves and the entry is posted by them,
or rejects. Approval checks again: a month may have closed in between."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.federation.errors import CooperativeNotFound
from coopac_core.federation.models import Cooperative
from coopac_core.ledger.errors import (
    AdjustmentApprovalNeedsPerson,
    AdjustmentRequestDecided,
    AdjustmentRequestNotFound,
    AdjustmentSamePerson,
    EntryDateInFuture,
)
from coopac_core.ledger.models import (
    AdjustmentRequest,
    EntryKind,
    JournalEntry,
    Posting,
    ReversalRequestStatus,
)
from coopac_core.ledger.periods import AFTER_BACKDATED_ENTRY, check_open
from coopac_core.ledger.schemas import AdjustmentCreate, AdjustmentLine
from coopac_core.ledger.service.gl_accounts import gl_account_by_code
from coopac_core.ledger.service.posting import Leg, check_legs, post_entry
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext


def _legs(session: Session, ctx: CoopContext, lines: Sequence[AdjustmentLine]) -> list[Leg]:
    return [
        Leg(
            gl_account_by_code(session, ctx.cooperative_id, line.account),
            line.debit if line.debit is not None else -(line.credit or Decimal(0)),
        )
        for line in lines
    ]


def _day(session: Session, ctx: CoopContext, asked: date | None) -> tuple[Cooperative, date]:
    coop = session.get(Cooperative, ctx.cooperative_id)
    if coop is None:
        raise CooperativeNotFound()
    day = asked or coop.business_date
    if day > coop.business_date:
        raise EntryDateInFuture(day=day.isoformat(), business_date=coop.business_date.isoformat())
    check_open(session, ctx.cooperative_id, day)
    return coop, day


def request_adjustment(
    session: Session, ctx: CoopContext, data: AdjustmentCreate
) -> AdjustmentRequest:
    """Check the entry as it would be posted, and keep it for a second person."""
    _, day = _day(session, ctx, data.business_date)
    check_legs(_legs(session, ctx, data.lines))
    request = AdjustmentRequest(
        cooperative_id=ctx.cooperative_id,
        business_date=day,
        description=data.description,
        lines=[line.model_dump(mode="json", exclude_none=True) for line in data.lines],
        requested_by=ctx.principal.name,
        requested_by_id=ctx.principal.person_id,
    )
    session.add(request)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "adjustment.request",
        "adjustment_request",
        request.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    return request


def post_adjustment(
    session: Session, ctx: CoopContext, data: AdjustmentCreate
) -> tuple[JournalEntry, list[Posting]]:
    """Post it: what an approval does (and the demo's opening balances, loaded by the
    command line, not over HTTP)."""
    coop, day = _day(session, ctx, data.business_date)
    entry, postings = post_entry(
        session,
        ctx,
        EntryKind.adjustment,
        _legs(session, ctx, data.lines),
        description=data.description,
        business_date=day,
    )
    if day < coop.business_date:  # a month already taken (and every later one) again
        for follow in AFTER_BACKDATED_ENTRY:
            follow(session, ctx.cooperative_id, day)
    return entry, postings


def _decide(session: Session, ctx: CoopContext, request_id: uuid.UUID) -> AdjustmentRequest:
    request = session.get(AdjustmentRequest, (ctx.cooperative_id, request_id), with_for_update=True)
    if request is None:
        raise AdjustmentRequestNotFound()
    if request.status != ReversalRequestStatus.pending:
        raise AdjustmentRequestDecided(
            status="aprobada" if request.status == ReversalRequestStatus.approved else "rechazada"
        )
    if ctx.principal.api_key_id is not None:
        raise AdjustmentApprovalNeedsPerson()
    if ctx.principal.person_id is None or ctx.principal.person_id == request.requested_by_id:
        raise AdjustmentSamePerson()
    request.decided_by = ctx.principal.name
    request.decided_by_id = ctx.principal.person_id
    request.decided_at = utcnow()
    return request


def approve_adjustment(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> tuple[AdjustmentRequest, JournalEntry, list[Posting]]:
    request = _decide(session, ctx, request_id)
    data = AdjustmentCreate(
        business_date=request.business_date,
        description=request.description,
        lines=[AdjustmentLine.model_validate(line) for line in request.lines],
    )
    entry, postings = post_adjustment(session, ctx, data)
    request.status = ReversalRequestStatus.approved
    request.decision_note = note
    request.journal_entry_id = entry.id
    session.add(request)
    audit_service.record(
        session,
        ctx.principal,
        "adjustment.approve",
        "adjustment_request",
        request.id,
        cooperative_id=ctx.cooperative_id,
        details={"journal_entry_id": str(entry.id), "note": note},
    )
    session.flush()
    return request, entry, postings


def reject_adjustment(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> AdjustmentRequest:
    request = _decide(session, ctx, request_id)
    request.status = ReversalRequestStatus.rejected
    request.decision_note = note
    session.add(request)
    audit_service.record(
        session,
        ctx.principal,
        "adjustment.reject",
        "adjustment_request",
        request.id,
        cooperative_id=ctx.cooperative_id,
        details={"note": note},
    )
    session.flush()
    return request


def get_adjustment_request(
    session: Session, cooperative_id: uuid.UUID, request_id: uuid.UUID
) -> AdjustmentRequest:
    request = session.get(AdjustmentRequest, (cooperative_id, request_id))
    if request is None:
        raise AdjustmentRequestNotFound()
    return request


def list_adjustment_requests(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    status: ReversalRequestStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[AdjustmentRequest]:
    """Oldest first: the queue the second person works through."""
    stmt = select(AdjustmentRequest).where(AdjustmentRequest.cooperative_id == cooperative_id)
    if status is not None:
        stmt = stmt.where(AdjustmentRequest.status == status)
    if after is not None:
        stmt = stmt.where(
            tuple_(col(AdjustmentRequest.requested_at), col(AdjustmentRequest.id))
            > tuple_(after[0], after[1])
        )
    stmt = stmt.order_by(col(AdjustmentRequest.requested_at), col(AdjustmentRequest.id))
    return list(session.exec(stmt.limit(limit)))
