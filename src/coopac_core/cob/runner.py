"""Where runs are done: a thread of the service process per run. A run left running by a
process that died (kill -9, a restart) is picked up when the service starts again or on the
next POST; the run's advisory lock lets only one process do it."""

from __future__ import annotations

import logging
import threading
import uuid

from sqlmodel import select

from coopac_core.cob import execution, service
from coopac_core.cob.models import CobRun, RunStatus
from coopac_core.db import ALL_TENANTS, Database

log = logging.getLogger(__name__)


def launch(
    db: Database, cooperative_id: uuid.UUID, run_id: uuid.UUID, chunk: int = service.CHUNK
) -> threading.Thread:
    thread = threading.Thread(
        target=_run,
        args=(db, cooperative_id, run_id, chunk),
        name=f"cob-{run_id}",
        daemon=True,
    )
    thread.start()
    return thread


def _run(db: Database, cooperative_id: uuid.UUID, run_id: uuid.UUID, chunk: int) -> None:
    try:
        execution.execute(db, cooperative_id, run_id, chunk=chunk)
    except Exception:  # the run records its own failure; this is the thread's last word
        log.exception("close of business %s stopped", run_id)


def resume_all(db: Database, chunk: int = service.CHUNK) -> list[threading.Thread]:
    """Every run still marked running, in every cooperative."""
    with db.session(ALL_TENANTS) as session:
        runs = [
            (r.cooperative_id, r.id)
            for r in session.exec(select(CobRun).where(CobRun.status == RunStatus.running))
        ]
    return [launch(db, cooperative_id, run_id, chunk) for cooperative_id, run_id in runs]
