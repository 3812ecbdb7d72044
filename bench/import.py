"""Bulk import at scale: 100,000 members and 150,000 savings accounts (a cooperative the
size of a large COOPAC) loaded from CSV files as `coopac import` and POST .../imports load
them: COPY into a staging table, one set-based check, set-based inserts, the opening
balances posted in one entry per file.

    .venv/bin/python -u bench/import.py [--members 100000] [--accounts 150000] [--runs 3]

Each run loads a fresh database. A job is checked (loaded and undone), then approved by a
second person, when it loads in one transaction: the figure is the approval's. Prints the
check's seconds, per file the rows, the seconds and rows per second, and the run's rows
per second over the files (the target: at least 20,000), then the median over the runs,
and that the ledger verifies.

Since the machine's speed drifts between runs, each run also times its floor: the same
rows (members, share accounts, savings accounts, postings) inserted in one transaction
into bare copies of their tables (their indexes, no keys, row security or triggers), and
prints the import's time over it.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import fresh_database, server_url  # noqa: E402
from sqlalchemy import URL, create_engine, text  # noqa: E402

from coopac_core import main as _all_models  # noqa: E402,F401 - every table and step
from coopac_core.config import Settings  # noqa: E402
from coopac_core.db import ALL_TENANTS, Database, app_url, make_engine, migrate  # noqa: E402
from coopac_core.federation.schemas import BranchCreate, CooperativeCreate  # noqa: E402
from coopac_core.flows import founding as federation  # noqa: E402
from coopac_core.flows.verification import verify_books  # noqa: E402
from coopac_core.imports import service as imports  # noqa: E402
from coopac_core.imports.models import ImportFileKind  # noqa: E402
from coopac_core.savings import service as savings  # noqa: E402
from coopac_core.savings.schemas import SavingsProductCreate  # noqa: E402
from coopac_core.security.principal import CoopContext, Principal  # noqa: E402
from coopac_core.security.roles import Role  # noqa: E402


def files(members: int, accounts: int) -> dict[ImportFileKind, tuple[str, bytes]]:
    m = io.StringIO()
    m.write("member_number,document_type,document_number,first_names,last_names,birth_date,"
            "sex,phone,ubigeo,occupation,branch_code,admitted_on\n")  # fmt: skip
    born = date(1960, 1, 1)
    for n in range(members):
        m.write(
            f"{n + 1:08d},DNI,{40000000 + n:08d},Socia {n % 97},Mamani Quispe,"
            f"{born + timedelta(days=n % 12000)},{'FM'[n % 2]},9{n:08d},210101,agricultora,"
            f"{'PUNO' if n % 3 else 'JULIACA'},2015-03-{1 + n % 28:02d}\n"
        )
    a = io.StringIO()
    a.write("account_number,member_number,product_code,balance,opened_on\n")
    held = {"PEN": Decimal(0), "USD": Decimal(0)}
    for n in range(accounts):
        product = "AHV" if n % 4 else "AHVUSD"
        balance = Decimal((n * 7919) % 500000) / 100
        held["PEN" if n % 4 else "USD"] += balance
        a.write(
            f"A{n:09d},{n % members + 1:08d},{product},{balance:.2f},2018-01-{1 + n % 28:02d}\n"
        )
    # the old trial balance's other side, in banks: the suspense nets to zero
    gl = "gl_code,currency,debit,credit\n" + "".join(
        f"{code},{currency},{held[currency]:.2f},\n"
        for code, currency in (("1113", "PEN"), ("1123", "USD"))
    )
    return {
        ImportFileKind.members: ("members.csv", m.getvalue().encode()),
        ImportFileKind.savings: ("savings.csv", a.getvalue().encode()),
        ImportFileKind.gl_balances: ("gl_balances.csv", gl.encode()),
    }


_FLOOR_TABLES = (("member", "f_member"), ("share_account", "f_share"),
                 ("savings_account", "f_savings"), ("posting", "f_posting"))  # fmt: skip


def floor_seconds(owner: URL, coop_id: object) -> float:
    """The seconds to write the import's rows into bare copies of their tables."""
    engine = create_engine(owner)
    try:
        with engine.begin() as conn:
            for table, copy in _FLOOR_TABLES:
                conn.execute(
                    text(
                        f"CREATE TEMP TABLE src_{copy} AS SELECT * FROM {table} "
                        "WHERE cooperative_id = :c"
                    ),
                    {"c": coop_id},
                )
                conn.execute(
                    text(
                        f"CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS "
                        "INCLUDING IDENTITY INCLUDING INDEXES)"
                    )
                )
        with engine.begin() as conn:
            conn.execute(text("CHECKPOINT"))
        started = time.perf_counter()
        with engine.begin() as conn:
            for table, copy in _FLOOR_TABLES:
                columns = conn.execute(
                    text(
                        "SELECT string_agg(quote_ident(column_name), ', ') FROM "
                        "information_schema.columns WHERE table_name = :t "
                        "AND table_schema = 'public' AND is_identity = 'NO'"
                    ),
                    {"t": table},
                ).scalar_one()
                conn.execute(
                    text(f"INSERT INTO {copy} ({columns}) SELECT {columns} FROM src_{copy}")
                )
        return time.perf_counter() - started
    finally:
        with engine.begin() as conn:
            for _, copy in _FLOOR_TABLES:
                conn.execute(text(f"DROP TABLE IF EXISTS {copy}"))
        engine.dispose()


def one_run(
    members: int, accounts: int, data: dict[ImportFileKind, tuple[str, bytes]]
) -> tuple[float, float]:
    tmp = Path(tempfile.mkdtemp())
    owner = fresh_database(server_url(tmp), "coopac_import_bench")
    settings = Settings(database_url=owner.render_as_string(hide_password=False), data_dir=tmp)
    migrate(owner, settings)
    db = Database(owner, make_engine(app_url(owner, settings), settings, pool_size=4))
    system = Principal(name="bench")
    # four eyes: one person prepares the job, another approves it
    preparer = Principal(name="bench.contador", user_id=uuid.uuid4())
    approver = Principal(name="bench.gerente", user_id=uuid.uuid4())
    try:
        with db.session(ALL_TENANTS) as session:
            coop = federation.create_cooperative(
                session,
                system,
                CooperativeCreate(code="COOPBIG", name="Grande", ruc="20131312955", sbs_level="3"),
            )
            ctx = CoopContext(coop.id, system, frozenset({Role.federation_admin}))
            for code, ubigeo in (("PUNO", "210101"), ("JULIACA", "211101")):
                federation.create_branch(
                    session, ctx, BranchCreate(code=code, name=code.title(), ubigeo=ubigeo)
                )
            for code, currency in (("AHV", "PEN"), ("AHVUSD", "USD")):
                savings.create_product(
                    session,
                    ctx,
                    SavingsProductCreate(
                        code=code, name=code, kind="sight", currency=currency, tea=Decimal("0.01")
                    ),
                )
            coop_id = coop.id
        with db.session(coop_id) as session:
            ctx = CoopContext(coop_id, preparer, frozenset({Role.accountant}))
            job = imports.start(session, ctx, data)
            job_id = job.id
        started = time.perf_counter()
        job = imports.check(db, coop_id, job_id)
        checked = time.perf_counter() - started
        assert job.status == "awaiting_approval", (job.status, job.errors[:5], job.error)
        print(f"  check (loaded and undone): {checked:.2f} s")
        # a person approves it minutes later, by when autovacuum has cleared what the
        # check undid (a table of 100,000 dead rows is past its threshold at once)
        vacuum = create_engine(owner, isolation_level="AUTOCOMMIT")
        with vacuum.connect() as conn:
            conn.execute(text("VACUUM member, share_account, savings_account, posting"))
        vacuum.dispose()
        started = time.perf_counter()
        job = imports.approve(
            db, CoopContext(coop_id, approver, frozenset({Role.manager})), job_id, None
        )
        wall = time.perf_counter() - started
        assert job.status == "succeeded", (job.status, job.errors[:5], job.error)
        for f in job.files:
            print(
                f"  {f['kind']:<8} {f['rows']:>8,} rows in {f['seconds']:6.2f} s: "
                f"{f['rows'] / f['seconds']:>9,.0f} rows/s {f.get('phases')}"
            )
        rate = (members + accounts) / wall
        print(f"  job: {members + accounts:,} rows in {wall:.2f} s: {rate:,.0f} rows/s")
        with db.session(coop_id) as session:
            report = verify_books(session, coop_id)
        print(f"  ledger verified: {report.ok} ({report.member_accounts_checked:,} accounts)")
        assert report.ok, report.problems[:5]
        floor = floor_seconds(owner, coop_id)
        print(
            f"  floor: the same rows into bare tables in {floor:.2f} s; "
            f"the import took {wall / floor:.2f} times that"
        )
        return rate, wall / floor
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = files(args.members, args.accounts)
    rates, ratios = [], []
    for run in range(1, args.runs + 1):
        print(f"run {run}:")
        rate, ratio = one_run(args.members, args.accounts, data)
        rates.append(rate)
        ratios.append(ratio)
    median = statistics.median(rates)
    print(f"median: {median:,.0f} rows/s over {args.runs} runs (target 20,000): "
          f"{'met' if median >= 20_000 else 'NOT met'}; "
          f"{statistics.median(ratios):.2f} times the floor")  # fmt: skip


if __name__ == "__main__":
    main()
