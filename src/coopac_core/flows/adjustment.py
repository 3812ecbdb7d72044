"""An accountant's entry by hand, once a second person approves it: the ledger posts it,
and an entry dated back into a month already taken has that month's snapshot (and every
later one's) taken again, so that the reports say what the books say."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import JournalEntry, Posting
from coopac_core.ledger.schemas import AdjustmentCreate
from coopac_core.ledger.service.adjustments import ADJUSTMENT
from coopac_core.reports.gl_balances import refresh_ledger
from coopac_core.security.principal import CoopContext


def post_adjustment(
    session: Session, ctx: CoopContext, data: AdjustmentCreate
) -> tuple[JournalEntry, list[Posting]]:
    """Post it: what an approval does (and the demo's opening balances, loaded by the
    command line, not over HTTP)."""
    entry, postings = ledger.post_adjustment(session, ctx, data)
    if entry.business_date < get_cooperative(session, ctx.cooperative_id).business_date:
        refresh_ledger(session, ctx.cooperative_id, entry.business_date)
    return entry, postings


def approve_adjustment(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> tuple[ApprovalRequest, JournalEntry, list[Posting]]:
    request = approvals.decidable(session, ctx, ADJUSTMENT, request_id)
    entry, postings = post_adjustment(
        session, ctx, AdjustmentCreate.model_validate(request.payload)
    )
    approvals.approve(session, ctx, ADJUSTMENT, request, note, entry.id)
    return request, entry, postings
