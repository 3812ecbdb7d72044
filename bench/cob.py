"""Close of business at scale: one cooperative with 1,000,000 sight accounts, 100,000 term
deposits and 200,000 active loans, a tenth of them in arrears (loaded with COPY); then the
first day (which catches up what the loaded loans had not accrued nor been classified for),
one ordinary day and one month-end day closed.

    .venv/bin/python bench/cob.py [--accounts 1000000] [--terms 100000] [--loans 200000]
                                  [--chunk 10000] [--workers 2]

Prints, per day: wall time, accrual rows per second, PostgreSQL CPU seconds (every postgres
process on the machine: the server is this run's alone) and the run's peak memory (the
Python process's resident set, sampled). Targets on a 2-core machine: an ordinary day
under 30 s, a month-end day under 90 s.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psutil
from sqlalchemy import event, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import fresh_database, server_url  # noqa: E402

from coopac_core import main as _all_models  # noqa: E402,F401 - every product and its tables
from coopac_core.cob import execution, schedule  # noqa: E402
from coopac_core.cob import service as cob  # noqa: E402
from coopac_core.config import Settings  # noqa: E402
from coopac_core.db import ALL_TENANTS, Database, app_url, make_engine, migrate  # noqa: E402
from coopac_core.federation.schemas import BranchCreate, CooperativeCreate  # noqa: E402
from coopac_core.flows import founding as federation  # noqa: E402
from coopac_core.flows.verification import verify_books  # noqa: E402
from coopac_core.ledger import service as ledger  # noqa: E402
from coopac_core.loans import service as loan_service  # noqa: E402
from coopac_core.loans.classification import CreditType  # noqa: E402
from coopac_core.loans.schemas import LoanProductCreate  # noqa: E402
from coopac_core.money import Currency  # noqa: E402
from coopac_core.savings import service as savings  # noqa: E402
from coopac_core.savings.schemas import SavingsProductCreate  # noqa: E402
from coopac_core.security.principal import CoopContext, Principal  # noqa: E402
from coopac_core.security.roles import Role  # noqa: E402


def postgres_cpu() -> dict[int, float]:
    out = {}
    for p in psutil.process_iter(["name"]):
        if p.info["name"] == "postgres":
            try:
                t = p.cpu_times()
                out[p.pid] = t.user + t.system
            except psutil.Error:
                pass
    return out


class PeakRss:
    """The process's resident set, sampled every 50 ms while the block runs."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._proc = psutil.Process()

    def __enter__(self) -> PeakRss:
        self.peak = self._proc.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def load(
    db: Database, owner_engine: object, accounts: int, terms: int, loans: int
) -> tuple[uuid.UUID, date]:
    """The cooperative, its products, members and accounts; balances set by one entry."""
    lima = datetime.now(ZoneInfo("America/Lima")).date()
    month_end = lima.replace(day=1) - timedelta(days=1)  # last month's last day
    start = month_end - timedelta(days=2)  # the first day, an ordinary day, the month's end
    system = Principal(name="bench")
    with db.session(ALL_TENANTS) as session:
        coop = federation.create_cooperative(
            session,
            system,
            CooperativeCreate(
                code="COOPBIG",
                name="Cooperativa grande",
                ruc="20131312955",
                sbs_level="3",
                business_date=start,
            ),
        )
        ctx = CoopContext(coop.id, system, frozenset({Role.federation_admin}))
        federation.create_branch(
            session, ctx, BranchCreate(code="PUNO", name="Agencia Puno", ubigeo="210101")
        )
        sight = savings.create_product(
            session,
            ctx,
            SavingsProductCreate(
                code="AHV", name="Ahorro", kind="sight", currency="PEN", tea=Decimal("0.015")
            ),
        )
        term = savings.create_product(
            session,
            ctx,
            SavingsProductCreate(
                code="PF180",
                name="Plazo fijo",
                kind="term",
                currency="PEN",
                tea=Decimal("0.06"),
                term_days=180,
            ),
        )
        credit = loan_service.create_product(
            session,
            ctx,
            LoanProductCreate(
                code="CONSUMO",
                name="Consumo",
                credit_type=CreditType.consumo_no_revolvente,
                currency=Currency.PEN,
                tea_min=Decimal("0.10"),
                tea_max=Decimal("0.40"),
                amount_min=Decimal("100"),
                amount_max=Decimal("50000"),
                term_min=1,
                term_max=36,
                moratory_tea=Decimal("0.12"),
            ),
        )
        coop_id, sight_id, term_id = coop.id, sight.id, term.id
        sight_gl, term_gl = sight.gl_account_id, term.gl_account_id
        loan_product, loan_gl = credit.id, credit.gl_account_id
        overdue_gl, judicial_gl = (
            ledger.gl_account_for(session, coop_id, t, "PEN").id for t in ("14{c}5", "14{c}6")
        )
    raw = owner_engine.raw_connection()  # type: ignore[attr-defined]
    try:
        cur = raw.cursor()
        total = accounts + terms
        t0 = time.perf_counter()
        with cur.copy(
            "COPY member (cooperative_id, id, member_number, is_member, document_type, "
            "document_number, first_names, last_names, status, applied_on, admitted_on) "
            "FROM STDIN"
        ) as copy:
            for n in range(total):
                copy.write_row(
                    (coop_id, uuid.uuid4(), f"{n:08d}", True, "DNI", f"{40000000 + n:08d}",
                     "Socia", "Grande", "active", start, start)
                )  # fmt: skip
        cur.execute("SELECT id, member_number FROM member WHERE cooperative_id = %s", (coop_id,))
        members = sorted(cur.fetchall(), key=lambda r: r[1])
        with cur.copy(
            "COPY savings_account (cooperative_id, id, number, member_id, product_id, currency, "
            "status, balance, held_amount, gl_account_id, opened_on, placed_on, maturity_date, "
            "placed_amount, rate) "
            "FROM STDIN"
        ) as copy:
            for n, (member_id, number) in enumerate(members):
                is_term = n >= accounts
                placed = start - timedelta(days=n % 170) if is_term else None
                copy.write_row(
                    (coop_id, uuid.uuid4(), f"2{number}{int(is_term)}", member_id,
                     term_id if is_term else sight_id, "PEN", "active", 0, 0,
                     term_gl if is_term else sight_gl, placed or start, placed,
                     placed + timedelta(days=180) if placed else None,
                     Decimal("1000.00") if is_term else None,
                     Decimal("0.06") if is_term else None)
                )  # fmt: skip
        # every balance from one entry (the posting trigger sets them)
        cur.execute(
            "WITH e AS (INSERT INTO journal_entry (cooperative_id, id, kind, business_date, "
            "value_date, description, actor_name) VALUES (%(c)s, gen_random_uuid(), 'deposit', "
            "%(d)s, %(d)s, 'Saldos iniciales', 'bench') RETURNING cooperative_id, id) "
            "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
            "account_kind, account_id, balance_after, business_date, value_date) "
            "SELECT e.cooperative_id, e.id, a.gl_account_id, 'PEN', -1000.00, 'savings', a.id, "
            "1000.00, %(d)s, %(d)s FROM e JOIN savings_account a "
            "ON a.cooperative_id = e.cooperative_id "
            "UNION ALL SELECT e.cooperative_id, e.id, g.id, 'PEN', 1000.00 * %(n)s, NULL, NULL, "
            "NULL, %(d)s, %(d)s FROM e JOIN gl_account g ON g.cooperative_id = e.cooperative_id "
            "AND g.code = '1111.PUNO'",
            {"c": coop_id, "d": start, "n": total},
        )
        raw.commit()
        _load_loans(
            cur, coop_id, [m for m, _ in members[:loans]], start, loan_product,
            (loan_gl, overdue_gl, judicial_gl),
        )  # fmt: skip
        raw.commit()
        print(f"loaded {accounts:,} sight accounts, {terms:,} term deposits and {loans:,} loans "
              f"in {time.perf_counter() - t0:.1f} s")  # fmt: skip
    finally:
        raw.close()
    with owner_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # type: ignore[attr-defined]
        conn.execute(text("VACUUM ANALYZE"))
    return coop_id, start


def _load_loans(
    cur: Any,
    coop_id: uuid.UUID,
    borrowers: list[uuid.UUID],
    start: date,
    product_id: uuid.UUID,
    gls: tuple[uuid.UUID, uuid.UUID, uuid.UUID],
) -> None:
    """S/ 1,200 in 12 installments of 30 days, paid out up to 330 days before ``start``:
    nine in ten paid up to date, one in ten paying nothing since it was paid out. Their
    balances are set by one entry, as a disbursement's would."""
    loan_gl, overdue_gl, judicial_gl = gls
    zero = Decimal("0.00")
    ids = [uuid.uuid4() for _ in borrowers]
    with cur.copy(
        "COPY loan (cooperative_id, id, number, member_id, product_id, currency, amount, tea, "
        "term, method, frequency, disbursement_date, terms, purpose, guarantee, commission, "
        "insurance_monthly_rate, moratory_tea, status, balance, gl_account_id, created_by, "
        "disbursed_on, accounting_status, overdue_gl_account_id, judicial_gl_account_id, "
        "overdue_balance, judicial_balance, suspended_interest, suspended_moratory, "
        "days_past_due, category, debtor_category, provision_generic, provision_specific, "
        "written_off_balance) FROM STDIN"
    ) as copy:
        for n, (loan_id, member_id) in enumerate(zip(ids, borrowers, strict=True)):
            paid_out = start - timedelta(days=n % 330)
            copy.write_row(
                (coop_id, loan_id, f"5{n:09d}", member_id, product_id, "PEN", Decimal("1200"),
                 Decimal("0.24"), 12, "french", "monthly", paid_out, "{}", "consumption", "none",
                 zero, zero, Decimal("0.12"), "active", zero, loan_gl, "bench", paid_out,
                 "current", overdue_gl, judicial_gl, zero, zero, zero, zero, 0, "normal",
                 "normal", zero, zero, zero)
            )  # fmt: skip
    principal, interest = Decimal("100.00"), Decimal("12.00")
    with cur.copy(
        "COPY loan_installment (cooperative_id, loan_id, number, due_date, days, principal, "
        "interest, fees, insurance, principal_paid, interest_paid, fees_paid, insurance_paid, "
        "interest_accrued, moratory_due, moratory_accrued, moratory_paid, paid_on) FROM STDIN"
    ) as copy:
        for n, loan_id in enumerate(ids):
            paid_out = start - timedelta(days=n % 330)
            in_arrears = n % 10 == 0
            for k in range(1, 13):
                due = paid_out + timedelta(days=30 * k)
                paid = due <= start and not in_arrears
                copy.write_row(
                    (coop_id, loan_id, k, due, 30, principal, interest, zero, zero,
                     principal if paid else zero, interest if paid else zero, zero, zero,
                     interest if paid else zero, zero, zero, zero, due if paid else None)
                )  # fmt: skip
    cur.execute(
        "WITH e AS (INSERT INTO journal_entry (cooperative_id, id, kind, business_date, "
        "value_date, description, actor_name) VALUES (%(c)s, gen_random_uuid(), "
        "'loan_disbursement', %(d)s, %(d)s, 'Créditos iniciales', 'bench') "
        "RETURNING cooperative_id, id), "
        "owed AS (SELECT l.id, sum(i.principal - i.principal_paid) AS balance FROM loan l "
        "JOIN loan_installment i ON i.cooperative_id = l.cooperative_id AND i.loan_id = l.id "
        "WHERE l.cooperative_id = %(c)s GROUP BY l.id) "
        "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
        "account_kind, account_id, balance_after, business_date, value_date) "
        "SELECT e.cooperative_id, e.id, %(gl)s, 'PEN', o.balance, 'loan', o.id, o.balance, "
        "%(d)s, %(d)s FROM e CROSS JOIN owed o "
        "UNION ALL SELECT e.cooperative_id, e.id, g.id, 'PEN', -(SELECT sum(balance) FROM owed), "
        "NULL, NULL, NULL, %(d)s, %(d)s FROM e JOIN gl_account g "
        "ON g.cooperative_id = e.cooperative_id AND g.code = '1111.PUNO'",
        {"c": coop_id, "d": start, "gl": loan_gl},
    )


class StepTimes:
    """Each step's wall time through the day: from its first chunk's start to its last
    chunk's end (a parallel step's spans overlap)."""

    def __init__(self) -> None:
        self.spans: dict[str, list[float]] = {}
        self.saved = schedule.STEPS

    def __enter__(self) -> StepTimes:
        schedule.STEPS = tuple(
            replace(step, run_chunk=self._timed(step.name, step.run_chunk)) for step in self.saved
        )
        return self

    def __exit__(self, *exc: object) -> None:
        schedule.STEPS = self.saved

    def _timed(self, name: str, work: Any) -> Any:
        def run(*args: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return work(*args)
            finally:
                span = self.spans.setdefault(name, [t0, t0])
                span[0], span[1] = min(span[0], t0), max(span[1], time.perf_counter())

        return run

    def wall(self, name: str) -> float:
        start, end = self.spans.get(name, [0.0, 0.0])
        return end - start


class StatementTimes:
    """Where the database time of the run goes, by statement (first words)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.totals: dict[str, list[float]] = {}

    def __enter__(self) -> StatementTimes:
        event.listen(self.db.engine, "before_cursor_execute", self._before)
        event.listen(self.db.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.db.engine, "before_cursor_execute", self._before)
        event.remove(self.db.engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["bench_t0"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        key = " ".join(statement.split())[:70]
        entry = self.totals.setdefault(key, [0.0, 0])
        entry[0] += time.perf_counter() - conn.info.pop("bench_t0", time.perf_counter())
        entry[1] += 1

    def report(self, top: int = 6) -> None:
        ranked = sorted(self.totals.items(), key=lambda kv: -kv[1][0])[:top]
        for key, (seconds, count) in ranked:
            print(f"    {seconds:7.2f} s {int(count):6d}x  {key}")


def close_one_day(db: Database, coop_id: uuid.UUID, chunk: int, workers: int, label: str) -> None:
    with db.session(coop_id) as session:
        ctx = CoopContext(coop_id, Principal(name="bench"), frozenset({Role.manager}))
        run = cob.start_run(session, ctx, 1, workers=workers)
        run_id, day = run.id, run.business_date_from
    with db.session(coop_id) as session:
        before_rows = session.execute(
            text("SELECT count(*) FROM savings_accrual WHERE cooperative_id = :c"), {"c": coop_id}
        ).scalar_one()
        loans = session.execute(
            text("SELECT count(*) FROM loan WHERE cooperative_id = :c AND status = 'active'"),
            {"c": coop_id},
        ).scalar_one()
    pg_before = postgres_cpu()
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    with PeakRss() as rss, StatementTimes(db) as statements, StepTimes() as step_times:
        status = execution.execute(db, coop_id, run_id, chunk=chunk)
    wall = time.perf_counter() - t0
    py_cpu = time.process_time() - cpu0
    pg_after = postgres_cpu()
    pg_cpu = sum(v - pg_before.get(pid, 0.0) for pid, v in pg_after.items())
    with db.session(coop_id) as session:
        run = cob.get_run(session, coop_id, run_id)
        steps = cob.summarise(cob.run_steps(session, run))
        rows = (
            session.execute(
                text("SELECT count(*) FROM savings_accrual WHERE cooperative_id = :c"),
                {"c": coop_id},
            ).scalar_one()
            - before_rows
        )
    print(f"\n{label} ({day}): {status} in {wall:.1f} s wall")
    print(f"  accrual rows {rows:,}: {rows / wall:,.0f} rows/s over the whole run")
    print(f"  active loans {loans:,}: {loans / wall:,.0f} loans/s over the whole run")
    print(f"  PostgreSQL CPU {pg_cpu:.1f} s, Python CPU {py_cpu:.1f} s")
    print(f"  peak resident memory of the run's process {rss.peak / 2**20:.0f} MiB")
    for s in steps:
        print(
            f"  {s.name:<26} {s.status:<10} {s.processed:>10,} / {s.total:<10,} "
            f"{step_times.wall(s.name):6.1f} s"
        )
    if run.error:
        print(f"  error: {run.error}")
    print("  database time by statement:")
    statements.report()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--terms", type=int, default=100_000)
    parser.add_argument("--loans", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=cob.CHUNK)
    parser.add_argument("--workers", type=int, default=cob.WORKERS)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coopac-cob-"))
    owner = fresh_database(server_url(tmp), "coopac_cob_bench")
    settings = Settings(
        database_url=owner.render_as_string(hide_password=False),
        data_dir=tmp,
        secret_key=secrets.token_urlsafe(48),  # type: ignore[arg-type]
        log_level="WARNING",
    )
    migrate(owner, settings)
    db = Database(owner, make_engine(app_url(owner, settings), settings, pool_size=8))
    from sqlalchemy import create_engine

    owner_engine = create_engine(owner)
    coop_id, _ = load(db, owner_engine, args.accounts, args.terms, args.loans)
    print(f"chunks of {args.chunk:,} accounts, {args.workers} connections per parallel step")
    close_one_day(db, coop_id, args.chunk, args.workers, "first day (loaded loans catch up)")
    close_one_day(db, coop_id, args.chunk, args.workers, "ordinary day")
    close_one_day(db, coop_id, args.chunk, args.workers, "month-end day")
    t0 = time.perf_counter()
    with db.session(coop_id) as session:
        report = verify_books(session, coop_id)
    print(f"\nverify-ledger: {'ok' if report.ok else 'FAILED'} in {time.perf_counter() - t0:.1f} s")
    for problem in report.problems[:20]:
        print(f"  {problem}")
    db.dispose()
    owner_engine.dispose()


if __name__ == "__main__":
    main()
