"""The counter's settings, and cash withdrawals that wait for a supervisor.

A withdrawal that takes a member's cash withdrawals of the day above the cooperative's
threshold (per currency; none set, none waits: DOMAIN.md is silent on a figure, each
cooperative's risk policy sets it) is asked at the teller's till
and answered 202 ``pending_approval``. Another person, a supervisor, approves it (the cash
is paid then, from the till of the session that asked, which must still be open) or
rejects it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, col, delete, select

from coopac_core.approvals import engine
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest, ApprovalStatus
from coopac_core.audit import service as audit_service
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind, GlAccount
from coopac_core.ledger.schemas import Movement
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
    WithdrawalRequestDecided,
    WithdrawalRequestNotFound,
)
from coopac_core.tellers.models import (
    CounterAccount,
    CounterPurpose,
    CounterSetting,
    WithdrawalStatus,
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


def needs_approval(session: Session, account: SavingsAccount, amount: Decimal) -> bool:
    """Whether a cash withdrawal waits for a supervisor: it takes what the member took out
    in cash today, from all their accounts in its currency, above the cooperative's
    threshold (so that two under it are not one above it unseen)."""
    above = threshold(session, account.cooperative_id, account.currency)
    if above is None:
        return False
    taken = session.execute(
        text(
            "SELECT coalesce(sum(p.amount), 0) FROM savings_account s "
            "JOIN posting p ON p.cooperative_id = s.cooperative_id AND p.account_id = s.id "
            "AND p.account_kind = 'savings' "
            "JOIN journal_entry e ON e.cooperative_id = p.cooperative_id AND e.id = p.entry_id "
            "JOIN cooperative c ON c.id = s.cooperative_id "
            "WHERE s.cooperative_id = :c AND s.member_id = :m AND s.currency = :cur "
            "AND p.business_date = c.business_date AND e.kind = 'withdrawal' AND p.amount > 0"
        ),
        {"c": account.cooperative_id, "m": account.member_id, "cur": account.currency},
    ).scalar_one()
    return amount + Decimal(taken) > above


# --- withdrawals that wait --------------------------------------------------------------


# The member waits at the counter and the cash is paid from the asking session's till, which
# closes with the day: a request not decided within the working day is stale (DOMAIN.md is
# silent; the prudent rule is to ask again).
WITHDRAWAL = ApprovalKind(
    name="withdrawal",
    subject_kind="savings_account",
    not_found=WithdrawalRequestNotFound,
    decided=WithdrawalRequestDecided,
    ttl=timedelta(hours=12),
)
_STATUS = {
    ApprovalStatus.pending: WithdrawalStatus.pending_approval,
    ApprovalStatus.approved: WithdrawalStatus.approved,
    ApprovalStatus.rejected: WithdrawalStatus.rejected,
    ApprovalStatus.expired: WithdrawalStatus.expired,
}


def request_out(session: Session, row: ApprovalRequest) -> WithdrawalRequestOut:
    assert row.subject_id is not None
    fields = engine.decision_fields(row)
    return WithdrawalRequestOut(
        **{**fields, "status": _STATUS[fields["status"]]},
        id=row.id,
        account_id=row.subject_id,
        amount=Decimal(row.payload["amount"]),
        currency=Currency(row.payload["currency"]),
        description=row.payload.get("description"),
        till_session_id=uuid.UUID(row.payload["till_session_id"]),
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
    row = engine.ask(
        session,
        ctx,
        WITHDRAWAL,
        subject_id=account.id,
        payload={
            "amount": str(amount),
            "currency": account.currency,
            "description": data.description,
            "till_session_id": str(cash.session_id),
        },
    )
    return request_out(session, row)


def approve(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> Movement:
    """Another person approves: the cash is paid from the asking session's till, now."""
    row = engine.decidable(session, ctx, WITHDRAWAL, request_id)
    assert row.subject_id is not None
    amount = Decimal(row.payload["amount"])
    account = lock_savings_account(session, ctx.cooperative_id, row.subject_id)
    product: SavingsProduct = get_product(session, ctx.cooperative_id, account.product_id)
    check_can_debit(session, account, product, amount)
    till_session_id = uuid.UUID(row.payload["till_session_id"])
    cash = session_cash(session, ctx, till_session_id, account.currency, -amount)
    out = pay_out(
        session,
        ctx,
        account,
        amount,
        cash,
        row.payload.get("description")
        or f"Retiro en efectivo pedido por {row.requested_by}, aprobado por {ctx.principal.name}",
    )
    moved_by_holder(session, account, out.value_date)
    engine.approve(session, ctx, WITHDRAWAL, row, note, out.journal_entry_id)
    return out


def pay_out(
    session: Session,
    ctx: CoopContext,
    account: SavingsAccount,
    amount: Decimal,
    cash: CounterCash,
    description: str,
) -> Movement:
    """Cash out of a savings account at a till (a withdrawal, one approved, a settlement):
    the entry, and the movement as the member sees it, with its receipt."""
    savings_gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.withdrawal,
        [ledger.Leg(savings_gl, amount, account), ledger.Leg(cash.gl_account, -amount)],
        branch_id=cash.branch_id,
        description=description,
        till_session_id=cash.session_id,
    )
    out = ledger.movement(account, entry, postings[0], -amount, available(session, account))
    out.receipt_number = receipt_number_of(session, ctx.cooperative_id, entry.id)
    return out


def reject(
    session: Session, ctx: CoopContext, request_id: uuid.UUID, note: str | None
) -> WithdrawalRequestOut:
    return request_out(session, engine.reject(session, ctx, WITHDRAWAL, request_id, note))


def get_request(
    session: Session, cooperative_id: uuid.UUID, request_id: uuid.UUID
) -> ApprovalRequest:
    return engine.get(session, cooperative_id, WITHDRAWAL, request_id)


_STORED = {v: k for k, v in _STATUS.items()}


def list_requests(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    status: WithdrawalStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[ApprovalRequest]:
    """Oldest first: the queue a supervisor works through."""
    return engine.list_requests(
        session,
        cooperative_id,
        WITHDRAWAL,
        status=_STORED[status] if status is not None else None,
        after=after,
        limit=limit,
    )
