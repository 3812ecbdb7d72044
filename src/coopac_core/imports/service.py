"""Import jobs: started with their files, run a file at a time (each its own transaction),
their progress and refusals kept on the job's row for the API and the CLI to show."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import ALL_TENANTS, Database
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.federation.service import get_cooperative
from coopac_core.imports.errors import ImportEmpty, ImportFileUnknown, ImportNotFound
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
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext

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


def list_jobs(session: Session, cooperative_id: uuid.UUID, limit: int) -> list[ImportJob]:
    return list(
        session.exec(
            select(ImportJob)
            .where(ImportJob.cooperative_id == cooperative_id)
            .order_by(col(ImportJob.created_at).desc())
            .limit(limit)
        ).all()
    )


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


def execute(
    db: Database,
    cooperative_id: uuid.UUID,
    job_id: uuid.UUID,
    progress: Callable[[ImportJob], None] = lambda job: None,
) -> ImportJob:
    """Load the job's files in order. Each file's transaction holds the job's row, loads
    the file (or, refused, rolls back to before it) and records the outcome on the job:
    the job's row always says what the data holds, and a job resumed after a crash, or by
    two processes at once, loads no file twice.

    A second connection runs each file's own checks (formats, repeats within the file)
    while the first loads it, or the one before it: the two cores share the work, and
    the load is kept only once they pass."""
    with db.session(cooperative_id) as session:
        job = get_job(session, cooperative_id, job_id)
        today = get_cooperative(session, cooperative_id).business_date
        actor = Actor(name=job.created_by, user_id=job.created_by_id)
        kinds = [ImportFileKind(f["kind"]) for f in job.files]
        pending = [f["status"] == FileStatus.pending for f in job.files]
    progress(job)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-check") as ahead:
        checked: dict[int, Future[bool]] = {
            i: ahead.submit(_check_ahead, db, cooperative_id, job_id, kind, today)
            for i, kind in enumerate(kinds)
            if pending[i]
        }
        try:
            job = _load_files(db, cooperative_id, job_id, kinds, today, actor, checked, progress)
        finally:
            for future in checked.values():
                future.cancel()
    if job.status != ImportStatus.running:
        return job
    return _finish(db, cooperative_id, job_id, progress)


def _load_files(
    db: Database,
    cooperative_id: uuid.UUID,
    job_id: uuid.UUID,
    kinds: list[ImportFileKind],
    today: date,
    actor: Actor,
    checked: dict[int, Future[bool]],
    progress: Callable[[ImportJob], None],
) -> ImportJob:
    job: ImportJob | None = None
    for index, kind in enumerate(kinds):
        with db.session(cooperative_id) as session:
            job = _locked(session, cooperative_id, job_id)
            if job.status != ImportStatus.running:
                return job
            entry = job.files[index]
            if entry["status"] != FileStatus.pending or index not in checked:
                continue
            content = _content(session, cooperative_id, job_id, kind)
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
                    status=FileStatus.loaded.value,
                    rows=outcome.rows,
                    loaded=outcome.loaded,
                    seconds=round(outcome.seconds, 3),
                    phases=outcome.phases,
                )
            except Refused as exc:
                o = exc.outcome
                entry.update(
                    status=FileStatus.refused.value, rows=o.rows, loaded=0, errors=o.error_count
                )
                refused = [
                    {"file": kind.value, "line": e.line, "reason": e.reason} for e in o.errors
                ]
                job.errors = (job.errors + refused)[:1000]
                job.error_count += o.error_count
            _changed(job)
            session.add(job)
        progress(job)
    assert job is not None
    return job


def _finish(
    db: Database,
    cooperative_id: uuid.UUID,
    job_id: uuid.UUID,
    progress: Callable[[ImportJob], None],
) -> ImportJob:
    with db.session(cooperative_id) as session:
        job = _locked(session, cooperative_id, job_id)
        if job.status == ImportStatus.running:
            job.suspense = suspense_balances(session, cooperative_id)
            job.status = (
                ImportStatus.succeeded
                if all(f["status"] == FileStatus.loaded for f in job.files)
                else ImportStatus.failed
            )
            job.finished_at = utcnow()
            _changed(job)
            session.add(job)
            events.emit(
                session,
                cooperative_id,
                EventType.import_finished,
                "import",
                job.id,
                {
                    "import_id": str(job.id),
                    "status": job.status,
                    "files": job.files,
                    "error_count": job.error_count,
                    "suspense": job.suspense,
                },
            )
    progress(job)
    return job


def fail(db: Database, cooperative_id: uuid.UUID, job_id: uuid.UUID, error: str) -> None:
    with db.session(cooperative_id) as session:
        job = _locked(session, cooperative_id, job_id)
        job.status = ImportStatus.failed
        job.error = error[:1000]
        job.finished_at = utcnow()
        session.add(job)


def launch(db: Database, cooperative_id: uuid.UUID, job_id: uuid.UUID) -> threading.Thread:
    """Run the job in a thread of the service (the request answers 202 at once)."""

    def run() -> None:
        try:
            execute(db, cooperative_id, job_id)
        except Exception as exc:
            log.exception("import %s stopped", job_id)
            fail(db, cooperative_id, job_id, f"{type(exc).__name__}: {exc}".splitlines()[0])

    thread = threading.Thread(target=run, name=f"import-{job_id}", daemon=True)
    thread.start()
    return thread


def resume_all(db: Database) -> list[threading.Thread]:
    """Jobs a stopped process left running go on from the first file not yet loaded."""
    with db.session(ALL_TENANTS) as session:
        jobs = [
            (j.cooperative_id, j.id)
            for j in session.exec(select(ImportJob).where(ImportJob.status == ImportStatus.running))
        ]
    return [launch(db, c, j) for c, j in jobs]
