"""Import jobs, under four eyes: one person gives the files; the service checks the whole
job (loads it and undoes it); another person approves it, and it loads whole, in one
transaction, kept only if the migration suspense nets to zero. Progress and refusals are
kept on the job's row for the API and the CLI to show."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from coopac_core import metrics
from coopac_core.approvals import engine as approvals
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.audit import service as audit_service
from coopac_core.db import ALL_TENANTS, Database, refresh_statistics, set_tenant_scope
from coopac_core.errors import DomainError
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.federation.service import get_cooperative
from coopac_core.imports.errors import (
    ImportEmpty,
    ImportFileUnknown,
    ImportNeedsManager,
    ImportNotAwaitingApproval,
    ImportNotFound,
    ImportRowsRefused,
    ImportUnbalanced,
)
from coopac_core.imports.loader import (
    Actor,
    Refused,
    Unchecked,
    check_file,
    load,
    suspense_balances,
)
from coopac_core.imports.models import (
    FileStatus,
    ImportFile,
    ImportFileKind,
    ImportJob,
    ImportStatus,
)
from coopac_core.ledger.models import EntryKind, JournalEntry
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import Role

log = logging.getLogger(__name__)

ORDER = list(ImportFileKind)


def kind_of(name: str) -> ImportFileKind:
    """A file's kind from its name: ``members.csv`` (or ``members``) is the members file."""
    stem = name.rsplit("/", 1)[-1].removesuffix(".csv").removesuffix(".CSV").lower()
    try:
        return ImportFileKind(stem)
    except ValueError:
        raise ImportFileUnknown(name=name, kinds=", ".join(k.value for k in ORDER)) from None


def start(
    session: Session, ctx: CoopContext, files: dict[ImportFileKind, tuple[str, bytes]]
) -> ImportJob:
    if not files:
        raise ImportEmpty(kinds=", ".join(k.value for k in ORDER))
    job = ImportJob(
        cooperative_id=ctx.cooperative_id,
        files=[
            {
                "kind": kind.value,
                "filename": files[kind][0],
                "status": FileStatus.pending.value,
                "rows": None,
                "loaded": None,
                "errors": 0,
                "seconds": None,
            }
            for kind in ORDER
            if kind in files
        ],
        created_by=ctx.principal.name,
        created_by_id=ctx.principal.person_id,
    )
    session.add(job)
    session.flush()
    for kind, (filename, content) in files.items():
        session.add(
            ImportFile(
                cooperative_id=ctx.cooperative_id,
                import_id=job.id,
                kind=kind.value,
                filename=filename[:200],
                content=content,
            )
        )
    audit_service.record(
        session,
        ctx.principal,
        "import.start",
        "import",
        job.id,
        cooperative_id=ctx.cooperative_id,
        details={"files": {k.value: v[0] for k, v in files.items()}},
    )
    session.flush()
    return job


def get_job(session: Session, cooperative_id: uuid.UUID, import_id: uuid.UUID) -> ImportJob:
    job = session.exec(
        select(ImportJob).where(
            ImportJob.cooperative_id == cooperative_id, ImportJob.id == import_id
        )
    ).first()
    if job is None:
        raise ImportNotFound()
    return job


def list_jobs(
    session: Session,
    cooperative_id: uuid.UUID,
    limit: int,
    before: tuple[datetime, uuid.UUID] | None = None,
) -> list[ImportJob]:
    """Newest first; ``before``: the (created_at, id) a page ended on."""
    stmt = select(ImportJob).where(ImportJob.cooperative_id == cooperative_id)
    if before is not None:
        at, job_id = before
        stmt = stmt.where(
            (col(ImportJob.created_at) < at)
            | ((col(ImportJob.created_at) == at) & (col(ImportJob.id) < job_id))
        )
    order = (col(ImportJob.created_at).desc(), col(ImportJob.id).desc())
    return list(session.exec(stmt.order_by(*order).limit(limit)).all())


def _changed(job: ImportJob) -> None:
    # a JSONB value changed in place is not seen by the ORM: say so
    flag_modified(job, "files")
    flag_modified(job, "errors")


def _locked(session: Session, cooperative_id: uuid.UUID, job_id: uuid.UUID) -> ImportJob:
    job = session.exec(
        select(ImportJob)
        .where(ImportJob.cooperative_id == cooperative_id, ImportJob.id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if job is None:
        raise ImportNotFound()
    return job


def _content(
    session: Session, cooperative_id: uuid.UUID, job_id: uuid.UUID, kind: ImportFileKind
) -> bytes:
    return session.exec(
        select(ImportFile.content).where(
            ImportFile.cooperative_id == cooperative_id,
            ImportFile.import_id == job_id,
            ImportFile.kind == kind.value,
        )
    ).one()


def _check_ahead(
    db: Database, cooperative_id: uuid.UUID, job_id: uuid.UUID, kind: ImportFileKind, day: date
) -> bool:
    """A file's own checks, on a connection of their own (``loader.check_file``). Any
    failure here only means the loading transaction checks the whole file itself."""
    try:
        with db.session(cooperative_id) as session:
            return check_file(session, kind, _content(session, cooperative_id, job_id, kind), day)
    except Exception:
        log.exception("import %s: checking %s ahead failed", job_id, kind.value)
        return False


# A job checked today is approved within a week or checked again: the migration is planned
# on a calendar, and a check much older than the cooperative's data proves little (DOMAIN.md
# is silent; the prudent rule is a short wait).
IMPORT = ApprovalKind(
    name="import",
    subject_kind="import",
    not_found=ImportNotFound,
    decided=ImportNotAwaitingApproval,
    ttl=timedelta(days=7),
)


@dataclass
class Loaded:
    """What loading a job's files did, in a transaction that may yet be undone."""

    files: list[dict[str, Any]]
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    suspense: dict[str, str] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return self.error_count > 0 or any(f["status"] == FileStatus.refused for f in self.files)

    @property
    def unbalanced(self) -> bool:
        return any(Decimal(v) != 0 for v in self.suspense.values())


def _load_all(
    db: Database,
    session: Session,
    job: ImportJob,
    loaded_as: FileStatus,
    progress: Callable[[list[dict[str, Any]]], None],
) -> Loaded:
    """Load every file of the job, in order, in the session's transaction (each file in a
    savepoint of its own, so that a refused one is named and the next ones still checked),
    and read the migration suspense account after them. The caller keeps or undoes it.

    A second connection runs each file's own checks (formats, repeats within the file)
    while the first loads it, or the one before it: the two cores share the work, and
    the load is kept only once they pass."""
    cooperative_id = job.cooperative_id
    today = get_cooperative(session, cooperative_id).business_date
    actor = Actor(name=job.created_by, user_id=job.created_by_id)
    result = Loaded(files=[{**f, "status": FileStatus.pending.value} for f in job.files])
    kinds = [ImportFileKind(f["kind"]) for f in job.files]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-check") as ahead:
        checked: dict[int, Future[bool]] = {
            i: ahead.submit(_check_ahead, db, cooperative_id, job.id, kind, today)
            for i, kind in enumerate(kinds)
        }
        try:
            for index, kind in enumerate(kinds):
                _load_one(session, job, index, kind, today, actor, checked, loaded_as, result)
                progress(result.files)
        finally:
            for future in checked.values():
                future.cancel()
    result.suspense = suspense_balances(session, cooperative_id)
    return result


def _load_one(
    session: Session,
    job: ImportJob,
    index: int,
    kind: ImportFileKind,
    today: date,
    actor: Actor,
    checked: dict[int, Future[bool]],
    loaded_as: FileStatus,
    result: Loaded,
) -> None:
    cooperative_id = job.cooperative_id
    content = _content(session, cooperative_id, job.id, kind)
    entry = result.files[index]
    try:
        try:
            with session.begin_nested():
                outcome = load(
                    session,
                    cooperative_id,
                    kind,
                    content,
                    today,
                    actor,
                    file_checked=checked[index].result,
                )
        except Unchecked:
            with session.begin_nested():
                outcome = load(session, cooperative_id, kind, content, today, actor)
        entry.update(
            status=loaded_as.value,
            rows=outcome.rows,
            loaded=outcome.loaded,
            errors=0,
            seconds=round(outcome.seconds, 3),
            phases=outcome.phases,
        )
        if loaded_as is FileStatus.loaded:  # loaded for good, not only checked
            metrics.IMPORT_ROWS.labels(kind.value).inc(outcome.loaded or 0)
    except Refused as exc:
        o = exc.outcome
        entry.update(status=FileStatus.refused.value, rows=o.rows, loaded=0, errors=o.error_count)
        refused = [{"file": kind.value, "line": e.line, "reason": e.reason} for e in o.errors]
        result.errors = (result.errors + refused)[:1000]
        result.error_count += o.error_count


def _keep(job: ImportJob, result: Loaded) -> None:
    job.files = result.files
    job.errors = result.errors
    job.error_count = result.error_count
    job.suspense = result.suspense
    _changed(job)


def _undo(session: Session, cooperative_id: uuid.UUID) -> None:
    """Roll back what the job loaded, and go on in a new transaction of the same scope.
    (Not a savepoint around the load: rows written in a subtransaction cost every later
    statement of the job a lookup, 15% of an import of 250,000 rows.)"""
    session.rollback()
    set_tenant_scope(session, cooperative_id)


def _refuse(job: ImportJob, result: Loaded) -> DomainError:
    """The job failed as a whole: why, on its row, and as the refusal to answer."""
    _keep(job, result)
    job.status = ImportStatus.failed
    job.finished_at = utcnow()
    error: DomainError
    if result.refused:
        error = ImportRowsRefused(count=result.error_count)
    else:
        error = ImportUnbalanced(
            suspense=_figures(result.suspense), extra={"suspense": result.suspense}
        )
        job.error_code = error.code
        job.error = error.detail[:1000]
    return error


def _figures(suspense: dict[str, str]) -> str:
    return ", ".join(f"{c} {v}" for c, v in sorted(suspense.items()))


def _preparer(job: ImportJob) -> CoopContext:
    """The person who prepared the job, as the one who asks for its approval."""
    principal = Principal(name=job.created_by, user_id=job.created_by_id)
    return CoopContext(job.cooperative_id, principal, frozenset())


def check(
    db: Database,
    cooperative_id: uuid.UUID,
    job_id: uuid.UUID,
    progress: Callable[[list[dict[str, Any]]], None] = lambda files: None,
) -> ImportJob:
    """Load the whole job and undo it: whether every file loads and the migration suspense
    nets to zero. A job that does is asked for approval in its preparer's name; one that
    does not fails, saying why. The job's row is held throughout, so a job resumed after a
    crash, or by two processes at once, is checked once."""
    with db.session(cooperative_id) as session:
        job = _locked(session, cooperative_id, job_id)
        if job.status != ImportStatus.checking:
            return job
        result = _load_all(db, session, job, FileStatus.checked, progress)
        _undo(session, cooperative_id)  # a check loads nothing
        job = _locked(session, cooperative_id, job_id)
        if job.status != ImportStatus.checking:  # another process checked it meanwhile
            return job
        if result.refused or result.unbalanced:
            _refuse(job, result)
            _finished(session, job)
        else:
            _keep(job, result)
            job.status = ImportStatus.awaiting_approval
            approvals.ask(
                session,
                _preparer(job),
                IMPORT,
                subject_id=job.id,
                payload={"files": [f["kind"] for f in job.files], "suspense": job.suspense},
            )
        session.add(job)
    return job


def requests_of(
    session: Session, cooperative_id: uuid.UUID, job_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ApprovalRequest]:
    """Each job's approval request (a job has at most one: asked when its check passed)."""
    if not job_ids:
        return {}
    rows = session.exec(
        select(ApprovalRequest).where(
            ApprovalRequest.cooperative_id == cooperative_id,
            ApprovalRequest.kind == IMPORT.name,
            col(ApprovalRequest.subject_id).in_(job_ids),
        )
    ).all()
    return {row.subject_id: row for row in rows if row.subject_id is not None}


def _request(session: Session, job: ImportJob) -> ApprovalRequest:
    row = requests_of(session, job.cooperative_id, [job.id]).get(job.id)
    if row is None:
        raise ImportNotAwaitingApproval(status=job.status)
    return row


def _awaiting(session: Session, ctx: CoopContext, job_id: uuid.UUID) -> ImportJob:
    job = _locked(session, ctx.cooperative_id, job_id)
    if job.error_code == ImportUnbalanced.code:
        raise ImportUnbalanced(suspense=_figures(job.suspense), extra={"suspense": job.suspense})
    if job.status != ImportStatus.awaiting_approval:
        raise ImportNotAwaitingApproval(status=job.status)
    return job


def _operating(session: Session, cooperative_id: uuid.UUID) -> bool:
    """Whether the cooperative has books beyond what imports opened."""
    return bool(
        session.exec(
            select(JournalEntry.id)
            .where(
                JournalEntry.cooperative_id == cooperative_id,
                JournalEntry.kind != EntryKind.opening_balance,
            )
            .limit(1)
        ).first()
    )


def approve(
    db: Database,
    ctx: CoopContext,
    job_id: uuid.UUID,
    note: str | None,
    progress: Callable[[list[dict[str, Any]]], None] = lambda files: None,
) -> ImportJob:
    """The second person's approval: the whole job loads in this one transaction, and is
    kept only if every file loads and the migration suspense nets to zero (else nothing
    is, the job fails saying why, and the refusal is raised). A cooperative already
    operating needs its manager."""
    coop_id = ctx.cooperative_id
    failure: DomainError | None = None
    with db.session(coop_id) as session:
        job = _awaiting(session, ctx, job_id)
        row = approvals.decidable(session, ctx, IMPORT, _request(session, job).id)
        if Role.manager not in ctx.roles and _operating(session, coop_id):
            raise ImportNeedsManager()
        result = _load_all(db, session, job, FileStatus.loaded, progress)
        if result.refused or result.unbalanced:
            _undo(session, coop_id)
            job = _locked(session, coop_id, job_id)
            if job.status != ImportStatus.awaiting_approval:
                raise ImportNotAwaitingApproval(status=job.status)
            failure = _refuse(job, result)
        else:
            _keep(job, result)
            job.status = ImportStatus.succeeded
            job.finished_at = utcnow()
            approvals.approve(session, ctx, IMPORT, row, note)
        session.add(job)
        _finished(session, job)
    if failure is not None:
        raise failure
    # a bulk load: the next close of business plans from the tables' new figures (a thread
    # of its own: the approval does not wait for them; a run refreshes what is stale too)
    threading.Thread(
        target=_refresh_statistics, args=(db, coop_id), name=f"analyze-{job_id}", daemon=True
    ).start()
    return job


def _refresh_statistics(db: Database, cooperative_id: uuid.UUID) -> None:
    try:
        with db.session(cooperative_id) as session:
            refresh_statistics(session, stale_only=False)
    except Exception:
        log.exception("statistics after an import could not be refreshed")


def reject(session: Session, ctx: CoopContext, job_id: uuid.UUID, note: str | None) -> ImportJob:
    job = _awaiting(session, ctx, job_id)
    approvals.reject(session, ctx, IMPORT, _request(session, job).id, note)
    job.status = ImportStatus.rejected
    job.finished_at = utcnow()
    session.add(job)
    _finished(session, job)
    return job


def _finished(session: Session, job: ImportJob) -> None:
    session.flush()
    events.emit(
        session,
        job.cooperative_id,
        EventType.import_finished,
        "import",
        job.id,
        {
            "import_id": str(job.id),
            "status": job.status,
            "files": job.files,
            "error_count": job.error_count,
            "error_code": job.error_code,
            "suspense": job.suspense,
        },
    )


def fail(db: Database, cooperative_id: uuid.UUID, job_id: uuid.UUID, error: str) -> None:
    with db.session(cooperative_id) as session:
        job = _locked(session, cooperative_id, job_id)
        job.status = ImportStatus.failed
        job.error = error[:1000]
        job.finished_at = utcnow()
        session.add(job)


def launch(db: Database, cooperative_id: uuid.UUID, job_id: uuid.UUID) -> threading.Thread:
    """Check the job in a thread of the service (the request answers 202 at once)."""

    def run() -> None:
        try:
            check(db, cooperative_id, job_id)
        except Exception as exc:
            log.exception("import %s stopped", job_id)
            fail(db, cooperative_id, job_id, f"{type(exc).__name__}: {exc}".splitlines()[0])

    thread = threading.Thread(target=run, name=f"import-{job_id}", daemon=True)
    thread.start()
    return thread


def resume_all(db: Database) -> list[threading.Thread]:
    """Jobs a stopped process left being checked are checked again (a check keeps
    nothing until it ends)."""
    with db.session(ALL_TENANTS) as session:
        jobs = [
            (j.cooperative_id, j.id)
            for j in session.exec(
                select(ImportJob).where(ImportJob.status == ImportStatus.checking)
            )
        ]
    return [launch(db, c, j) for c, j in jobs]
