"""An accountant's entry by hand: GL accounts only (a control account takes only its
member accounts' postings), balanced per currency, dated today or back in a month not yet
closed (the adjustments of a month end, before the accountant closes it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from coopac_core.federation.errors import CooperativeNotFound
from coopac_core.federation.models import Cooperative
from coopac_core.ledger.errors import EntryDateInFuture
from coopac_core.ledger.models import EntryKind, JournalEntry, Posting
from coopac_core.ledger.periods import AFTER_BACKDATED_ENTRY
from coopac_core.ledger.schemas import AdjustmentCreate
from coopac_core.ledger.service.gl_accounts import gl_account_by_code
from coopac_core.ledger.service.posting import Leg, post_entry
from coopac_core.security.principal import CoopContext


def post_adjustment(
    session: Session, ctx: CoopContext, data: AdjustmentCreate
) -> tuple[JournalEntry, list[Posting]]:
    coop = session.get(Cooperative, ctx.cooperative_id)
    if coop is None:
        raise CooperativeNotFound()
    day: date = data.business_date or coop.business_date
    if day > coop.business_date:
        raise EntryDateInFuture(day=day.isoformat(), business_date=coop.business_date.isoformat())
    legs = [
        Leg(
            gl_account_by_code(session, ctx.cooperative_id, line.account),
            line.debit if line.debit is not None else -(line.credit or Decimal(0)),
        )
        for line in data.lines
    ]
    entry, postings = post_entry(
        session,
        ctx,
        EntryKind.adjustment,
        legs,
        description=data.description,
        business_date=day,
    )
    if day < coop.business_date:  # a month already taken (and every later one) again
        for follow in AFTER_BACKDATED_ENTRY:
            follow(session, ctx.cooperative_id, day)
    return entry, postings
