"""A file on its way in: decoded, COPYed into a staging table, its rows checked in one
set-based pass; what is refused, and the entry its opening balances post."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
from sqlalchemy import text
from sqlmodel import Session

from coopac_core.channels import Channel
from coopac_core.imports.layouts import Layout
from coopac_core.ledger.models import EntryKind, JournalEntry

# how many refused rows a job keeps (all are counted)
ERRORS_KEPT = 1000
SUSPENSE_GL = "19{c}8"  # the chart's migration suspense account (ledger.chart)


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class Outcome:
    rows: int = 0
    loaded: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    seconds: float = 0.0
    # where the time went: staging, checking, loading
    phases: dict[str, float] = field(default_factory=dict)


class Refused(Exception):
    """A file with a bad row: its transaction rolls back, nothing of it stays."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(f"{outcome.error_count} rows refused")
        self.outcome = outcome


class Unchecked(Exception):
    """A file loaded before its own checks answered, and they refuse it: roll it back and
    check it whole."""


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: uuid.UUID | None


def decode(content: bytes) -> str:
    """UTF-8 (with or without a BOM); else Windows-1252, what older Peruvian systems write."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


# What separates a file's columns: the one its header line uses most (a spreadsheet in a
# Peruvian locale saves with semicolons; a database export may use tabs).
SEPARATORS = (",", ";", "\t")


def separator(content: str) -> str:
    first = content.split("\n", 1)[0]
    return max(SEPARATORS, key=first.count)  # none at all (one column): the comma


def _header(layout: Layout, content: str) -> list[str]:
    first = next(
        csv.reader(io.StringIO(content.split("\n", 1)[0]), delimiter=separator(content)), []
    )
    names = [n.strip().lower() for n in first]
    known = set(layout.names())
    problems = [f"columna desconocida: {n}" for n in names if n not in known]
    problems += [
        f"falta la columna {c.name}" for c in layout.columns if c.required and c.name not in names
    ]
    if len(set(names)) != len(names):
        problems.append("columna repetida")
    if problems:
        raise Refused(Outcome(errors=[RowError(1, p) for p in problems], error_count=len(problems)))
    return names


def stage(session: Session, layout: Layout, content: str) -> int:
    names = _header(layout, content)
    cols = ", ".join(f"{c.name} text NOT NULL DEFAULT ''" for c in layout.columns)
    session.execute(
        text(
            "CREATE TEMP TABLE import_stage (line bigint GENERATED ALWAYS AS IDENTITY "
            f"(START WITH 2), {cols}) ON COMMIT DROP"
        )
    )
    listed = ", ".join(names)
    delimiter = "E'\\t'" if separator(content) == "\t" else f"'{separator(content)}'"
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    try:
        with (
            raw.cursor() as cur,
            cur.copy(
                f"COPY import_stage ({listed}) FROM STDIN "
                f"WITH (FORMAT csv, HEADER true, DELIMITER {delimiter}, "
                f"FORCE_NOT_NULL ({listed}))"
            ) as copy,
        ):
            data = content.encode()
            for start in range(0, len(data), 1 << 20):
                copy.write(data[start : start + (1 << 20)])
    except psycopg.errors.DataError as exc:
        # a malformed row: PostgreSQL names its line ("COPY import_stage, line 7: ...")
        where = (exc.diag.context or "").split("line ", 1)
        line = int(where[1].split(":")[0].split(",")[0]) if len(where) > 1 else 0
        raise Refused(
            Outcome(
                errors=[RowError(line, f"CSV mal formado: {exc.diag.message_primary}")],
                error_count=1,
            )
        ) from None
    # the planner's statistics of the file, for the load's joins (a sample of a tenth
    # of the size made worse plans than the time it saved)
    session.execute(text("ANALYZE import_stage"))
    return int(session.execute(text("SELECT count(*) FROM import_stage")).scalar_one())


def refusals(
    session: Session, checks: list[tuple[str, str]], params: dict[str, Any], rows: int
) -> Refused | None:
    """The staged rows that fail ``checks``, each with its line and reason."""
    if not checks:
        return None
    cases = ",\n".join(f"CASE WHEN {cond} THEN {reason} END" for cond, reason in checks)
    # each row's reasons as one array, and only the rows with one unnested: a clean file
    # (the usual case) then never multiplies its rows by its checks
    found = session.execute(
        text(
            "SELECT line, reason, count(*) OVER () AS total FROM ("
            "SELECT x.line, unnest(x.reasons) AS reason FROM ("
            f"SELECT s.line, ARRAY[{cases}] AS reasons FROM import_stage s"
            ") x WHERE num_nonnulls(VARIADIC x.reasons) > 0"
            ") y WHERE reason IS NOT NULL ORDER BY line LIMIT :kept"
        ),
        {**params, "kept": ERRORS_KEPT},
    ).all()
    if not found:
        return None
    return Refused(
        Outcome(
            rows=rows,
            errors=[RowError(int(r.line), str(r.reason)) for r in found],
            error_count=int(found[0].total),
        )
    )


def opening_entry(
    session: Session, cooperative_id: uuid.UUID, today: date, actor: Actor, what: str
) -> uuid.UUID:
    entry = JournalEntry(
        cooperative_id=cooperative_id,
        kind=EntryKind.opening_balance,
        business_date=today,
        value_date=today,
        description=f"Saldos iniciales de la migración: {what}",
        actor_user_id=actor.user_id,
        actor_name=actor.name,
        channel=Channel.batch,
    )
    session.add(entry)
    session.flush()
    return entry.id


def copy_temp(
    session: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
