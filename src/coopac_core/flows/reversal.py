"""Reversing an entry: the inverse of its operation, posted once as the entry's mirror.

Who reverses alone and who needs a second person: the person who booked an entry may undo
it on its own business day (a teller's slip at their own counter, before the day closes;
until tills exist, a person's own entries stand for their till). Anything else (another
person's entry, or an earlier day's) is a request that another person approves or rejects.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.federation.models import Cooperative
from coopac_core.flows.member_accounts import BY_KIND
from coopac_core.ledger.accounts import MemberAccount, holder_amount
from coopac_core.ledger.errors import (
    AlreadyReversed,
    CannotReverseReversal,
    ReversalAlreadyRequested,
    ReversalNotSupported,
    ReversalRequestDecided,
    ReversalRequestNotFound,
)
from coopac_core.ledger.models import AccountPart, EntryKind, JournalEntry, Posting
from coopac_core.ledger.service import (
    Leg,
    entry_postings,
    get_entry,
    get_gl_account,
    lock_member_accounts,
    post_entry,
    reversal_of_entry,
)
from coopac_core.loans.service.reversals import LOAN_OPERATIONS, undo_loan_operation
from coopac_core.savings import service as savings
from coopac_core.savings.models import SavingsAccount
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import SUPERVISE_TILLS
from coopac_core.shares import service as shares
from coopac_core.shares.models import ShareAccount
from coopac_core.tellers.errors import TillSessionClosed
from coopac_core.tellers.models import SessionStatus, TillSession

# A product's rules for a reversal touching one of its accounts: called with the locked
# account and what the reversal moves for the holder (negative: money leaves). Raises the
# product's own refusal.
ReversalGuard = Callable[[Session, Any, Decimal], None]
REVERSAL_GUARDS: dict[str, ReversalGuard] = {
    SavingsAccount.ACCOUNT_KIND: savings.guard_reversal,
    ShareAccount.ACCOUNT_KIND: shares.guard_reversal,
}

# The inverse of the operation an entry recorded, for the entries whose product records a
# mirror entry alone would leave wrong (a loan's installments and status, a closed share
# account). Called with the entry about to be reversed, its member accounts already
# locked; it restores the records or raises the product's refusal.
InverseOperation = Callable[[Session, Any], None]
INVERSE_OPERATIONS: dict[str, InverseOperation] = {
    **{kind: undo_loan_operation for kind in LOAN_OPERATIONS},
    EntryKind.share_refund: shares.undo_refund,
}

# Entries whose product records (installments, loan and share statuses) a mirror entry
# cannot restore on its own: reversed only through their product's inverse operation.
NEEDS_INVERSE = frozenset(
    {
        EntryKind.loan_disbursement,
        EntryKind.loan_repayment,
        EntryKind.loan_write_off,
        EntryKind.share_refund,
        # close of business: a mirror would leave the accruals, bookings and payments the
        # books are proved against (verify-ledger) saying otherwise; none has an inverse
        EntryKind.interest_accrual,
        EntryKind.interest,
        EntryKind.loan_accrual,
        EntryKind.loan_transfer,
        EntryKind.loan_provision,
        EntryKind.loan_judicial,
        EntryKind.loan_recovery,
        EntryKind.exchange_revaluation,
        # a refinance settles one loan with another: undone, the new loan would stay
        EntryKind.loan_refinance,
        # a loan's balances attributed to it (0052), and a year closed into its result:
        # a mirror would leave the loans and the closed year saying otherwise
        EntryKind.loan_parts,
        EntryKind.year_close,
    }
)


def check_till_session_open(
    session: Session, cooperative_id: uuid.UUID, session_id: uuid.UUID
) -> None:
    """A counter operation is corrected while its till's session is open: once counted and
    closed, the till's cash is what was counted, and a later correction is the
    accountant's (an adjustment), not the till's."""
    row = session.get(TillSession, (cooperative_id, session_id))
    if row is None or row.status != SessionStatus.open:
        raise TillSessionClosed(
            "La sesión de caja de esa operación ya se cerró: corríjala con un ajuste contable"
        )


# The counter's own records stand behind these: a transfer between the vault and a till
# is received or in transit by its row (a mirror would leave the cash in transit disagreeing
# with it; the cash is sent back instead), and a count's difference is the session's count.
COUNTER_RECORDS = frozenset({EntryKind.cash_transfer, EntryKind.cash_over_short})

# What a supervisor may correct alone at the counter: a member's operation in cash.
COUNTER_OPERATIONS = frozenset(
    {
        EntryKind.deposit,
        EntryKind.withdrawal,
        EntryKind.share_payment,
        EntryKind.share_refund,
        EntryKind.loan_disbursement,
        EntryKind.loan_repayment,
        EntryKind.loan_recovery,
        EntryKind.exchange,
    }
)


def _check_reversible(session: Session, entry: JournalEntry) -> None:
    if entry.kind in COUNTER_RECORDS:
        raise ReversalNotSupported(kind=entry.kind, reason="es un registro de la caja")
    if entry.kind == EntryKind.opening_balance:
        # what an import opened came under four eyes and nets the migration suspense to
        # zero; a mirror of one file's entry would unbalance it: corrected by an adjustment
        raise ReversalNotSupported(
            kind=entry.kind, reason="es un saldo de apertura: corríjalo con un ajuste contable"
        )
    if entry.reversal_of is not None:
        raise CannotReverseReversal()
    if reversal_of_entry(session, entry.cooperative_id, entry.id) is not None:
        raise AlreadyReversed()
    if entry.kind in NEEDS_INVERSE and entry.kind not in INVERSE_OPERATIONS:
        raise ReversalNotSupported(kind=entry.kind, reason="no tiene operación inversa")


PARTS = frozenset(AccountPart)


def _holder(kind: str) -> str:
    """The kind of member account a line names: its own, or its part's holder."""
    return AccountPart(kind).holder.value if kind in PARTS else kind


def reverse_entry(
    session: Session, ctx: CoopContext, entry_id: uuid.UUID, description: str | None = None
) -> tuple[JournalEntry, list[Posting]]:
    """Undo an entry's operation and post its mirror, linked to it. An entry is reversed
    at most once; the database's unique index on ``reversal_of`` holds that even under
    concurrency. Who may do it is decided by the callers below."""
    cooperative_id = ctx.cooperative_id
    entry = get_entry(session, cooperative_id, entry_id)
    _check_reversible(session, entry)
    postings = entry_postings(session, cooperative_id, [entry_id])[entry_id]
    by_kind: dict[str, set[uuid.UUID]] = defaultdict(set)
    for p in postings:
        if p.account_kind and p.account_id:
            by_kind[_holder(p.account_kind)].add(p.account_id)
    locked: dict[tuple[str, uuid.UUID], MemberAccount] = {}
    for kind in sorted(by_kind):
        for acct_id, acct in lock_member_accounts(
            session, BY_KIND[kind], cooperative_id, by_kind[kind]
        ).items():
            locked[(kind, acct_id)] = acct  # type: ignore[assignment]
    inverse = INVERSE_OPERATIONS.get(entry.kind)
    if inverse is not None:
        inverse(session, entry)
    for p in postings:
        if p.account_kind is None or p.account_id is None or p.account_kind in PARTS:
            continue
        account = locked.get((p.account_kind, p.account_id))
        guard = REVERSAL_GUARDS.get(p.account_kind)
        if account is not None and guard is not None:
            guard(session, account, holder_amount(account.NORMAL_SIDE, -p.amount))
    legs = [
        Leg(
            gl_account=get_gl_account(session, cooperative_id, p.gl_account_id),
            amount=-p.amount,
            member_account=locked.get((_holder(p.account_kind), p.account_id))
            if p.account_kind and p.account_id
            else None,
            part=AccountPart(p.account_kind) if p.account_kind in PARTS else None,
        )
        for p in postings
    ]
    if entry.till_session_id is not None:
        check_till_session_open(session, cooperative_id, entry.till_session_id)
    return post_entry(
        session,
        ctx,
        "reversal",
        legs,
        branch_id=entry.branch_id,
        description=description or f"Extorno de {entry.kind}",
        reversal_of=entry.id,
        # a counter operation is corrected at the same till, in the same receipt series
        till_session_id=entry.till_session_id,
    )


@dataclass(frozen=True)
class ReversalOutcome:
    """Either the reversal was posted (``entry``), or it waits for a second person
    (``request``)."""

    entry: tuple[JournalEntry, list[Posting]] | None = None
    request: ApprovalRequest | None = None


def may_reverse_alone(session: Session, ctx: CoopContext, entry: JournalEntry) -> bool:
    """The person who booked the entry, on its own business day; or, for a member's cash
    operation at the counter that day, a supervisor (the second person the correction
    needs)."""
    person = ctx.principal.person_id
    coop = session.get(Cooperative, ctx.cooperative_id)
    assert coop is not None
    today = coop.business_date
    if person is None or entry.business_date != today:
        return False
    if entry.actor_user_id == person:
        return True
    return (
        entry.till_session_id is not None
        and entry.kind in COUNTER_OPERATIONS
        and bool(ctx.roles & SUPERVISE_TILLS)
    )


# A request asked for and not decided in a week is stale: the books it was checked against
# have moved on (DOMAIN.md is silent; the prudent rule is to ask again).
REVERSAL = ApprovalKind(
    name="reversal",
    subject_kind="journal_entry",
    not_found=ReversalRequestNotFound,
    decided=ReversalRequestDecided,
    ttl=timedelta(days=7),
    already_requested=ReversalAlreadyRequested,
)


def request_reversal(
    session: Session, ctx: CoopContext, entry_id: uuid.UUID, reason: str | None = None
) -> ReversalOutcome:
    """Reverse now if the caller may do it alone; otherwise record a request for another
    person to decide. Refusals (already reversed, not reversible) come at once either way."""
    entry = get_entry(session, ctx.cooperative_id, entry_id)
    _check_reversible(session, entry)
    pending = approvals.pending_for(session, ctx.cooperative_id, REVERSAL, entry_id)
    if pending is not None:  # decided there, by whoever may: not undone beside it
        raise ReversalAlreadyRequested(request_id=str(pending.id))
    if may_reverse_alone(session, ctx, entry):
        return ReversalOutcome(entry=reverse_entry(session, ctx, entry_id, reason))
    # Tried now and undone, so that what the account's rules refuse (a hold, a blocked
    # account, a later loan operation) is refused at once rather than at approval. The
    # approval tries it again against the accounts as they are then.
    attempt = session.begin_nested()
    try:
        reverse_entry(session, ctx, entry_id, reason)
    finally:
        attempt.rollback()
        # balances the attempt set as committed are not the database's: read them again
        session.expire_all()
    request = approvals.ask(session, ctx, REVERSAL, subject_id=entry_id, payload={"reason": reason})
    return ReversalOutcome(request=request)


def approve_reversal(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None = None
) -> tuple[ApprovalRequest, JournalEntry, list[Posting]]:
    """A second person approves: the reversal is posted now, by them."""
    request = approvals.decidable(session, ctx, REVERSAL, request_id)
    assert request.subject_id is not None
    entry, postings = reverse_entry(session, ctx, request.subject_id, request.payload.get("reason"))
    approvals.approve(session, ctx, REVERSAL, request, note, entry.id)
    return request, entry, postings


def reject_reversal(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None = None
) -> ApprovalRequest:
    return approvals.reject(session, ctx, REVERSAL, request_id, note)
