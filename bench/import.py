"""Bulk import at scale: 100,000 members and 150,000 savings accounts (a cooperative the
size of a large COOPAC) loaded from CSV files as `coopac import` and POST .../imports load
them: COPY into a staging table, one set-based check, set-based inserts, the opening
balances posted in one entry per file.

    .venv/bin/python -u bench/import.py [--members 100000] [--accounts 150000] [--runs 3]

Each run loads a fresh database. Prints per file the rows, the seconds and rows per second,
and the run's rows per second over both files (the target: at least 20,000), then the
median over the runs, and that the ledger verifies.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import fresh_database, server_url  # noqa: E402

from coopac_core import main as _all_models  # noqa: E402,F401 - every table and step
from coopac_core.config import Settings  # noqa: E402
from coopac_core.db import ALL_TENANTS, Database, app_url, make_engine, migrate  # noqa: E402
from coopac_core.federation import service as federation  # noqa: E402
from coopac_core.federation.schemas import BranchCreate, CooperativeCreate  # noqa: E402
from coopac_core.imports import service as imports  # noqa: E402
from coopac_core.imports.models import ImportFileKind  # noqa: E402
from coopac_core.ledger import service as ledger  # noqa: E402
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
    for n in range(accounts):
        product = "AHV" if n % 4 else "AHVUSD"
        a.write(
            f"A{n:09d},{n % members + 1:08d},{product},{(n * 7919) % 500000 / 100:.2f},"
            f"2018-01-{1 + n % 28:02d}\n"
        )
    return {
        ImportFileKind.members: ("members.csv", m.getvalue().encode()),
        ImportFileKind.savings: ("savings.csv", a.getvalue().encode()),
    }


def one_run(members: int, accounts: int, data: dict[ImportFileKind, tuple[str, bytes]]) -> float:
    tmp = Path(tempfile.mkdtemp())
    owner = fresh_database(server_url(tmp), "coopac_import_bench")
    settings = Settings(database_url=owner.render_as_string(hide_password=False), data_dir=tmp)
    migrate(owner, settings)
    db = Database(owner, make_engine(app_url(owner, settings), settings, pool_size=4))
    system = Principal(name="bench")
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
            ctx = CoopContext(coop_id, system, frozenset({Role.accountant}))
            job = imports.start(session, ctx, data)
            job_id = job.id
        started = time.perf_counter()
        job = imports.execute(db, coop_id, job_id)
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
            report = ledger.verify(session, coop_id)
        print(f"  ledger verified: {report.ok} ({report.member_accounts_checked:,} accounts)")
        assert report.ok, report.problems[:5]
        return rate
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = files(args.members, args.accounts)
    rates = []
    for run in range(1, args.runs + 1):
        print(f"run {run}:")
        rates.append(one_run(args.members, args.accounts, data))
    median = statistics.median(rates)
    print(f"median: {median:,.0f} rows/s over {args.runs} runs (target 20,000): "
          f"{'met' if median >= 20_000 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
