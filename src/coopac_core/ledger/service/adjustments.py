"""An accountant's entry by hand: GL accounts only (a control account takes only its
member accounts' postings), balanced per currency, dated today or back in a month not yet
closed (the adjustments of a month end, before the accountant closes it).

It moves the cooperative's own money (a bank account, an expense), so it takes two people:
one asks (everything is checked then), another approves and the entry is posted by them
(``flows.adjustment``), or rejects. Approval checks again: a month may have closed in
between."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.federation.errors import CooperativeNotFound
from coopac_core.federation.models import Cooperative
from coopac_core.ledger.errors import (
    AdjustmentRequestDecided,
    AdjustmentRequestNotFound,
    EntryDateInFuture,
)
from coopac_core.ledger.models import EntryKind, JournalEntry, Posting
from coopac_core.ledger.periods import check_open
from coopac_core.ledger.schemas import AdjustmentCreate, AdjustmentLine
from coopac_core.ledger.service.gl_accounts import gl_account_by_code
from coopac_core.ledger.service.posting import Leg, check_legs, post_entry
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


# An entry by hand is the month's work: asked for and not decided in 30 days, it is stale
# (DOMAIN.md is silent; the prudent rule is to ask again).
ADJUSTMENT = ApprovalKind(
    name="adjustment",
    subject_kind=None,
    not_found=AdjustmentRequestNotFound,
    decided=AdjustmentRequestDecided,
    ttl=timedelta(days=30),
)


def request_adjustment(
    session: Session, ctx: CoopContext, data: AdjustmentCreate
) -> ApprovalRequest:
    """Check the entry as it would be posted, and keep it for a second person."""
    _, day = _day(session, ctx, data.business_date)
    check_legs(_legs(session, ctx, data.lines))
    payload = data.model_dump(mode="json", exclude_none=True)
    payload["business_date"] = day.isoformat()
    return approvals.ask(session, ctx, ADJUSTMENT, subject_id=None, payload=payload)


def post_adjustment(
    session: Session, ctx: CoopContext, data: AdjustmentCreate
) -> tuple[JournalEntry, list[Posting]]:
    """Post it, checked again (a month may have closed since it was asked for). What an
    entry dated back also changes is ``flows.adjustment``'s."""
    _, day = _day(session, ctx, data.business_date)
    entry, postings = post_entry(
        session,
        ctx,
        EntryKind.adjustment,
        _legs(session, ctx, data.lines),
        description=data.description,
        business_date=day,
    )
    return entry, postings


def reject_adjustment(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> ApprovalRequest:
    return approvals.reject(session, ctx, ADJUSTMENT, request_id, note)
