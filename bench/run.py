"""Posting benchmark: the service against PostgreSQL's own ceiling, on the same machine.

    .venv/bin/python bench/run.py [--runs 3] [--clients 32] [--seconds 15] [--workers 2]

In one run, on the same PostgreSQL (COOPAC_BENCH_DATABASE_URL, else 127.0.0.1:5432 as
postgres, else the embedded server):
1. pgbench TPC-B-like transactions per second with the same number of clients, and the
   same transaction behind uvicorn + FastAPI + SQLAlchemy with the same workers and load
   generator (bench/floor_app.py): the ceiling of the stack itself, before any banking rule;
2. the service started as in production (`coopac serve --workers N`), driven with real HTTP
   deposits and transfers (Idempotency-Key on each) over 10,000 accounts, deposits spread
   over 20 branches' cash accounts, for a fixed time;
3. the same with every deposit through one branch's cash account (the hot account);
4. the spread workload again, paced at half the rate of 2, for latency at a sane load.
It prints postings per second, p50/p95/p99 latency, the ratios API/pgbench, floor/pgbench,
API/floor and hot/spread,
and the service's peak memory (RSS of all its processes); with --runs > 1, medians too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coopac_core.db import start_embedded, to_sqlalchemy_url  # noqa: E402

ACCOUNTS = 10_000
BRANCHES = 20
PASSWORD = "bench-password-123"
FIRST_PASSWORD = "bench-first-password-456"


# --- PostgreSQL -------------------------------------------------------------------------


def server_url(tmp: Path) -> URL:
    env = os.environ.get("COOPAC_BENCH_DATABASE_URL")
    if env:
        return to_sqlalchemy_url(env)
    local = to_sqlalchemy_url("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        with create_engine(local, connect_args={"connect_timeout": 3}).connect():
            return local
    except Exception:
        return start_embedded(tmp / "embedded").set(database="postgres")


def fresh_database(admin: URL, name: str) -> URL:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.set(database=name)


def pgbench_binary() -> str:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True)
    import pgserver

    candidates.append(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pgbench")
    for c in candidates:
        if c.exists():
            return str(c)
    raise SystemExit("pgbench not found")


def pgbench_args(url: URL) -> list[str]:
    host = url.host or (url.query.get("host") if url.query else None) or "127.0.0.1"
    args = ["-h", str(host), "-U", url.username or "postgres"]
    if url.port:
        args += ["-p", str(url.port)]
    return [*args, url.database or "postgres"]


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for p in processes:
        try:
            times = p.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def postgres_processes() -> list[psutil.Process]:
    """Every PostgreSQL process on the machine (the server is this run's alone)."""
    return [p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"]


def machine_busy_seconds() -> float:
    t = psutil.cpu_times()
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0))


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU seconds spent by some processes and by PostgreSQL over a stretch of the run."""

    def __init__(self, processes: list[psutil.Process]) -> None:
        self.processes = processes
        self.own = cpu_seconds(processes)
        self.postgres = cpu_seconds(postgres_processes())

    def per_op_ms(self, ops: int) -> tuple[float, float]:
        if not ops:
            return float("nan"), float("nan")
        own = cpu_seconds(self.processes) - self.own
        pg = cpu_seconds(postgres_processes()) - self.postgres
        return own / ops * 1000, pg / ops * 1000


def pgbench_tps(url: URL, clients: int, seconds: int) -> tuple[float, float]:
    """pgbench's TPC-B rate, and PostgreSQL's CPU milliseconds per transaction."""
    binary = pgbench_binary()
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    subprocess.run(
        [binary, "-i", "-q", "-s", "10", *pgbench_args(url)],
        env=env,
        check=True,
        capture_output=True,
    )
    # pgbench's backends exit with it, so PostgreSQL's share is the machine's busy time
    # less what the pgbench client itself used.
    busy_before = machine_busy_seconds()
    client_before = children_cpu_seconds()
    out = subprocess.run(
        [
            binary,
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            "-M",
            "prepared",
            *pgbench_args(url),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out) or re.search(
        r"tps = ([\d.]+)", out
    )
    assert match, out
    tps = float(match.group(1))
    postgres = (machine_busy_seconds() - busy_before) - (children_cpu_seconds() - client_before)
    return tps, postgres / (tps * seconds) * 1000


# --- the stack's ceiling ----------------------------------------------------------------


def floor_ops(
    url: URL, workers: int, clients: int, seconds: int
) -> tuple[Result, tuple[float, float]]:
    """pgbench's transaction behind uvicorn + FastAPI + SQLAlchemy (bench/floor_app.py),
    driven by the same load generator as the service."""
    port = 19000 + random.randint(0, 999)
    env = {
        **os.environ,
        "COOPAC_FLOOR_DATABASE_URL": url.render_as_string(hide_password=False),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "floor_app:create_app",
            "--app-dir",
            str(ROOT / "bench"),
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/docs")

        def request(rng: random.Random) -> tuple[str, dict[str, Any], dict[str, str]]:
            body = {
                "aid": rng.randint(1, 1_000_000),
                "tid": rng.randint(1, 100),
                "bid": rng.randint(1, 10),
                "delta": rng.randint(-5000, 5000),
            }
            return "/tpcb", body, {}

        asyncio.run(load(base, request, clients=clients, seconds=3, rate=None))
        root = psutil.Process(proc.pid)
        meter = CpuMeter([root, *root.children(recursive=True)])
        result = asyncio.run(load(base, request, clients=clients, seconds=seconds, rate=None))
        return result, meter.per_op_ms(result.ok)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


# --- the service ------------------------------------------------------------------------


class Service:
    def __init__(self, url: URL, workers: int, data_dir: Path) -> None:
        self.port = 18000 + random.randint(0, 999)
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("COOPAC_")}
        self.env.update(
            COOPAC_DATABASE_URL=url.render_as_string(hide_password=False).replace("+psycopg", ""),
            COOPAC_DATA_DIR=str(data_dir),
            COOPAC_SECRET_KEY="bench-secret-key-0123456789-abcdefghijklmnop",
            COOPAC_LOG_LEVEL="WARNING",
        )
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None
        self.peak_rss = 0
        self._sampling = False

    def cli(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "coopac_core.cli", *args],
            env=self.env,
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coopac_core.cli",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until_up(f"{self.base}/ready")
        self._sampling = True
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        assert self.proc is not None
        root = psutil.Process(self.proc.pid)
        while self._sampling:
            try:
                rss = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
                self.peak_rss = max(self.peak_rss, rss)
            except psutil.Error:
                pass
            time.sleep(0.2)

    def stop(self) -> None:
        self._sampling = False
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@dataclass
class World:
    prefix: str
    headers: dict[str, str]
    branches: list[str]
    accounts: list[str]


def setup(svc: Service, owner: URL) -> World:
    """A cooperative with 20 branches and 10,000 funded savings accounts. Accounts are
    bulk-loaded in SQL (10,000 API calls would take minutes) with one balanced funding
    entry; `coopac verify-ledger` proves them consistent after the run."""
    svc.cli("create-admin", "--username", "bench.admin", "--password", PASSWORD)
    http = httpx.Client(base_url=svc.base, timeout=30)
    token = http.post(
        "/api/v1/auth/token", data={"username": "bench.admin", "password": PASSWORD}
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    coop = http.post(
        "/api/v1/cooperatives",
        json={
            "code": "BENCH",
            "name": "Cooperativa de benchmark",
            "ruc": "20131312955",
            "sbs_level": "2B",
        },
        headers=headers,
    ).json()
    prefix = f"/api/v1/cooperatives/{coop['id']}"
    branches = []
    for n in range(BRANCHES):
        b = http.post(
            f"{prefix}/branches",
            json={"code": f"AG{n:02d}", "name": f"Agencia {n}", "ubigeo": "210101"},
            headers=headers,
        ).json()
        branches.append(b["id"])
    product = http.post(
        f"{prefix}/savings-products",
        json={"code": "AHV", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.01"},
        headers=headers,
    ).json()
    # Money moves by the cooperative's own staff, never the federation's: a manager (any
    # branch, no daily total) takes the load.
    manager = http.post(
        f"{prefix}/users",
        json={
            "username": "bench.gerente",
            "password": FIRST_PASSWORD,
            "full_name": "Gerencia",
            "roles": ["manager"],
        },
        headers=headers,
    )
    assert manager.status_code == 201, manager.text
    # A user the admin made chooses their own password before anything else.
    first = http.post(
        "/api/v1/auth/token", data={"username": "bench.gerente", "password": FIRST_PASSWORD}
    ).json()
    token = http.post(
        "/api/v1/auth/password",
        json={"current_password": FIRST_PASSWORD, "new_password": PASSWORD},
        headers={"Authorization": f"Bearer {first['access_token']}"},
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    engine = create_engine(owner)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO member (cooperative_id, id, member_number, is_member, document_type, document_number, "
                "first_names, last_names, status, applied_on) "
                "SELECT :c, gen_random_uuid(), lpad(g::text, 8, '0'), false, 'DNI', lpad((10000000 + g)::text, 8, '0'), "
                "'Socio', 'Bench ' || g, 'active', current_date FROM generate_series(1, :n) g"
            ),
            {"c": coop["id"], "n": ACCOUNTS},
        )
        conn.execute(
            text(
                "INSERT INTO savings_account (cooperative_id, id, number, member_id, product_id, currency, status, "
                "balance, held_amount, gl_account_id, opened_on) "
                "SELECT m.cooperative_id, gen_random_uuid(), '2' || m.member_number || '0', m.id, :p, 'PEN', 'active', "
                "1000.00, 0, :g, current_date FROM member m WHERE m.cooperative_id = :c"
            ),
            {"c": coop["id"], "p": product["id"], "g": product["gl_account_id"]},
        )
        entry = uuid.uuid4()
        conn.execute(
            text(
                "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, value_date, description, actor_name) "
                "SELECT :c, :e, 'deposit', business_date, business_date, 'Carga inicial del benchmark', 'bench' "
                "FROM cooperative WHERE id = :c"
            ),
            {"c": coop["id"], "e": entry},
        )
        conn.execute(
            text(
                "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, account_kind, "
                "account_id, balance_after, business_date, value_date) "
                "SELECT a.cooperative_id, :e, a.gl_account_id, 'PEN', -1000.00, 'savings', a.id, 1000.00, "
                "current_date, current_date FROM savings_account a WHERE a.cooperative_id = :c"
            ),
            {"c": coop["id"], "e": entry},
        )
        conn.execute(
            text(
                "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, business_date, value_date) "
                "SELECT :c, :e, id, 'PEN', :total, current_date, current_date FROM gl_account "
                "WHERE cooperative_id = :c AND code = '1111.AG00'"
            ),
            {"c": coop["id"], "e": entry, "total": Decimal(1000) * ACCOUNTS},
        )
        accounts = [
            str(r[0])
            for r in conn.execute(
                text("SELECT id FROM savings_account WHERE cooperative_id = :c"), {"c": coop["id"]}
            )
        ]
    engine.dispose()
    return World(prefix, headers, branches, accounts)


# --- load -------------------------------------------------------------------------------


@dataclass
class Result:
    seconds: float
    ok: int = 0
    postings: int = 0
    refused: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000

    @property
    def ops_per_second(self) -> float:
        return self.ok / self.seconds

    @property
    def postings_per_second(self) -> float:
        return self.postings / self.seconds


Request = Callable[[random.Random], tuple[str, dict[str, Any], dict[str, str]]]


async def load(
    base: str, request: Request, *, clients: int, seconds: float, rate: float | None
) -> Result:
    """``clients`` concurrent clients POST what ``request`` makes for ``seconds``; with
    ``rate``, paced to that many requests per second in all."""
    result = Result(seconds)
    deadline = time.monotonic() + seconds
    interval = clients / rate if rate else 0.0
    # aiohttp, not httpx: on two cores shared with the service and PostgreSQL the load
    # generator must cost little; httpx spent ~3 ms of CPU a request and capped at ~350/s.
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:

        async def client(n: int) -> None:
            rng = random.Random(n)
            next_at = time.monotonic() + rng.random() * interval
            while time.monotonic() < deadline:
                if interval:
                    delay = next_at - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    next_at += interval
                url, body, headers = request(rng)
                started = time.perf_counter()
                try:
                    async with http.post(url, json=body, headers=headers) as r:
                        await r.read()
                        status = r.status
                except (TimeoutError, aiohttp.ClientError):
                    result.errors += 1
                    continue
                result.latencies.append(time.perf_counter() - started)
                if status == 201:
                    result.ok += 1
                    result.postings += 2
                elif status == 422:
                    result.refused += 1
                else:
                    result.errors += 1

        await asyncio.gather(*(client(n) for n in range(clients)))
    return result


async def drive(
    svc: Service, world: World, *, clients: int, seconds: float, hot: bool, rate: float | None
) -> Result:
    def request(rng: random.Random) -> tuple[str, dict[str, Any], dict[str, str]]:
        amount = f"{rng.randint(100, 5000) / 100:.2f}"
        headers = {**world.headers, "Idempotency-Key": str(uuid.uuid4())}
        if rng.random() < 0.7:
            acct = rng.choice(world.accounts)
            branch = world.branches[0] if hot else rng.choice(world.branches)
            url = f"{world.prefix}/savings-accounts/{acct}/deposits"
            return url, {"amount": amount, "branch_id": branch}, headers
        src, dst = rng.sample(world.accounts, 2)
        body = {"from_account_id": src, "to_account_id": dst, "amount": amount}
        return f"{world.prefix}/transfers", body, headers

    return await load(svc.base, request, clients=clients, seconds=seconds, rate=rate)


def one_run(args: argparse.Namespace, admin: URL, tmp: Path) -> dict[str, float]:
    pgbench_db = fresh_database(admin, "coopac_bench_pgbench")
    tps, pgbench_pg_ms = pgbench_tps(pgbench_db, args.clients, args.seconds)
    floor, (floor_app_ms, floor_pg_ms) = floor_ops(
        pgbench_db, args.workers, args.clients, args.seconds
    )
    owner = fresh_database(admin, "coopac_bench")
    svc = Service(owner, args.workers, tmp)
    svc.cli("migrate")
    svc.start()
    try:
        world = setup(svc, owner)
        asyncio.run(
            drive(svc, world, clients=args.clients, seconds=3, hot=False, rate=None)
        )  # warm-up
        assert svc.proc is not None
        root = psutil.Process(svc.proc.pid)
        meter = CpuMeter([root, *root.children(recursive=True)])
        spread = asyncio.run(
            drive(svc, world, clients=args.clients, seconds=args.seconds, hot=False, rate=None)
        )
        api_app_ms, api_pg_ms = meter.per_op_ms(spread.ok)
        hot = asyncio.run(
            drive(svc, world, clients=args.clients, seconds=args.seconds, hot=True, rate=None)
        )
        half = asyncio.run(
            drive(
                svc,
                world,
                clients=args.clients,
                seconds=args.seconds,
                hot=False,
                rate=spread.ops_per_second / 2,
            )
        )
    finally:
        svc.stop()
    verify = subprocess.run(
        [sys.executable, "-m", "coopac_core.cli", "verify-ledger"],
        env=svc.env,
        capture_output=True,
        text=True,
    )
    figures = {
        "pgbench_tps": tps,
        "floor_ops_per_s": floor.ops_per_second,
        "floor_p50_ms": floor.pct(0.50),
        "api_ops_per_s": spread.ops_per_second,
        "api_postings_per_s": spread.postings_per_second,
        "spread_p50_ms": spread.pct(0.50),
        "spread_p95_ms": spread.pct(0.95),
        "spread_p99_ms": spread.pct(0.99),
        "hot_ops_per_s": hot.ops_per_second,
        "hot_p99_ms": hot.pct(0.99),
        "half_rate_ops_per_s": half.ops_per_second,
        "half_rate_p50_ms": half.pct(0.50),
        "half_rate_p95_ms": half.pct(0.95),
        "half_rate_p99_ms": half.pct(0.99),
        # CPU milliseconds per operation: where a request's cost goes
        "cpu_ms_pgbench_postgres": pgbench_pg_ms,
        "cpu_ms_floor_app": floor_app_ms,
        "cpu_ms_floor_postgres": floor_pg_ms,
        "cpu_ms_api_service": api_app_ms,
        "cpu_ms_api_postgres": api_pg_ms,
        "ratio_api_to_pgbench": spread.ops_per_second / tps,
        "ratio_floor_to_pgbench": floor.ops_per_second / tps,
        "ratio_api_to_floor": spread.ops_per_second / floor.ops_per_second
        if floor.ops_per_second
        else float("nan"),
        "ratio_hot_to_spread": hot.ops_per_second / spread.ops_per_second
        if spread.ops_per_second
        else float("nan"),
        "peak_rss_mb": svc.peak_rss / 2**20,
        "errors": spread.errors + hot.errors + half.errors + floor.errors,
        "ledger_verified": 1.0 if verify.returncode == 0 else 0.0,
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coopac-bench-"))
    admin = server_url(tmp)
    print(
        f"PostgreSQL: {admin.render_as_string(hide_password=True)}  clients={args.clients} "
        f"seconds={args.seconds} workers={args.workers} cores={os.cpu_count()}"
    )
    runs = []
    for n in range(args.runs):
        figures = one_run(args, admin, tmp)
        runs.append(figures)
        print(f"\nrun {n + 1}:")
        for k, v in figures.items():
            print(f"  {k:<24} {v:10.2f}")
    if len(runs) > 1:
        print(f"\nmedians of {len(runs)} runs:")
        for k in runs[0]:
            print(f"  {k:<24} {statistics.median(r[k] for r in runs):10.2f}")
    print(
        "\ntargets: ratio_api_to_pgbench >= 0.60, ratio_hot_to_spread >= 0.90, half_rate_p99_ms < 50"
    )


if __name__ == "__main__":
    main()
