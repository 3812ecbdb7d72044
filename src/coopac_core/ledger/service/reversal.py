"""Reversing an entry: its mirror, linked to it, posted once."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlmodel import Session

from coopac_core.ledger.accounts import (
    ACCOUNT_MODELS,
    REVERSAL_GUARDS,
    MemberAccount,
    holder_amount,
)
from coopac_core.ledger.errors import AlreadyReversed, CannotReverseReversal, ReversalNotSupported
from coopac_core.ledger.models import EntryKind, JournalEntry, Posting
from coopac_core.ledger.service.gl_accounts import get_gl_account
from coopac_core.ledger.service.posting import Leg, lock_member_accounts, post_entry
from coopac_core.ledger.service.queries import entry_postings, get_entry, reversal_of_entry
from coopac_core.security.principal import CoopContext

# Entries whose product records (installments, loan and share statuses) a mirror entry
# cannot restore: refused until each has its inverse operation.
NOT_MIRRORED = frozenset(
    {
        EntryKind.loan_disbursement,
        EntryKind.loan_repayment,
        EntryKind.loan_write_off,
        EntryKind.share_refund,
    }
)


def reverse_entry(
    session: Session, ctx: CoopContext, entry_id: uuid.UUID, description: str | None = None
) -> tuple[JournalEntry, list[Posting]]:
    """Post the mirror of an entry, linked to it. An entry is reversed at most once; the
    database's unique index on ``reversal_of`` holds that even under concurrency."""
    cooperative_id = ctx.cooperative_id
    entry = get_entry(session, cooperative_id, entry_id)
    if entry.reversal_of is not None:
        raise CannotReverseReversal()
    if reversal_of_entry(session, cooperative_id, entry_id) is not None:
        raise AlreadyReversed()
    if entry.kind in NOT_MIRRORED:
        raise ReversalNotSupported(kind=entry.kind)
    postings = entry_postings(session, cooperative_id, [entry_id])[entry_id]
    by_kind: dict[str, set[uuid.UUID]] = defaultdict(set)
    for p in postings:
        if p.account_kind and p.account_id:
            by_kind[p.account_kind].add(p.account_id)
    locked: dict[tuple[str, uuid.UUID], MemberAccount] = {}
    for kind in sorted(by_kind):
        for acct_id, acct in lock_member_accounts(
            session, ACCOUNT_MODELS[kind], cooperative_id, by_kind[kind]
        ).items():
            locked[(kind, acct_id)] = acct  # type: ignore[assignment]
    for p in postings:
        if p.account_kind is None or p.account_id is None:
            continue
        account = locked.get((p.account_kind, p.account_id))
        guard = REVERSAL_GUARDS.get(p.account_kind)
        if account is not None and guard is not None:
            guard(session, account, holder_amount(account.NORMAL_SIDE, -p.amount))
    legs = [
        Leg(
            gl_account=get_gl_account(session, cooperative_id, p.gl_account_id),
            amount=-p.amount,
            member_account=locked.get((p.account_kind, p.account_id))
            if p.account_kind and p.account_id
            else None,
        )
        for p in postings
    ]
    return post_entry(
        session,
        ctx,
        "reversal",
        legs,
        branch_id=entry.branch_id,
        description=description or f"Extorno de {entry.kind}",
        reversal_of=entry.id,
    )
