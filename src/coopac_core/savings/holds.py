"""Holds (retenciones): an amount set aside by a court order or a guarantee, which lowers
what the holder may take out."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.errors import refusals
from coopac_core.loans.models import Loan, LoanStatus
from coopac_core.money import check_amount
from coopac_core.savings.errors import AccountClosed, PledgeInvalid
from coopac_core.savings.models import AccountStatus, SavingsHold
from coopac_core.savings.schemas import HoldCreate
from coopac_core.savings.service import get_account, lock_savings_account
from coopac_core.security.principal import CoopContext

PLACE = text("SELECT coopac_place_hold(:c, :a, :amount, :loan, :reason, :by)")
RELEASE = text("SELECT coopac_release_hold(:c, :a, :h, :by)")


def place_hold(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: HoldCreate
) -> SavingsHold:
    amount = check_amount(data.amount)
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    if account.status == AccountStatus.closed:
        raise AccountClosed()
    if data.loan_id is not None:
        _check_pledge(session, ctx.cooperative_id, account.currency, data.loan_id)
    # the hold and the held amount move together, in the function that owns them
    with refusals():
        hold_id = session.execute(
            PLACE, {"c": ctx.cooperative_id, "a": account.id, "amount": amount,
                    "loan": data.loan_id, "reason": data.reason, "by": ctx.principal.name},
        ).scalar_one()  # fmt: skip
    hold = _reread(session, ctx.cooperative_id, hold_id)
    session.refresh(account)
    audit_service.record(
        session,
        ctx.principal,
        "savings_hold.place",
        "savings_hold",
        hold.id,
        cooperative_id=ctx.cooperative_id,
        details={
            "account_id": str(account.id),
            "amount": str(amount),
            "reason": data.reason,
            "loan_id": str(data.loan_id) if data.loan_id else None,
        },
    )
    session.flush()
    return hold


def _check_pledge(
    session: Session, cooperative_id: uuid.UUID, currency: str, loan_id: uuid.UUID
) -> None:
    """A deposit is pledged to a loan of the cooperative, not yet closed, in its currency."""
    loan = session.get(Loan, (cooperative_id, loan_id))
    open_statuses = (LoanStatus.draft, LoanStatus.submitted, LoanStatus.approved, LoanStatus.active)
    if loan is None or loan.status not in open_statuses:
        raise PledgeInvalid(reason="el crédito no existe o ya está cerrado")
    if loan.currency != currency:
        raise PledgeInvalid(reason=f"el crédito es en {loan.currency}, la cuenta en {currency}")


def release_hold(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, hold_id: uuid.UUID
) -> SavingsHold:
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    with refusals():
        session.execute(
            RELEASE,
            {"c": ctx.cooperative_id, "a": account.id, "h": hold_id, "by": ctx.principal.name},
        )
    hold = _reread(session, ctx.cooperative_id, hold_id)
    session.refresh(account)
    audit_service.record(
        session,
        ctx.principal,
        "savings_hold.release",
        "savings_hold",
        hold.id,
        cooperative_id=ctx.cooperative_id,
        details={"account_id": str(account.id), "amount": str(hold.amount)},
    )
    session.flush()
    return hold


def _reread(session: Session, cooperative_id: uuid.UUID, hold_id: uuid.UUID) -> SavingsHold:
    hold = session.get(SavingsHold, (cooperative_id, hold_id), populate_existing=True)
    assert hold is not None
    return hold


def list_holds(
    session: Session,
    cooperative_id: uuid.UUID,
    account_id: uuid.UUID,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[SavingsHold]:
    """An account's holds in the order they were placed."""
    get_account(session, cooperative_id, account_id)
    stmt = select(SavingsHold).where(
        SavingsHold.cooperative_id == cooperative_id, SavingsHold.account_id == account_id
    )
    if after is not None:
        placed_at, hold_id = after
        stmt = stmt.where(
            (col(SavingsHold.placed_at) > placed_at)
            | ((col(SavingsHold.placed_at) == placed_at) & (col(SavingsHold.id) > hold_id))
        )
    stmt = stmt.order_by(col(SavingsHold.placed_at), col(SavingsHold.id)).limit(limit)
    return list(session.exec(stmt))
