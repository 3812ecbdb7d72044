"""A journal entry as the API shows it."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel import Session

from coopac_core.channels import Channel
from coopac_core.ledger.models import JournalEntry, Posting
from coopac_core.ledger.schemas import JournalEntryOut, PostingOut
from coopac_core.ledger.service import get_gl_account


def entry_out(
    session: Session, entry: JournalEntry, postings: list[Posting], reversed_by: uuid.UUID | None
) -> JournalEntryOut:
    codes = {
        p.gl_account_id: get_gl_account(session, entry.cooperative_id, p.gl_account_id).code
        for p in postings
    }
    return JournalEntryOut(
        id=entry.id,
        seq=entry.seq or 0,
        kind=entry.kind,
        branch_id=entry.branch_id,
        business_date=entry.business_date,
        value_date=entry.value_date,
        description=entry.description,
        actor_name=entry.actor_name,
        request_id=entry.request_id,
        reversal_of=entry.reversal_of,
        reversed_by=reversed_by,
        booked_at=entry.created_at,
        channel=Channel(entry.channel),
        till_session_id=entry.till_session_id,
        offline=entry.recorded_at is not None,
        recorded_at=entry.recorded_at,
        device_id=entry.device_id,
        postings=[
            PostingOut(
                id=p.id or 0,
                gl_account_id=p.gl_account_id,
                gl_account_code=codes[p.gl_account_id],
                currency=p.currency,
                debit=p.amount if p.amount > 0 else Decimal("0.00"),
                credit=-p.amount if p.amount < 0 else Decimal("0.00"),
                account_kind=p.account_kind,
                account_id=p.account_id,
            )
            for p in postings
        ],
    )
