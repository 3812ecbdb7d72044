"""Tills and the vault of a branch: a cash sub-account per currency each."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.federation.service import get_branch
from coopac_core.ledger.models import GlAccount
from coopac_core.money import Currency
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.errors import (
    TillExists,
    TillNotFound,
)
from coopac_core.tellers.models import (
    SessionStatus,
    Till,
    TillCash,
    TillKind,
    TillSession,
)
from coopac_core.tellers.schemas import (
    TillCashOut,
    TillCreate,
    TillOut,
    TillUpdate,
)
from coopac_core.tellers.setup import open_till_cash


def create_till(
    session: Session, ctx: CoopContext, branch_id: uuid.UUID, data: TillCreate
) -> TillOut:
    branch = get_branch(session, ctx.cooperative_id, branch_id)
    till = Till(
        cooperative_id=ctx.cooperative_id, branch_id=branch.id, code=data.code, name=data.name
    )
    session.add(till)
    flush_or_conflict(session, TillExists(code=data.code))
    open_till_cash(session, branch, till, data.cash_limits)
    audit_service.record(
        session,
        ctx.principal,
        "till.create",
        "till",
        till.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    return till_out(session, till)


def get_till(session: Session, cooperative_id: uuid.UUID, till_id: uuid.UUID) -> Till:
    till = session.get(Till, (cooperative_id, till_id))
    if till is None:
        raise TillNotFound()
    return till


def update_till(
    session: Session, ctx: CoopContext, till_id: uuid.UUID, data: TillUpdate
) -> TillOut:
    till = get_till(session, ctx.cooperative_id, till_id)
    if data.name is not None:
        till.name = data.name
    if data.cash_limits is not None:
        ceilings = {limit.currency.value: limit.amount for limit in data.cash_limits}
        for cash in _cash_rows(session, till, lock=True):
            if cash.currency in ceilings:
                cash.ceiling = ceilings[cash.currency] or None
                session.add(cash)
    session.add(till)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "till.update",
        "till",
        till.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json", exclude_none=True),
    )
    return till_out(session, till)


def _cash_rows(session: Session, till: Till, *, lock: bool = False) -> list[TillCash]:
    stmt = (
        select(TillCash)
        .where(TillCash.cooperative_id == till.cooperative_id, TillCash.till_id == till.id)
        .order_by(col(TillCash.currency))
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update()
    return list(session.exec(stmt))


def _open_session_of_till(session: Session, till: Till) -> TillSession | None:
    return session.exec(
        select(TillSession).where(
            TillSession.cooperative_id == till.cooperative_id,
            TillSession.till_id == till.id,
            TillSession.status == SessionStatus.open,
        )
    ).first()


def till_out(session: Session, till: Till) -> TillOut:
    codes = {
        g.id: g.code
        for g in session.exec(
            select(GlAccount).where(
                GlAccount.cooperative_id == till.cooperative_id,
                col(GlAccount.id).in_([c.gl_account_id for c in _cash_rows(session, till)]),
            )
        )
    }
    open_session = _open_session_of_till(session, till)
    return TillOut(
        id=till.id,
        branch_id=till.branch_id,
        code=till.code,
        name=till.name,
        kind=TillKind(till.kind),
        cash=[
            TillCashOut(
                currency=Currency(c.currency),
                balance=c.balance,
                cash_limit=c.ceiling,
                gl_account_code=codes[c.gl_account_id],
            )
            for c in _cash_rows(session, till)
        ],
        open_session_id=open_session.id if open_session else None,
    )


def list_tills(
    session: Session,
    cooperative_id: uuid.UUID,
    branch_id: uuid.UUID,
    *,
    after_code: str | None,
    limit: int,
) -> list[TillOut]:
    """The vault first (its code sorts as any other), then the tills by code."""
    get_branch(session, cooperative_id, branch_id)
    stmt = select(Till).where(Till.cooperative_id == cooperative_id, Till.branch_id == branch_id)
    if after_code is not None:
        stmt = stmt.where(col(Till.code) > after_code)
    tills = session.exec(stmt.order_by(col(Till.code)).limit(limit))
    return [till_out(session, t) for t in tills]
