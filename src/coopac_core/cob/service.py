"""Close of business: a run closes one day after another, each through its steps in order.

Starting a run moves the business date at once to the day after the last it closes, so
tellers go on working while it runs; the run closes each day D from what is dated D or
earlier. The work is done outside the request (``cob.runner``), by ``cob.execution``: a
chunk per transaction, resuming after a crash from the progress its rows keep."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import text, tuple_
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.cob.errors import (
    BusinessDateAheadOfCalendar,
    CloseOfBusinessRunning,
    CobRunNotFound,
    MultiDayCloseNeedsManager,
    TillSessionsOpen,
)
from coopac_core.cob.models import CobRun, CobStep, RunStatus, StepStatus
from coopac_core.cob.schedule import ordered
from coopac_core.db import flush_or_conflict
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import local_today
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import Role
from coopac_core.tellers.service import open_sessions_through

log = logging.getLogger(__name__)

# Accounts per transaction (setting cob_chunk_size): large enough that the per-chunk cost
# is small, small enough that a teller whose account a month-end chunk holds waits well
# under a second. bench/cob.py, a million accounts' month end: 81.5 s and 97.6 s in two
# runs of 10,000 a chunk, 91.9 s in one of 5,000 (this machine varies by a tenth).
CHUNK = 10_000
WORKERS = 2


def running_run(session: Session, cooperative_id: uuid.UUID) -> CobRun | None:
    return session.exec(
        select(CobRun).where(
            CobRun.cooperative_id == cooperative_id, CobRun.status == RunStatus.running
        )
    ).first()


def run_lock_key(run_id: uuid.UUID) -> int:
    """The advisory lock the process doing a run holds for its connection's life: the run's
    lease, gone when that process dies, whatever way."""
    return run_id.int & ((1 << 63) - 1)


def _orphaned(session: Session, run: CobRun) -> bool:
    """Whether no process is doing ``run``: its lock is free (taken for this transaction
    only, to ask)."""
    return bool(
        session.execute(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": run_lock_key(run.id)}
        ).scalar_one()
    )


def start_run(
    session: Session,
    ctx: CoopContext,
    days: int,
    *,
    pre_holiday: bool = False,
    force: bool = False,
    workers: int = WORKERS,
) -> CobRun:
    """Record a run that closes ``days`` days from the business date, and move the date
    past them now. The business date never passes today in the cooperative's time zone,
    except by one day when the manager closes the eve of a holiday in advance. More than
    one day at once, or a pre-holiday close, is the manager's decision (DOMAIN.md is
    silent; the prudent rule: a wrong multi-day close moves every due date)."""
    if (days > 1 or pre_holiday) and Role.manager not in ctx.roles:
        raise MultiDayCloseNeedsManager()
    coop = session.get(Cooperative, ctx.cooperative_id, with_for_update=True)
    assert coop is not None
    if (current := running_run(session, coop.id)) is not None:
        if not _orphaned(session, current):
            raise CloseOfBusinessRunning(run_id=str(current.id))
        # the process doing it died (its lock went with its connection): this start takes
        # it over where its rows say it stopped, instead of refusing until a restart
        audit_service.record(
            session,
            ctx.principal,
            "business_day.close_takeover",
            "cooperative",
            coop.id,
            cooperative_id=coop.id,
            details={"run_id": str(current.id)},
        )
        return current
    latest = session.exec(
        select(CobRun)
        .where(CobRun.cooperative_id == coop.id)
        .order_by(col(CobRun.started_at).desc())
        .limit(1)
    ).first()
    if latest is not None and latest.status == RunStatus.failed:
        # Its days are past the business date already and not closed: this POST takes the
        # failed run up again where it stopped, rather than closing later days.
        latest.status = RunStatus.running
        latest.finished_at = None
        latest.error = None
        session.add(latest)
        audit_service.record(
            session,
            ctx.principal,
            "business_day.close_retry",
            "cooperative",
            coop.id,
            cooperative_id=coop.id,
            details={"run_id": str(latest.id)},
        )
        session.flush()
        return latest
    first = coop.business_date
    target = first + timedelta(days=days)
    today = local_today(coop.timezone)
    if target > today + timedelta(days=1 if pre_holiday else 0):
        raise BusinessDateAheadOfCalendar(today=today.isoformat(), target=target.isoformat())
    check_tills_closed(session, ctx, target - timedelta(days=1), force=force)
    run = CobRun(
        cooperative_id=coop.id,
        business_date_from=first,
        business_date_to=target - timedelta(days=1),
        current_day=first,
        pre_holiday=pre_holiday,
        started_by=ctx.principal.name,
        started_by_id=ctx.principal.person_id,
    )
    session.add(run)
    flush_or_conflict(session, CloseOfBusinessRunning(run_id="?"))
    session.add_all(
        CobStep(
            cooperative_id=coop.id,
            run_id=run.id,
            name=step.name,
            part=part,
            parts=parts,
            position=step.position,
        )
        for step in ordered()
        for parts in [workers if step.parallel else 1]
        for part in range(parts)
    )
    coop.business_date = target
    session.add(coop)
    audit_service.record(
        session,
        ctx.principal,
        "business_day.close",
        "cooperative",
        coop.id,
        cooperative_id=coop.id,
        details={
            "run_id": str(run.id),
            "from": first.isoformat(),
            "to": run.business_date_to.isoformat(),
            "business_date": target.isoformat(),
            "pre_holiday": pre_holiday,
            "forced_over_open_tills": force,
        },
    )
    session.flush()
    return run


def check_tills_closed(session: Session, ctx: CoopContext, last_day: date, *, force: bool) -> None:
    """A day closes with its tills counted: refused while a session of it is open, unless
    the manager forces it (a teller gone home with the till open must not stop the
    cooperative's night)."""
    open_sessions = open_sessions_through(session, ctx.cooperative_id, last_day)
    if not open_sessions:
        return
    if force:
        if Role.manager not in ctx.roles:
            raise MultiDayCloseNeedsManager(
                "Forzar el cierre con cajas abiertas lo hace el gerente"
            )
        return
    raise TillSessionsOpen(
        count=len(open_sessions),
        extra={
            "till_sessions": [
                {
                    "id": str(s.id),
                    "till_id": str(s.till_id),
                    "branch_id": str(s.branch_id),
                    "teller": s.teller_name,
                    "business_date": s.business_date.isoformat(),
                }
                for s in open_sessions
            ]
        },
    )


def get_run(session: Session, cooperative_id: uuid.UUID, run_id: uuid.UUID) -> CobRun:
    run = session.get(CobRun, (cooperative_id, run_id))
    if run is None:
        raise CobRunNotFound()
    return run


def run_steps(session: Session, run: CobRun) -> list[CobStep]:
    return list(
        session.exec(
            select(CobStep)
            .where(CobStep.cooperative_id == run.cooperative_id, CobStep.run_id == run.id)
            .order_by(col(CobStep.position), col(CobStep.part))
        )
    )


@dataclass(frozen=True)
class StepSummary:
    """A step across its spans, as the run shows it."""

    name: str
    status: StepStatus
    processed: int
    total: int


def summarise(rows: list[CobStep]) -> list[StepSummary]:
    by_name: dict[str, list[CobStep]] = {}
    for row in rows:  # in position order
        by_name.setdefault(row.name, []).append(row)
    out = []
    for name, parts in by_name.items():
        statuses = {StepStatus(p.status) for p in parts}
        if StepStatus.failed in statuses:
            status = StepStatus.failed
        elif statuses == {StepStatus.succeeded}:
            status = StepStatus.succeeded
        elif statuses == {StepStatus.pending}:
            status = StepStatus.pending
        else:
            status = StepStatus.running
        out.append(
            StepSummary(
                name,
                status,
                sum(p.processed for p in parts),
                sum(p.total for p in parts),
            )
        )
    return out


def list_runs(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[CobRun]:
    """Newest first."""
    stmt = select(CobRun).where(CobRun.cooperative_id == cooperative_id)
    if before is not None:
        stmt = stmt.where(tuple_(col(CobRun.started_at), col(CobRun.id)) < tuple_(*before))
    stmt = stmt.order_by(col(CobRun.started_at).desc(), col(CobRun.id).desc())
    return list(session.exec(stmt.limit(limit)))
