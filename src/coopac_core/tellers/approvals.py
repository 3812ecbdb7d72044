"""The counter's settings, and cash withdrawals that wait for a supervisor.

A withdrawal above the cooperative's threshold (per currency; none set, none waits: DOMAIN.md
is silent on a figure, each cooperative's risk policy sets it) is asked at the teller's till
and answered 202 ``pending_approval``. Another person, a supervisor, approves it (the cash
is paid then, from the till of the session that asked, which must still be open) or
rejects it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import tuple_
from sqlmodel import Session, col, delete, select

from coopac_core.audit import service as audit_service
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind, GlAccount
from coopac_core.ledger.schemas import Movement
from coopac_core.models_base import utcnow
from coopac_core.money import Currency
from coopac_core.savings.models import SavingsAccount, SavingsProduct
from coopac_core.savings.schemas import CashMovementRequest
from coopac_core.savings.service import (
    available,
    check_can_debit,
    get_product,
    lock_savings_account,
    moved_by_holder,
)
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.errors import (
    CounterAccountInvalid,
    WithdrawalApprovalSamePerson,
    WithdrawalRequestDecided,
    WithdrawalRequestNotFound,
)
from coopac_core.tellers.models import (
    ApprovalStatus,
    CounterAccount,
    CounterPurpose,
    CounterSetting,
    WithdrawalRequest,
)
from coopac_core.tellers.schemas import (
    ApprovalThreshold,
    CounterAccountOut,
    CounterSettingsIn,
    CounterSettingsOut,
    WithdrawalRequestOut,
)
from coopac_core.tellers.service import CounterCash, receipt_number_of, session_cash

# --- settings ---------------------------------------------------------------------------


def settings_out(session: Session, cooperative_id: uuid.UUID) -> CounterSettingsOut:
    thresholds = session.exec(
        select(CounterSetting)
        .where(CounterSetting.cooperative_id == cooperative_id)
        .order_by(col(CounterSetting.currency))
    )
    accounts = session.exec(
        select(CounterAccount, GlAccount)
        .join(
            GlAccount,
            (col(GlAccount.cooperative_id) == col(CounterAccount.cooperative_id))
            & (col(GlAccount.id) == col(CounterAccount.gl_account_id)),
        )
        .where(CounterAccount.cooperative_id == cooperative_id)
        .order_by(col(CounterAccount.purpose), col(CounterAccount.currency))
    )
    return CounterSettingsOut(
        withdrawal_approval_above=[
            ApprovalThreshold(currency=Currency(t.currency), amount=t.withdrawal_approval_above)
            for t in thresholds
        ],
        accounts=[
            CounterAccountOut(
                purpose=CounterPurpose(a.purpose), currency=Currency(a.currency), code=g.code
            )
            for a, g in accounts
        ],
    )


def update_settings(
    session: Session, ctx: CoopContext, data: CounterSettingsIn
) -> CounterSettingsOut:
    coop_id = ctx.cooperative_id
    if data.withdrawal_approval_above is not None:
        session.exec(delete(CounterSetting).where(col(CounterSetting.cooperative_id) == coop_id))
        for t in data.withdrawal_approval_above:
            session.add(
                CounterSetting(
                    cooperative_id=coop_id,
                    currency=t.currency.value,
                    withdrawal_approval_above=t.amount,
                    set_by=ctx.principal.name,
                )
            )
    for a in data.accounts or []:
        gl = ledger.gl_account_by_code(session, coop_id, a.code)
        reason = None
        if gl.currency != a.currency.value:
            reason = f"no es en {a.currency.value}"
        elif not gl.allows_posting or gl.control_kind is not None:
            reason = "no admite asientos directos"
        elif gl.code.startswith("11") and a.purpose != CounterPurpose.cash_in_transit:
            reason = "es una cuenta de efectivo"
        if reason is not None:
            raise CounterAccountInvalid(code=a.code, purpose=a.purpose.value, reason=reason)
        row = session.get(CounterAccount, (coop_id, a.purpose.value, a.currency.value))
        if row is None:
            row = CounterAccount(
                cooperative_id=coop_id,
                purpose=a.purpose.value,
                currency=a.currency.value,
                gl_account_id=gl.id,
            )
        row.gl_account_id = gl.id
        session.add(row)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "counter_settings.update",
        "cooperative",
        coop_id,
        cooperative_id=coop_id,
        details=data.model_dump(mode="json", exclude_none=True),
    )
    return settings_out(session, coop_id)


def threshold(session: Session, cooperative_id: uuid.UUID, currency: str) -> Decimal | None:
    row = session.get(CounterSetting, (cooperative_id, currency))
    return row.withdrawal_approval_above if row is not None else None


# --- withdrawals that wait --------------------------------------------------------------


def request_out(session: Session, row: WithdrawalRequest) -> WithdrawalRequestOut:
    return WithdrawalRequestOut(
        id=row.id,
        account_id=row.account_id,
        amount=row.amount,
        currency=Currency(row.currency),
        description=row.description,
        status=ApprovalStatus(row.status),
        till_session_id=row.till_session_id,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        journal_entry_id=row.journal_entry_id,
        receipt_number=receipt_number_of(session, row.cooperative_id, row.journal_entry_id)
        if row.journal_entry_id
        else None,
    )


def request_withdrawal(
    session: Session,
    ctx: CoopContext,
    account: SavingsAccount,
    amount: Decimal,
    cash: CounterCash,
    data: CashMovementRequest,
) -> WithdrawalRequestOut:
    """Record a withdrawal that waits: the account's rules and the till's cash were checked
    already (and are again when it is approved)."""
    person = ctx.principal.person_id
    assert person is not None  # a till session is a person's
    row = WithdrawalRequest(
        cooperative_id=ctx.cooperative_id,
        account_id=account.id,
        amount=amount,
        currency=account.currency,
        description=data.description,
        till_session_id=cash.session_id,
        requested_by=ctx.principal.name,
        requested_by_id=person,
    )
    session.add(row)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "withdrawal.request",
        "savings_account",
        account.id,
        cooperative_id=ctx.cooperative_id,
        details={"request_id": str(row.id), "amount": str(amount)},
    )
    return request_out(session, row)


def _pending(session: Session, ctx: CoopContext, request_id: uuid.UUID) -> WithdrawalRequest:
    row = session.exec(
        select(WithdrawalRequest)
        .where(
            WithdrawalRequest.cooperative_id == ctx.cooperative_id,
            WithdrawalRequest.id == request_id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise WithdrawalRequestNotFound()
    if row.status != ApprovalStatus.pending_approval:
        raise WithdrawalRequestDecided(
            status="aprobada" if row.status == ApprovalStatus.approved else "rechazada"
        )
    if ctx.principal.person_id == row.requested_by_id:
        raise WithdrawalApprovalSamePerson()
    return row


def approve(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> Movement:
    """Another person approves: the cash is paid from the asking session's till, now."""
    row = _pending(session, ctx, request_id)
    account = lock_savings_account(session, ctx.cooperative_id, row.account_id)
    product: SavingsProduct = get_product(session, ctx.cooperative_id, account.product_id)
    check_can_debit(session, account, product, row.amount)
    cash = session_cash(session, ctx, row.till_session_id, account.currency, -row.amount)
    savings_gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.withdrawal,
        [ledger.Leg(savings_gl, row.amount, account), ledger.Leg(cash.gl_account, -row.amount)],
        branch_id=cash.branch_id,
        description=row.description
        or f"Retiro en efectivo pedido por {row.requested_by}, aprobado por {ctx.principal.name}",
        till_session_id=cash.session_id,
    )
    moved_by_holder(session, account, entry.business_date)
    _decide(session, ctx, row, ApprovalStatus.approved, note)
    row.journal_entry_id = entry.id
    session.add(row)
    session.flush()
    out = ledger.movement(account, entry, postings[0], -row.amount, available(session, account))
    out.receipt_number = receipt_number_of(session, ctx.cooperative_id, entry.id)
    return out


def reject(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> WithdrawalRequestOut:
    row = _pending(session, ctx, request_id)
    _decide(session, ctx, row, ApprovalStatus.rejected, note)
    session.flush()
    return request_out(session, row)


def _decide(
    session: Session,
    ctx: CoopContext,
    row: WithdrawalRequest,
    status: ApprovalStatus,
    note: str | None,
) -> None:
    row.status = status
    row.decided_by = ctx.principal.name
    row.decided_by_id = ctx.principal.person_id
    row.decided_at = utcnow()
    row.decision_note = note
    session.add(row)
    audit_service.record(
        session,
        ctx.principal,
        f"withdrawal.{'approve' if status == ApprovalStatus.approved else 'reject'}",
        "savings_account",
        row.account_id,
        cooperative_id=ctx.cooperative_id,
        details={"request_id": str(row.id), "note": note},
    )


def get_request(
    session: Session, cooperative_id: uuid.UUID, request_id: uuid.UUID
) -> WithdrawalRequest:
    row = session.get(WithdrawalRequest, (cooperative_id, request_id))
    if row is None:
        raise WithdrawalRequestNotFound()
    return row


def list_requests(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    status: ApprovalStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[WithdrawalRequest]:
    """Oldest first: the queue a supervisor works through."""
    stmt = select(WithdrawalRequest).where(WithdrawalRequest.cooperative_id == cooperative_id)
    if status is not None:
        stmt = stmt.where(WithdrawalRequest.status == status)
    if after is not None:
        stmt = stmt.where(
            tuple_(col(WithdrawalRequest.requested_at), col(WithdrawalRequest.id))
            > tuple_(after[0], after[1])
        )
    stmt = stmt.order_by(col(WithdrawalRequest.requested_at), col(WithdrawalRequest.id))
    return list(session.exec(stmt.limit(limit)))
