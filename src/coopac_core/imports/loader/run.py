"""One file's import, all of it or nothing: its checks, its loader, the suspense account's
balances after it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.imports.layouts import LAYOUTS, all_checks, reads_cooperative
from coopac_core.imports.loader.accounts import (
    load_gl_balances,
    load_members,
    load_savings,
    load_shares,
    suspense_codes,
)
from coopac_core.imports.loader.loans import load_loans
from coopac_core.imports.loader.staging import (
    Actor,
    Outcome,
    Refused,
    Unchecked,
    decode,
    refusals,
    stage,
)
from coopac_core.imports.models import ImportFileKind

LOADERS: dict[ImportFileKind, Callable[[Session, dict[str, Any], Actor], int]] = {
    ImportFileKind.members: load_members,
    ImportFileKind.savings: load_savings,
    ImportFileKind.shares: load_shares,
    ImportFileKind.loans: load_loans,
    ImportFileKind.gl_balances: load_gl_balances,
}


# A file's working tables: a job's files load in one transaction, each from its own.
_WORKING = ("import_stage", "import_post", "import_lines")


def _settings(session: Session) -> None:
    session.execute(text(f"DROP TABLE IF EXISTS {', '.join(f'pg_temp.{t}' for t in _WORKING)}"))
    # the checks sort and hash a whole file: in memory, not on disk
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    # compiling the checks' wide expressions costs more than it saves on one pass
    session.execute(text("SET LOCAL jit = off"))


def check_file(session: Session, kind: ImportFileKind, content: bytes, today: date) -> bool:
    """Stage a file and run the checks that read the file alone (formats, ranges, repeats
    within it): whether it passes them. A job runs this on a second connection while the
    first loads the file (or the one before it), so that the loading transaction only runs
    the checks that read the cooperative's rows. Nothing is written."""
    _settings(session)
    layout = LAYOUTS[kind]
    checks = [c for c in all_checks(layout) if not reads_cooperative(c)]
    try:
        rows = stage(session, layout, decode(content))
    except Refused:
        return False
    return refusals(session, checks, {"today": today}, rows) is None


def load(
    session: Session,
    cooperative_id: uuid.UUID,
    kind: ImportFileKind,
    content: bytes,
    today: date,
    actor: Actor,
    file_checked: Callable[[], bool] | None = None,
) -> Outcome:
    """Stage, check and load one file in the caller's transaction; ``Refused`` if any row
    is bad (the caller rolls the transaction back).

    ``file_checked`` answers, waiting if need be, whether ``check_file`` (running on
    another connection) passed on these bytes. Then only the checks that read the
    cooperative's rows run here, and the file loads while that answer is awaited: it is
    asked for before the load is kept. A file that failed it raises ``Unchecked``, and the
    caller rolls back and loads it again without ``file_checked``, so that its refusal
    names every bad row at once."""
    started = time.monotonic()
    _settings(session)
    layout = LAYOUTS[kind]
    rows = stage(session, layout, decode(content))
    staged = time.monotonic()
    params = {"c": cooperative_id, "today": today}
    checks = all_checks(layout)
    if file_checked is not None:
        checks = [c for c in checks if reads_cooperative(c)]
    checked = started
    try:
        refused = refusals(session, checks, params, rows)
        if refused is not None:
            raise refused
        checked = time.monotonic()
        loaded = LOADERS[kind](session, params, actor)
        session.flush()
    except Exception:
        # a row the file's own checks refuse may fail a statement here (a NULL where a
        # number did not read): what was wrong is theirs to say
        if file_checked is not None and not file_checked():
            raise Unchecked() from None
        raise
    if file_checked is not None and not file_checked():
        raise Unchecked()
    done = time.monotonic()
    return Outcome(
        rows=rows,
        loaded=loaded,
        seconds=done - started,
        phases={
            "stage": round(staged - started, 3),
            "check": round(checked - staged, 3),
            "load": round(done - checked, 3),
        },
    )


def suspense_balances(session: Session, cooperative_id: uuid.UUID) -> dict[str, str]:
    """The migration suspense account's balance per currency, from its postings."""
    rows = session.execute(
        text(
            "SELECT g.currency, coalesce(sum(p.amount), 0) FROM gl_account g "
            "LEFT JOIN posting p ON p.cooperative_id = g.cooperative_id "
            "AND p.gl_account_id = g.id "
            "WHERE g.cooperative_id = :c AND g.code IN (:suspense_pen, :suspense_usd) "
            "GROUP BY g.currency"
        ),
        {"c": cooperative_id, **suspense_codes()},
    ).all()
    return {str(cur): f"{Decimal(total):.2f}" for cur, total in rows}
