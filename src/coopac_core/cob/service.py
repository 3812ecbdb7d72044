"""Close of business: a run closes one day after another, each through its steps in order.

Starting a run moves the business date at once to the day after the last it closes, so
tellers go on working while it runs; the run closes each day D from what is dated D or
earlier. The work is done outside the request (``cob.runner``), a chunk per transaction,
and resumes after a crash from the progress its rows keep."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import func, text, tuple_
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.channels import Channel, Origin, origin_var
from coopac_core.cob.errors import (
    BusinessDateAheadOfCalendar,
    CloseOfBusinessRunning,
    CobRunNotFound,
    MultiDayCloseNeedsManager,
    TillSessionsOpen,
)
from coopac_core.cob.models import CobRun, CobStep, RunStatus, StepStatus
from coopac_core.cob.steps import Chunk, Span, Step, ordered, register, spans
from coopac_core.db import Database, flush_or_conflict
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import local_today
from coopac_core.idempotency import expire_keys
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext, Principal
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
        raise CloseOfBusinessRunning(run_id=str(current.id))
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


# --- doing it --------------------------------------------------------------------------


def _system(run: CobRun) -> CoopContext:
    """Who the run's entries are booked by: the run itself, on behalf of its starter."""
    principal = Principal(name=f"cierre:{run.started_by}"[:100])
    return CoopContext(run.cooperative_id, principal, frozenset({Role.manager}))


Progress = Callable[[CobRun, list[StepSummary]], None]


def execute(
    db: Database,
    cooperative_id: uuid.UUID,
    run_id: uuid.UUID,
    progress: Progress | None = None,
    *,
    chunk: int = CHUNK,
) -> RunStatus | None:
    """Do the run to its end, or to its failure. None when another process is doing it
    (a session-level advisory lock: it dies with its connection, so a killed process
    leaves the run to whoever resumes it)."""
    origin_var.set(Origin(Channel.system))  # its entries are the system's (the thread's own)
    # Autocommit: the lock is the session's, and no transaction stays open for the run's
    # length (one would hold back vacuum, and the run's own updates would pile up dead).
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as lock:
        key = run_id.int & ((1 << 63) - 1)
        if not lock.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar_one():
            return None
        try:
            return _execute(db, cooperative_id, run_id, progress, chunk)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})


def _execute(
    db: Database,
    cooperative_id: uuid.UUID,
    run_id: uuid.UUID,
    progress: Progress | None,
    chunk: int,
) -> RunStatus:
    # each step's spans, fixed when the run started: read once, not per step and day
    parts: dict[str, int] = {}
    try:
        while True:
            with db.session(cooperative_id) as session:
                run = get_run(session, cooperative_id, run_id)
                if run.status != RunStatus.running:
                    return RunStatus(run.status)
                if not parts:
                    for name, count in session.exec(
                        select(CobStep.name, func.count())
                        .where(CobStep.cooperative_id == cooperative_id, CobStep.run_id == run_id)
                        .group_by(col(CobStep.name))
                    ):
                        parts[name] = count
                day = run.current_day
                if day > run.business_date_to:
                    run.status = RunStatus.succeeded
                    run.finished_at = utcnow()
                    session.add(run)
                    for row in run_steps(session, run):
                        row.status = StepStatus.succeeded
                        session.add(row)
                    events.emit(
                        session,
                        cooperative_id,
                        EventType.close_of_business_finished,
                        "close_of_business_run",
                        run.id,
                        {
                            "run_id": str(run.id),
                            "from": run.business_date_from.isoformat(),
                            "to": run.business_date_to.isoformat(),
                        },
                        business_date=run.business_date_to,
                    )
                    return RunStatus.succeeded
                ctx = _system(run)
            _close_day(db, ctx, run_id, day, progress, chunk, parts)
            with db.session(cooperative_id) as session:
                run = get_run(session, cooperative_id, run_id)
                run.current_day = day + timedelta(days=1)
                session.add(run)
    except Exception as failure:
        step = failure.step if isinstance(failure, StepFailed) else None
        exc = failure.cause if isinstance(failure, StepFailed) else failure
        log.exception("close of business %s failed", run_id)
        with db.session(cooperative_id) as session:
            run = get_run(session, cooperative_id, run_id)
            run.status = RunStatus.failed
            run.finished_at = utcnow()
            # what went wrong, without the statement and its parameters (those are logged)
            cause = str(getattr(exc, "orig", None) or exc).splitlines() or [""]
            run.error = f"{type(exc).__name__}: {cause[0]}"[:1000]
            session.add(run)
            if step is not None:
                for failed in session.exec(
                    select(CobStep).where(
                        CobStep.cooperative_id == cooperative_id,
                        CobStep.run_id == run_id,
                        CobStep.name == step.name,
                    )
                ):
                    failed.status = StepStatus.failed
                    session.add(failed)
        return RunStatus.failed


def _close_day(
    db: Database,
    ctx: CoopContext,
    run_id: uuid.UUID,
    day: date,
    progress: Progress | None,
    chunk: int,
    parts: dict[str, int],
) -> None:
    """Every step of one day, in order; a background step goes on beside the next ones
    until a step waits for it, or the day ends. A failure fails the day once every thread
    of it has stopped."""
    behind: dict[str, Background] = {}
    try:
        for step in ordered():
            if not step.applies(day):
                continue
            for name in step.waits_for:
                if name in behind:
                    behind.pop(name).finish()
            work = partial(
                _close_step_parts,
                db,
                ctx,
                run_id,
                step,
                day,
                progress,
                chunk,
                parts.get(step.name, 1),
            )
            if step.background:
                behind[step.name] = Background(step, work)
            else:
                try:
                    work()
                except Exception as exc:
                    raise StepFailed(step, exc) from exc
        for name in list(behind):
            behind.pop(name).finish()
    finally:
        for left in behind.values():
            left.thread.join()


class Background:
    """A background step at work on a thread of its own while the run goes on."""

    def __init__(self, step: Step, work: Callable[[], None]) -> None:
        self.step = step
        self.failure: Exception | None = None

        def run() -> None:
            try:
                work()
            except Exception as exc:  # handed to the run, which records it
                self.failure = exc

        self.thread = threading.Thread(target=run, name=f"cob-{step.name}")
        self.thread.start()

    def finish(self) -> None:
        """Wait for it; its failure is the run's, as if it had run in line."""
        self.thread.join()
        if self.failure is not None:
            raise StepFailed(self.step, self.failure)


class StepFailed(Exception):
    """A step of the day failed: which, and why."""

    def __init__(self, step: Step, cause: Exception) -> None:
        super().__init__(str(cause))
        self.step = step
        self.cause = cause


def _close_step_parts(
    db: Database,
    ctx: CoopContext,
    run_id: uuid.UUID,
    step: Step,
    day: date,
    progress: Progress | None,
    size: int,
    parts: int,
) -> None:
    """A step through one day: each of its ``parts`` spans on a thread and connection of
    its own."""
    if parts <= 1:
        _close_step(db, ctx, run_id, step, day, progress, size, 0, 1)
        return
    failures: list[BaseException] = []

    def work(part: int) -> None:
        try:
            _close_step(db, ctx, run_id, step, day, progress, size, part, parts)
        except BaseException as exc:  # handed to the run, which records it
            failures.append(exc)

    threads = [
        threading.Thread(target=work, args=(part,), name=f"cob-{step.name}-{part}")
        for part in range(parts)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]


def _close_step(
    db: Database,
    ctx: CoopContext,
    run_id: uuid.UUID,
    step: Step,
    day: date,
    progress: Progress | None,
    size: int,
    part: int,
    parts: int,
) -> None:
    """One span of a step through one day, a chunk per transaction with its progress."""
    whole = spans(parts)[part]
    while True:
        with db.session(ctx.cooperative_id) as session:
            row = session.get(
                CobStep, (ctx.cooperative_id, run_id, step.name, part), with_for_update=True
            )
            assert row is not None
            if row.done_through is not None and row.done_through >= day:
                return
            if row.cursor is None and part == 0:  # the day's first chunk: count the day once
                row.total += step.total(session, ctx, day)
            row.status = StepStatus.running
            after = uuid.UUID(row.cursor) if row.cursor else whole.after
            chunk = step.run_chunk(session, ctx, day, Span(after, whole.upto), size)
            row.processed += chunk.processed
            row.cursor = chunk.cursor
            if chunk.cursor is None:
                row.done_through = day
            session.add(row)
            if progress is not None:
                session.flush()
                run = get_run(session, ctx.cooperative_id, run_id)
                progress(run, summarise(run_steps(session, run)))
        if chunk.cursor is None:
            return


def _expire_idempotency_keys(
    session: Session, ctx: CoopContext, day: date, span: Span, limit: int
) -> Chunk:
    return Chunk(expire_keys(session, ctx.cooperative_id, utcnow()), None)


register(Step("idempotency_cleanup", 90, lambda session, ctx, day: 0, _expire_idempotency_keys))
