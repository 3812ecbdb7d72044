"""Loading one file: COPY into a staging table, check every row in one set-based pass, and
only then insert, set-based, with the opening balances posted against the migration
suspense account in one entry. Each file is its own transaction: all of it, or nothing."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import text
from sqlmodel import Session

from coopac_core.channels import Channel
from coopac_core.imports.layouts import LAYOUTS, Layout, all_checks, day, num, reads_cooperative
from coopac_core.imports.models import ImportFileKind
from coopac_core.ledger.chart import SHARE_CAPITAL_GL, code_for
from coopac_core.ledger.models import EntryKind, JournalEntry
from coopac_core.loans.accounting import ACCRUED_INTEREST_GL, principal_gl_ids
from coopac_core.loans.schedule import (
    Frequency,
    Method,
    ScheduleRequest,
    build_schedule,
    due_dates,
)
from coopac_core.money import Currency

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


def _header(layout: Layout, content: str) -> list[str]:
    first = next(csv.reader(io.StringIO(content.split("\n", 1)[0])), [])
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


def _stage(session: Session, layout: Layout, content: str) -> int:
    names = _header(layout, content)
    cols = ", ".join(f"{c.name} text NOT NULL DEFAULT ''" for c in layout.columns)
    session.execute(
        text(
            "CREATE TEMP TABLE import_stage (line bigint GENERATED ALWAYS AS IDENTITY "
            f"(START WITH 2), {cols}) ON COMMIT DROP"
        )
    )
    listed = ", ".join(names)
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    try:
        with (
            raw.cursor() as cur,
            cur.copy(
                f"COPY import_stage ({listed}) FROM STDIN "
                f"WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL ({listed}))"
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


def _refusals(
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


def _entry(
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


# --- members ----------------------------------------------------------------------------

_MEMBERS = f"""
WITH ins AS (
    INSERT INTO member (cooperative_id, id, member_number, branch_id, is_member, document_type,
        document_number, first_names, last_names, legal_name, birth_date, sex, phone, email,
        address, ubigeo, occupation, status, applied_on, admitted_on, created_at)
    SELECT :c, gen_random_uuid(), s.member_number, b.id,
        lower(s.is_member) NOT IN ('false', 'no', '0'), s.document_type, s.document_number,
        nullif(s.first_names, ''), nullif(s.last_names, ''), nullif(s.legal_name, ''),
        {day("s.birth_date")}, nullif(s.sex, ''), nullif(s.phone, ''), nullif(s.email, ''),
        nullif(s.address, ''), nullif(s.ubigeo, ''), nullif(s.occupation, ''), 'active',
        coalesce({day("s.admitted_on")}, CAST(:today AS date)),
        coalesce({day("s.admitted_on")}, CAST(:today AS date)), now()
    FROM import_stage s
    LEFT JOIN branch b ON b.cooperative_id = :c AND b.code = nullif(s.branch_code, '')
    RETURNING id, is_member, admitted_on
), shares AS (
    -- a member holds share capital (a client does not): their account, empty until the
    -- shares file pays it in
    INSERT INTO share_account (cooperative_id, id, member_id, currency, balance,
        gl_account_id, status, opened_on, created_at)
    SELECT :c, gen_random_uuid(), ins.id, 'PEN', 0, :share_gl, 'active', ins.admitted_on, now()
    FROM ins WHERE ins.is_member
    RETURNING 1
)
SELECT count(*) FROM ins
"""

# member numbers given by the old system: the service's own go on after the largest
_MEMBER_COUNTER = """
INSERT INTO counter (cooperative_id, name, value)
SELECT :c, 'member', coalesce(max(member_number::bigint), 0) FROM import_stage
WHERE member_number ~ '^[0-9]{1,15}$'
ON CONFLICT (cooperative_id, name) DO UPDATE SET value = greatest(counter.value, EXCLUDED.value)
"""


def _load_members(session: Session, params: dict[str, Any], actor: Actor) -> int:
    share_gl = _gl_id(session, params["c"], code_for(SHARE_CAPITAL_GL, Currency.PEN))
    loaded = int(session.execute(text(_MEMBERS), {**params, "share_gl": share_gl}).scalar_one())
    session.execute(text(_MEMBER_COUNTER), params)
    return loaded


def _gl_id(session: Session, cooperative_id: uuid.UUID, code: str) -> uuid.UUID:
    found = session.execute(
        text("SELECT id FROM gl_account WHERE cooperative_id = :c AND code = :k"),
        {"c": cooperative_id, "k": code},
    ).scalar_one()
    return uuid.UUID(str(found))


# --- savings ----------------------------------------------------------------------------

# The accounts go in with their opening balances, and the same statement posts them: the
# posting trigger checks such an account instead of moving it a second time (migration
# 0031), which would rewrite every row.
_OPEN_SAVINGS = f"""
INSERT INTO savings_account (cooperative_id, id, number, member_id, product_id, currency,
    status, balance, held_amount, gl_account_id, opened_on, placed_on, maturity_date,
    placed_amount, rate, maturity_instruction, last_movement_on, created_at)
SELECT :c, gen_random_uuid(), s.account_number, m.id, p.id, p.currency, 'active',
    {num("s.balance")}, 0, p.gl_account_id, coalesce({day("s.opened_on")}, CAST(:today AS date)),
    CASE WHEN p.kind = 'term' THEN coalesce({day("s.opened_on")}, CAST(:today AS date)) END,
    CASE WHEN p.kind = 'term' THEN {day("s.maturity_date")} END,
    CASE WHEN p.kind = 'term' THEN {num("s.balance")} END,
    CASE WHEN p.kind = 'term' THEN {num("s.rate")} END,
    CASE WHEN p.kind = 'term' THEN 'renew' END,
    CAST(:today AS date), now()
FROM import_stage s
JOIN member m ON m.cooperative_id = :c AND m.member_number = s.member_number
JOIN savings_product p ON p.cooperative_id = :c AND p.code = s.product_code
RETURNING gl_account_id AS gl, currency, -balance AS amount, 'savings' AS kind, id AS account,
    balance AS after
"""

# The opening balances of one kind of member account (the rows of ``lines``), and the
# suspense account's counterpart per currency, in one statement: the entry balances in the
# trigger that checks it, which sees one statement's lines.
_POST = """
INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, account_kind,
    account_id, balance_after, business_date, value_date)
SELECT :c, :entry, gl, currency, amount, kind, account, after, :today, :today
FROM (
    SELECT gl, currency, amount, kind, account, after, 0 AS part FROM lines
    UNION ALL
    -- summed first, then joined: the planner cannot know how many lines there are
    SELECT g.id, t.currency, -t.amount, NULL, NULL, NULL, 1
    FROM (SELECT l.currency, sum(l.amount) AS amount FROM lines l GROUP BY l.currency) t
    JOIN gl_account g ON g.cooperative_id = :c
        AND g.code = CASE t.currency WHEN 'PEN' THEN :suspense_pen ELSE :suspense_usd END
) x
"""


def _post(session: Session, params: dict[str, Any], actor: Actor, lines: str, what: str) -> None:
    """The lines are worked out once, into a temporary table, then posted in one INSERT."""
    session.execute(text(f"CREATE TEMP TABLE import_post ON COMMIT DROP AS {lines}"), params)
    if not session.execute(text("SELECT EXISTS (SELECT 1 FROM import_post)")).scalar_one():
        return
    entry = _entry(session, params["c"], params["today"], actor, what)
    session.execute(
        text(f"WITH lines AS (SELECT * FROM import_post) {_POST}"),
        {**params, "entry": entry, **_suspense_codes()},
    )


def _suspense_codes() -> dict[str, str]:
    return {
        "suspense_pen": code_for(SUSPENSE_GL, Currency.PEN),
        "suspense_usd": code_for(SUSPENSE_GL, Currency.USD),
    }


def _load_savings(session: Session, params: dict[str, Any], actor: Actor) -> int:
    funded = session.execute(
        text(f"SELECT EXISTS (SELECT 1 FROM import_stage s WHERE {num('s.balance')} > 0)")
    ).scalar_one()
    if not funded:  # no entry: one without postings is refused
        return int(session.connection().execute(text(_OPEN_SAVINGS), params).rowcount)
    entry = _entry(session, params["c"], params["today"], actor, "cuentas de ahorro")
    opened = session.execute(
        text(
            f"WITH opened AS ({_OPEN_SAVINGS}), lines AS (SELECT * FROM opened "
            f"WHERE amount <> 0), posted AS ({_POST} RETURNING 1) SELECT count(*) FROM opened"
        ),
        {**params, "entry": entry, **_suspense_codes()},
    ).scalar_one()
    return int(opened)


# --- shares -----------------------------------------------------------------------------

_SHARE_LINES = f"""
SELECT h.gl_account_id AS gl, h.currency, -{num("s.paid_in")} AS amount,
    'share' AS kind, h.id AS account, {num("s.paid_in")} AS after
FROM import_stage s
JOIN member m ON m.cooperative_id = :c AND m.member_number = s.member_number
JOIN share_account h ON h.cooperative_id = :c AND h.member_id = m.id
WHERE {num("s.paid_in")} > 0
"""


def _load_shares(session: Session, params: dict[str, Any], actor: Actor) -> int:
    _post(session, params, actor, _SHARE_LINES, "aportaciones")
    return int(session.execute(text("SELECT count(*) FROM import_stage")).scalar_one())


# --- GL balances ------------------------------------------------------------------------

_GL_LINES = f"""
SELECT g.id AS gl, g.currency,
    coalesce({num("s.debit")}, 0) - coalesce({num("s.credit")}, 0) AS amount,
    NULL AS kind, NULL::uuid AS account, NULL::numeric AS after
FROM import_stage s
JOIN gl_account g ON g.cooperative_id = :c AND g.code = s.gl_code AND g.currency = s.currency
WHERE coalesce({num("s.debit")}, 0) - coalesce({num("s.credit")}, 0) <> 0
"""


def _load_gl_balances(session: Session, params: dict[str, Any], actor: Actor) -> int:
    _post(session, params, actor, _GL_LINES, "saldos contables")
    return int(session.execute(text("SELECT count(*) FROM import_stage")).scalar_one())


# --- loans ------------------------------------------------------------------------------

_LOAN_ROWS = f"""
SELECT s.line, s.loan_number, m.id AS member_id, p.id AS product_id, p.currency, p.method,
    p.frequency, p.gl_account_id, p.insurance_monthly_rate, p.moratory_tea,
    {num("s.amount")} AS amount, {day("s.disbursed_on")} AS disbursed_on,
    {num("s.tea")} AS tea, {num("s.outstanding_principal")} AS outstanding,
    s.remaining_installments::int AS remaining, {day("s.next_due_date")} AS next_due,
    coalesce(nullif(s.purpose, ''), 'other') AS purpose
FROM import_stage s
JOIN member m ON m.cooperative_id = :c AND m.member_number = s.member_number
JOIN loan_product p ON p.cooperative_id = :c AND p.code = s.product_code
ORDER BY s.line
"""


def _copy_rows(
    session: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """COPY ``rows`` into ``table``: through a temporary table of its shape, since COPY
    does not write into a table under row-level security; the INSERT that follows does,
    and the policies see it."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    listed = ", ".join(columns)
    staged = f"import_{table}"
    session.execute(
        text(f"CREATE TEMP TABLE {staged} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
    )
    with raw.cursor() as cur, cur.copy(f"COPY {staged} ({listed}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    session.execute(text(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {staged}"))


_LOAN_COLUMNS = [
    "cooperative_id", "id", "number", "member_id", "product_id", "currency", "amount", "tea",
    "term", "method", "frequency", "disbursement_date", "first_due_date", "terms", "purpose",
    "guarantee", "commission", "insurance_monthly_rate", "moratory_tea", "status", "balance",
    "gl_account_id", "accounting_status", "overdue_gl_account_id", "judicial_gl_account_id",
    "overdue_balance", "judicial_balance", "suspended_interest", "suspended_moratory",
    "days_past_due", "category", "debtor_category", "provision_generic", "provision_specific",
    "written_off_balance", "created_by", "created_by_id", "disbursed_on", "created_at",
]  # fmt: skip
_INSTALLMENT_COLUMNS = [
    "cooperative_id", "loan_id", "number", "due_date", "days", "principal", "interest",
    "fees", "insurance", "interest_accrued", "principal_paid", "interest_paid", "fees_paid",
    "insurance_paid", "moratory_due", "moratory_paid", "moratory_accrued",
]  # fmt: skip


def _load_loans(session: Session, params: dict[str, Any], actor: Actor) -> int:
    """Each loan's remaining schedule is built here, from its outstanding principal, TEA,
    remaining installments and oldest unpaid due date, by the same function as a new loan's.
    The installments already due carry their interest as accrued (receivable, 14x8) against
    the suspense account too: the old system earned it. A loan goes in with its outstanding
    principal, which the posting trigger then checks against the opening entry."""
    c, today = params["c"], params["today"]
    rows = session.execute(text(_LOAN_ROWS), params).mappings().all()
    errors: list[RowError] = []
    loans: list[tuple[Any, ...]] = []
    installments: list[tuple[Any, ...]] = []
    principal: list[tuple[uuid.UUID, uuid.UUID, str, Decimal]] = []
    accrued: dict[str, Decimal] = {}
    gl_ids: dict[str, list[uuid.UUID]] = {}
    for r in rows:
        frequency = Frequency(r["frequency"])
        if frequency is Frequency.dates:
            frequency = Frequency.monthly
        dates = due_dates(r["next_due"], r["remaining"], frequency)
        step = (dates[1] - dates[0]) if len(dates) > 1 else timedelta(days=30)
        try:
            schedule = build_schedule(
                ScheduleRequest(
                    amount=r["outstanding"],
                    tea=r["tea"],
                    disbursement_date=r["next_due"] - step,
                    dates=dates,
                    method=Method(r["method"]),
                    insurance_monthly_rate=r["insurance_monthly_rate"],
                )
            )
        except (ArithmeticError, ValueError) as exc:
            errors.append(RowError(int(r["line"]), f"cronograma imposible: {exc}"))
            continue
        loan_id = uuid.uuid4()
        currency = r["currency"]
        if currency not in gl_ids:
            gl_ids[currency] = principal_gl_ids(session, c, currency)
        overdue_gl, judicial_gl = gl_ids[currency]
        dpd = max(0, (today - r["next_due"]).days)
        terms = json.dumps({"imported": True, "outstanding_at_import": f"{r['outstanding']:.2f}"})
        loans.append(
            (c, loan_id, r["loan_number"], r["member_id"], r["product_id"], currency,
             r["amount"], r["tea"], len(dates), r["method"], frequency.value,
             r["disbursed_on"], r["next_due"], terms, r["purpose"], "none", 0,
             r["insurance_monthly_rate"], r["moratory_tea"], "active", r["outstanding"],
             r["gl_account_id"], "current", overdue_gl, judicial_gl, 0, 0, 0, 0, dpd,
             "normal", "normal", 0, 0, 0,
             actor.name, actor.user_id, r["disbursed_on"], "now")
        )  # fmt: skip
        for i in schedule.installments:
            due = i.due_date < today
            installments.append(
                (c, loan_id, i.number, i.due_date, i.days, i.principal, i.interest, i.fees,
                 i.insurance, i.interest if due else 0, 0, 0, 0, 0, 0, 0, 0)
            )  # fmt: skip
            if due and i.interest > 0:
                accrued[currency] = accrued.get(currency, Decimal(0)) + i.interest
        principal.append((loan_id, r["gl_account_id"], currency, r["outstanding"]))
    if errors:
        raise Refused(Outcome(rows=len(rows), errors=errors[:ERRORS_KEPT], error_count=len(errors)))
    _copy_rows(session, "loan", _LOAN_COLUMNS, loans)
    _copy_rows(session, "loan_installment", _INSTALLMENT_COLUMNS, installments)
    lines = [(gl, cur, amount, "loan", loan, amount) for loan, gl, cur, amount in principal]
    for currency, amount in accrued.items():
        gl = _gl_id(session, c, code_for(ACCRUED_INTEREST_GL, Currency(currency)))
        lines.append((gl, currency, amount, None, None, None))  # type: ignore[arg-type]
    if lines:
        session.execute(
            text(
                "CREATE TEMP TABLE import_lines (gl uuid, currency text, amount numeric, "
                "kind text, account uuid, after numeric) ON COMMIT DROP"
            )
        )
        _copy_temp(session, "import_lines", ["gl", "currency", "amount", "kind", "account",
                                             "after"], lines)  # fmt: skip
        _post(
            session,
            params,
            actor,
            "SELECT gl, currency, amount, kind, account, after FROM import_lines",
            "créditos",
        )
    return len(loans)


def _copy_temp(
    session: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


LOADERS: dict[ImportFileKind, Callable[[Session, dict[str, Any], Actor], int]] = {
    ImportFileKind.members: _load_members,
    ImportFileKind.savings: _load_savings,
    ImportFileKind.shares: _load_shares,
    ImportFileKind.loans: _load_loans,
    ImportFileKind.gl_balances: _load_gl_balances,
}


def _settings(session: Session) -> None:
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
        rows = _stage(session, layout, decode(content))
    except Refused:
        return False
    return _refusals(session, checks, {"today": today}, rows) is None


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
    rows = _stage(session, layout, decode(content))
    staged = time.monotonic()
    params = {"c": cooperative_id, "today": today}
    checks = all_checks(layout)
    if file_checked is not None:
        checks = [c for c in checks if reads_cooperative(c)]
    checked = started
    try:
        refused = _refusals(session, checks, params, rows)
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
        {"c": cooperative_id, **_suspense_codes()},
    ).all()
    return {str(cur): f"{Decimal(total):.2f}" for cur, total in rows}
