"""Periods: the months close of business has taken, and the accountant's close of each.

A month is provisional from its snapshot until the accountant (or the manager) closes it;
closed, no entry can be dated in it (``ledger.periods``) and its snapshot no longer changes
(the database refuses it). Months close in order: each one's balances carry the last."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import get_cooperative
from coopac_core.models_base import utcnow
from coopac_core.reports.errors import (
    PeriodAlreadyClosed,
    PeriodInFuture,
    PeriodNotFound,
    PreviousPeriodOpen,
)
from coopac_core.reports.models import PeriodSnapshot, PeriodStatus
from coopac_core.reports.months import period_end, previous_period
from coopac_core.security.principal import CoopContext


def list_periods(
    session: Session, cooperative_id: uuid.UUID, *, before: str | None, limit: int
) -> list[PeriodSnapshot]:
    stmt = select(PeriodSnapshot).where(PeriodSnapshot.cooperative_id == cooperative_id)
    if before is not None:
        stmt = stmt.where(col(PeriodSnapshot.period) < before)
    return list(session.exec(stmt.order_by(col(PeriodSnapshot.period).desc()).limit(limit)))


def check_not_future(coop: Cooperative, period: str) -> None:
    """A month whose last day the cooperative has not yet closed is still running."""
    if period_end(period) >= coop.business_date:
        raise PeriodInFuture(period=period, business_date=coop.business_date.isoformat())


def get_period(session: Session, cooperative_id: uuid.UUID, period: str | None) -> PeriodSnapshot:
    """The month a report asks for; without one, the last month closed."""
    if period is None:
        last = session.exec(
            select(PeriodSnapshot)
            .where(
                PeriodSnapshot.cooperative_id == cooperative_id,
                PeriodSnapshot.status == PeriodStatus.closed,
            )
            .order_by(col(PeriodSnapshot.period).desc())
            .limit(1)
        ).first()
        if last is None:
            raise PeriodNotFound(period="cerrado")
        return last
    check_not_future(get_cooperative(session, cooperative_id), period)
    snap = session.get(PeriodSnapshot, (cooperative_id, period))
    if snap is None:
        raise PeriodNotFound(period=period)
    return snap


def previous(session: Session, snap: PeriodSnapshot) -> PeriodSnapshot | None:
    return session.get(PeriodSnapshot, (snap.cooperative_id, previous_period(snap.period)))


def close_period(session: Session, ctx: CoopContext, period: str) -> PeriodSnapshot:
    coop = get_cooperative(session, ctx.cooperative_id)
    check_not_future(coop, period)
    snap = session.get(PeriodSnapshot, (ctx.cooperative_id, period), with_for_update=True)
    if snap is None:
        raise PeriodNotFound(period=period)
    if snap.status == PeriodStatus.closed:
        raise PeriodAlreadyClosed(period=period)
    before = previous_period(period)
    earlier = session.get(PeriodSnapshot, (ctx.cooperative_id, before))
    if earlier is not None and earlier.status != PeriodStatus.closed:
        raise PreviousPeriodOpen(previous=before)
    snap.status = PeriodStatus.closed
    snap.closed_at = utcnow()
    snap.closed_by = ctx.principal.name
    snap.closed_by_id = ctx.principal.person_id
    session.add(snap)
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "period.close",
        "period",
        period,
        cooperative_id=ctx.cooperative_id,
        details={"period": period, "period_end": snap.period_end.isoformat()},
    )
    events.emit(
        session,
        ctx.cooperative_id,
        EventType.period_closed,
        "period",
        period,
        {"period": period, "period_end": snap.period_end.isoformat(), "by": ctx.principal.name},
    )
    return snap
