"""Doing a run: each day through its steps in order, a chunk per transaction with the
step's progress, so that a run a crash stopped resumes where its rows say (starting and
reading runs is ``cob.service``)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from sqlalchemy import func, text
from sqlmodel import col, select

from coopac_core import metrics
from coopac_core.channels import Channel, Origin, origin_var
from coopac_core.cob.models import CobRun, CobStep, RunStatus, StepStatus
from coopac_core.cob.schedule import ordered
from coopac_core.cob.service import (
    CHUNK,
    StepSummary,
    get_run,
    run_lock_key,
    run_steps,
    summarise,
)
from coopac_core.day_steps import Span, Step, spans
from coopac_core.db import Database, refresh_statistics
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import Role

log = logging.getLogger(__name__)


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
    # its entries are the system's, and only its own: what the caller's thread does after
    # (the demo's tellers) is theirs again
    origin = origin_var.set(Origin(Channel.system))
    try:
        # Autocommit: the lock is the session's, and no transaction stays open for the
        # run's length (one would hold back vacuum, and its own updates would pile up dead).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as lock:
            key = run_lock_key(run_id)
            if not lock.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar_one():
                return None
            try:
                return _execute(db, cooperative_id, run_id, progress, chunk)
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
    finally:
        origin_var.reset(origin)


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
        # tables loaded in bulk since their last ANALYZE (an import, a restore) would be
        # planned from figures that no longer hold
        with db.session(cooperative_id) as session:
            refreshed = refresh_statistics(session, stale_only=True)
        if refreshed:
            log.info("close of business %s: statistics refreshed for %s", run_id, refreshed)
        small = _is_small(db, cooperative_id, chunk)
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
            if small and _close_day_at_once(db, ctx, run_id, day, progress, chunk):
                continue  # the day moved on with its steps, in their transaction
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


# A cooperative this small closes each day in one transaction: every step of its day is a
# single chunk anyway, and a transaction per step and span, each with its connection and
# its progress row, costs more than the work (a demo cooperative's day: 24 transactions
# for 87 statements). Its tellers wait for the day, a fraction of a second, instead of a
# step. The crash-safety is the same: the day is done whole or not at all.
SMALL = 2_000


def _is_small(db: Database, cooperative_id: uuid.UUID, chunk: int) -> bool:
    """Counting stops past the limit: a cooperative of a million accounts is not counted."""
    limit = min(chunk, SMALL)
    with db.session(cooperative_id) as session:
        rows = session.execute(
            text(
                "SELECT (SELECT count(*) FROM (SELECT 1 FROM member WHERE cooperative_id = :c "
                "LIMIT :n) m) + (SELECT count(*) FROM (SELECT 1 FROM savings_account "
                "WHERE cooperative_id = :c LIMIT :n) s) + (SELECT count(*) FROM (SELECT 1 "
                "FROM loan WHERE cooperative_id = :c AND status = 'active' LIMIT :n) l)"
            ),
            {"c": cooperative_id, "n": limit + 1},
        ).scalar_one()
    return int(rows) <= limit


def _close_day_at_once(
    db: Database,
    ctx: CoopContext,
    run_id: uuid.UUID,
    day: date,
    progress: Progress | None,
    chunk: int,
) -> bool:
    """Every step of one day in one transaction, each over every key at once (its spans'
    rows marked done together). False, touching nothing, when the day was begun step by
    step (a run a crash stopped, resumed): it goes on that way."""
    with db.session(ctx.cooperative_id) as session:
        rows = session.exec(
            select(CobStep)
            .where(CobStep.cooperative_id == ctx.cooperative_id, CobStep.run_id == run_id)
            .order_by(col(CobStep.name), col(CobStep.part))
            .with_for_update()
        ).all()
        if any(r.cursor is not None or (r.done_through or date.min) >= day for r in rows):
            return False
        by_step: dict[str, list[CobStep]] = {}
        for row in rows:
            by_step.setdefault(row.name, []).append(row)
        whole = spans(1)[0]
        counts: dict[str, tuple[int, int, int]] = {}
        for step in ordered():
            if not step.applies(day):
                continue
            first, *others = by_step[step.name]
            started = time.perf_counter()
            try:
                # the day is done whole here: what it processed is what there was (counting
                # it first, as the step-by-step path must for its progress, is a query a
                # step that a quiet day of a small cooperative is made of)
                total = step.total(session, ctx, day) if progress is not None else None
                processed = 0
                after = whole.after
                while True:
                    done = step.run_chunk(session, ctx, day, Span(after, whole.upto), chunk)
                    processed += done.processed
                    if done.cursor is None:
                        break
                    after = uuid.UUID(done.cursor)
            except Exception as exc:
                raise StepFailed(step, exc) from exc
            metrics.COB_STEP_SECONDS.labels(step.name).observe(time.perf_counter() - started)
            metrics.COB_STEP_ROWS.labels(step.name).inc(processed)
            if progress is None or total is None:
                counts[step.name] = (first.part, processed, processed)
                continue
            first.total += total
            first.processed += processed
            for row in (first, *others):
                row.status = StepStatus.running
                row.done_through = day
                session.add(row)
            session.flush()
            run = get_run(session, ctx.cooperative_id, run_id)
            progress(run, summarise(run_steps(session, run)))
        # the step rows all at once, and the run on to the next day: a statement each, not
        # one per step (a quiet day of a small cooperative is mostly this bookkeeping)
        if counts:
            session.execute(
                text(_STEPS_DONE),
                {
                    "c": ctx.cooperative_id,
                    "r": run_id,
                    "d": day,
                    "names": list(counts),
                    "firsts": [first for first, _, _ in counts.values()],
                    "totals": [total for _, total, _ in counts.values()],
                    "processed": [processed for _, _, processed in counts.values()],
                },
            )
        session.execute(
            text(
                "UPDATE cob_run SET current_day = :next "
                "WHERE cooperative_id = :c AND id = :r AND current_day = :d"
            ),
            {"c": ctx.cooperative_id, "r": run_id, "d": day, "next": day + timedelta(days=1)},
        )
    return True


# Every row of the day's steps done through it; each step's first row counts its work.
_STEPS_DONE = """
UPDATE cob_step s SET status = 'running', done_through = :d,
    total = s.total + CASE WHEN s.part = v.first_part THEN v.total ELSE 0 END,
    processed = s.processed + CASE WHEN s.part = v.first_part THEN v.processed ELSE 0 END
FROM unnest(CAST(:names AS text[]), CAST(:firsts AS int[]), CAST(:totals AS int[]),
            CAST(:processed AS int[])) AS v(name, first_part, total, processed)
WHERE s.cooperative_id = :c AND s.run_id = :r AND s.name = v.name
"""


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
            origin_var.set(Origin(Channel.system))  # a thread starts with no context of its own
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
        origin_var.set(Origin(Channel.system))  # a thread starts with no context of its own
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
    started = time.perf_counter()
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
            metrics.COB_STEP_ROWS.labels(step.name).inc(chunk.processed)
            row.cursor = chunk.cursor
            if chunk.cursor is None:
                row.done_through = day
            session.add(row)
            if progress is not None:
                session.flush()
                run = get_run(session, ctx.cooperative_id, run_id)
                progress(run, summarise(run_steps(session, run)))
        if chunk.cursor is None:
            metrics.COB_STEP_SECONDS.labels(step.name).observe(time.perf_counter() - started)
            return
