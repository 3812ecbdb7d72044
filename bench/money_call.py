"""PostgreSQL's own ceiling for a deposit: the money call alone, against TPC-B.

    .venv/bin/python -u bench/money_call.py [--seconds 8] [--clients 8]

On a scratch database on the benchmark's PostgreSQL: a cooperative, 1,000 accounts, a
manager. Then, with pgbench (no HTTP, no Python: the database's work alone):
1. TPC-B on the same server (pgbench's own database, scale 10);
2. the whole money call of a deposit, as the service sends it: ``coopac_money_call`` (the
   caller, the key, the deposit, the kept answer), as the service's role;
3. the deposit function alone (``coopac_savings_deposit``) in a transaction;
and the same calls from Python in-process (one client, over HTTP with the TestClient), for
the time a deposit takes end to end. Each pgbench client is a teller with a till of their own
(a till serializes its operations by design). ``--functions`` adds where the money call's
time goes, per PL/pgSQL function. ``--floor`` compares the money call, round after round,
with the rows a deposit writes written by one plain statement (``FLOOR``): what the data
model costs before any rule runs. Prints tps, the ratio to TPC-B, and the CPU
milliseconds the machine spent per call (both cores: PostgreSQL and the pgbench client).

``--http`` asks the same over HTTP, as bench/run.py measures the service (wrk, 2 uvicorn
workers, a connection per teller), round after round against pgbench's TPC-B: the stack
alone (``tpcb-one``); the rows of a deposit in one statement behind the same stack
(``deposit-floor``: the most any design of the deposit can reach while it keeps them), and
of them only what any double-entry deposit with a retry key writes (``deposit-core``); a
transfer's rows (``transfer-floor``); the money call behind the stack without the service's
Python (``money-call``); and the service itself (``deposit``, on this database, by the same
tellers at the same tills):

    .venv/bin/python -u bench/money_call.py --clients 16 --http [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import (  # noqa: E402
    CpuMeter,
    Result,
    Service,
    floor_app,
    fresh_database,
    machine_busy_seconds,
    open_till,
    pgbench_args,
    pgbench_binary,
    pgbench_tps,
    server_url,
    settle,
    wrk,
)

from coopac_core.config import Settings  # noqa: E402
from coopac_core.database_rules import policy_json  # noqa: E402
from coopac_core.db import ALL_TENANTS, Database, app_url, make_engine, migrate  # noqa: E402
from coopac_core.main import create_app  # noqa: E402
from coopac_core.security import users as security  # noqa: E402
from coopac_core.security.roles import Role  # noqa: E402
from coopac_core.security.schemas import FederationUserCreate  # noqa: E402

PASSWORD = "profile-password-1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deposits", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--functions",
        action="store_true",
        help="after the money call, the time per call in each PL/pgSQL function (self "
        "time: the statements it runs itself), from PostgreSQL's track_functions",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="then the money call and the floor (the same rows written by one plain "
        "statement), alternated for --rounds rounds, and their medians",
    )
    parser.add_argument(
        "--http",
        action="store_true",
        help="then, over HTTP (wrk), the stack alone, the deposit's and the transfer's rows "
        "(floors), the money call and the service's deposit, alternated for --rounds rounds "
        "against pgbench, and their medians",
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coopac-profile-"))
    server = server_url(tmp)
    owner = fresh_database(server, "coopac_profile")
    settings = Settings(
        database_url=owner.render_as_string(hide_password=False),
        data_dir=tmp,
        secret_key=secrets.token_urlsafe(48),  # type: ignore[arg-type]
        log_level="WARNING",
    )
    migrate(owner, settings)
    db = Database(owner, make_engine(app_url(owner, settings), settings))
    with db.session(ALL_TENANTS) as session:
        security.create_federation_user(
            session,
            None,
            FederationUserCreate(
                username="fed.admin", full_name="x", roles=[Role.federation_admin]
            ),
            password=PASSWORD,
        )
    with TestClient(create_app(settings, db)) as c:
        token = c.post(
            "/api/v1/auth/token", data={"username": "fed.admin", "password": PASSWORD}
        ).json()
        h = {"Authorization": f"Bearer {token['access_token']}"}
        coop = c.post(
            "/api/v1/cooperatives",
            json={"code": "P", "name": "P", "ruc": "20131312955", "sbs_level": "1"},
            headers=h,
        ).json()
        p = f"/api/v1/cooperatives/{coop['id']}"
        branch = c.post(
            f"{p}/branches", json={"code": "A", "name": "A", "ubigeo": "210101"}, headers=h
        ).json()
        product = c.post(
            f"{p}/savings-products",
            json={"code": "AHV", "name": "A", "kind": "sight", "currency": "PEN", "tea": "0.01"},
            headers=h,
        ).json()
        member = c.post(
            f"{p}/members",
            json={
                "document_type": "DNI",
                "document_number": "12345678",
                "first_names": "A",
                "last_names": "B",
            },
            headers=h,
        ).json()
        account = c.post(
            f"{p}/savings-accounts",
            json={"member_id": member["id"], "product_id": product["id"]},
            headers=h,
        ).json()
        # the federation reads; the cooperative's manager moves the money. The federation
        # makes the cooperative's first admin, who makes its staff.
        admin = staff_headers(c, p, h, "p.admin", {"roles": ["admin"]})
        # nobody in the new cooperative can approve its manager: the federation does
        h = staff_headers(c, p, admin, "p.gerente", {"roles": ["manager"]}, decider=h)
        # cash goes into the depositor's open till (the counter, issue 15)
        open_till(c, p, admin, h, branch["id"], "C1")

        def deposit() -> None:
            r = c.post(
                f"{p}/savings-accounts/{account['id']}/deposits",
                json={"amount": "1.00", "branch_id": branch["id"]},
                headers={**h, "Idempotency-Key": str(uuid.uuid4())},
            )
            assert r.status_code == 201, r.text

        for _ in range(50):
            deposit()
        times = []
        for _ in range(args.deposits):
            started = time.perf_counter()
            deposit()
            times.append(time.perf_counter() - started)
        # one teller, with a till of their own, per pgbench client: a till serializes
        # its own operations by design, and one till would measure its lock
        tellers = []
        for n in range(1, args.clients + 1):
            th = staff_headers(
                c,
                p,
                admin,
                f"p.cajero{n}",
                {"roles": ["teller"], "branch_id": branch["id"]},
                decider=h,
            )
            open_till(c, p, admin, th, branch["id"], f"T{n}")
            tellers.append(c.get("/api/v1/me", headers=th).json()["id"])
    fill(owner, settings.app_db_user, coop["id"], account["id"], branch["id"], tellers)
    settle(owner)
    db.dispose()
    print(
        f"in process, one client: {statistics.median(times) * 1000:.2f} ms a deposit (median "
        f"of {args.deposits}, HTTP through the TestClient included)"
    )
    tpcb = pgbench_tpcb(server, args)
    app = app_url(owner, settings)
    for name, script in (
        ("money call (coopac_money_call)", CALL),
        ("deposit function alone", DEPOSIT_ONLY),
    ):
        pgbench_script(app, script, args, seconds=2)  # warm-up: plans cached, pages read
        if args.functions and script is CALL:
            track_functions(owner, on=True)
        tps, ms = pgbench_script(app, script, args)
        print(f"{name:<32} {tps:8.0f} tps  {tps / tpcb:4.2f} of TPC-B  {ms:.2f} ms CPU a call")
        if args.functions and script is CALL:
            function_times(owner, round(tps * args.seconds))
            track_functions(owner, on=False)
    if args.floor:
        floor(owner, app, settings.app_db_user, args, tpcb)
    if args.http:
        over_http(server, owner, app, args, p, branch["id"], tmp)


def floor(owner: URL, app: URL, app_role: str, args: argparse.Namespace, tpcb: float) -> None:
    """The money call against FLOOR, alternated round after round (a shared machine drifts
    more between two minutes than between the two), and the medians of both."""
    prepare_floor(owner, app_role)

    def run(script: str, *, rules: bool) -> tuple[float, float]:
        with rules_for_run(owner, rules):
            return pgbench_script(app, script, args)

    run(FLOOR, rules=False)  # warm-up: plans cached, pages read
    calls: list[tuple[float, float]] = []
    floors: list[tuple[float, float]] = []
    for n in range(1, args.rounds + 1):
        calls.append(run(CALL, rules=True))
        floors.append(run(FLOOR, rules=False))
        print(
            f"  round {n}: money call {calls[-1][0]:6.0f} tps {calls[-1][1]:.2f} ms, "
            f"floor {floors[-1][0]:6.0f} tps {floors[-1][1]:.2f} ms"
        )
    for name, runs in (("money call", calls), ("floor (the rows alone)", floors)):
        tps = statistics.median(r[0] for r in runs)
        ms = statistics.median(r[1] for r in runs)
        label = f"{name} median"
        print(f"{label:<32} {tps:8.0f} tps  {tps / tpcb:4.2f} of TPC-B  {ms:.2f} ms CPU a call")


@contextmanager
def rules_for_run(owner: URL, rules: bool) -> Iterator[None]:
    """A run from the tellers' day afresh (the rounds would otherwise reach their daily
    limit, and coopac_check_limit refuse, which is not what is measured); without
    ``rules``, FLOOR_TRIGGERS' triggers off while it lasts."""
    engine = create_engine(owner, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("UPDATE operation_day_total SET amount = 0"))
            if not rules:
                for table in FLOOR_TRIGGERS:
                    conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        yield
    finally:
        if not rules:
            with engine.connect() as conn:
                for table in FLOOR_TRIGGERS:
                    conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        engine.dispose()


def prepare_floor(owner: URL, app_role: str) -> None:
    """What the floor reads (a row per teller: their till, its session and series), and
    the grants it needs."""
    engine = create_engine(owner, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS bench_floor AS "
                "SELECT x.t, x.coop, x.branch, x.user_id, "
                "s.id AS session_id, s.till_id, t.code AS series, s.business_date AS day "
                "FROM bench_context x JOIN till_session s ON s.teller_id = x.user_id "
                "AND s.status = 'open' JOIN till t ON t.cooperative_id = s.cooperative_id "
                "AND t.id = s.till_id"
            )
        )
        # the floor writes what only the database functions may write, as the service's
        # role (so that row-level security still applies): granted in this scratch
        # database only
        conn.execute(
            text(
                f'GRANT SELECT ON bench_floor TO "{app_role}"; GRANT INSERT, UPDATE ON '
                "savings_account, till_cash, journal_entry, posting, receipt, receipt_series, "
                f'operation_day_total, event, idempotency_key TO "{app_role}"'
            )
        )
    engine.dispose()


# Over HTTP: what each mode is, in the order a round runs them (the service's deposit last:
# it is the one measured against the others).
HTTP_MODES = (
    ("tpcb-one", "the stack alone (TPC-B, one statement)"),
    ("deposit-floor", "a deposit's rows, one statement"),
    ("deposit-core", "its core rows (key, entry, balances)"),
    ("transfer-floor", "a transfer's rows, one statement"),
    ("money-call", "the money call, no service Python"),
    ("deposit", "the service's deposit"),
)


def over_http(
    server: URL,
    owner: URL,
    app: URL,
    args: argparse.Namespace,
    prefix: str,
    branch: str,
    tmp: Path,
) -> None:
    """TPC-B and each mode of HTTP_MODES, alternated round after round; per mode the
    median rate, its ratio to the same round's TPC-B, the CPU milliseconds per request of
    the application and of PostgreSQL, and p99."""
    prepare_floor(owner, app.username or "")
    pgbench_db = fresh_database(server, "coopac_bench_pgbench")
    (tmp / "service").mkdir(exist_ok=True)
    svc = Service(owner, 2, tmp / "service")
    svc.start()
    try:
        with httpx.Client(base_url=svc.base, timeout=30) as http:
            tokens = [
                http.post(
                    "/api/v1/auth/token",
                    data={"username": f"p.cajero{n}", "password": PASSWORD + "-own"},
                ).json()["access_token"]
                for n in range(1, args.clients + 1)
            ]
        engine = create_engine(owner)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT id FROM bench_accounts ORDER BY n")).scalars()
            accounts = [str(a) for a in found]
        engine.dispose()
        service = {
            "prefix": prefix,
            "accounts": accounts,
            "branches": [branch] * args.clients,
            "tellers": tokens,
        }
        numbers = {"tills": args.clients, "accounts_n": len(accounts)}
        with floor_app(pgbench_db, 2, coopac=app) as (base, root):

            def drive(mode: str, seconds: float) -> tuple[Result, tuple[float, float]]:
                target, processes = (svc.base, svc.proc) if mode == "deposit" else (base, None)
                tree = psutil.Process(processes.pid) if processes else root
                with rules_for_run(owner, rules=not mode.endswith(("-floor", "-core"))):
                    meter = CpuMeter([tree, *tree.children(recursive=True)])
                    result = wrk(
                        target, mode, clients=args.clients, seconds=seconds,
                        **(service if mode == "deposit" else numbers),
                    )  # fmt: skip
                    return result, meter.per_op_ms(result.ok)

            for mode, _ in HTTP_MODES:  # warm-up: plans cached, pages read
                drive(mode, 3)
            rounds: list[dict[str, tuple[float, Result, tuple[float, float]]]] = []
            for n in range(1, args.rounds + 1):
                tps, _ = pgbench_tps(pgbench_db, args.clients, args.seconds)
                rounds.append({mode: (tps, *drive(mode, args.seconds)) for mode, _ in HTTP_MODES})
                line = ", ".join(
                    f"{mode} {r.ops_per_second:.0f}/s ({r.ops_per_second / t:.2f})"
                    for mode, (t, r, _) in rounds[-1].items()
                )
                print(f"  round {n}: TPC-B {tps:.0f} tps; {line}")
    finally:
        svc.stop()
    print(f"{'over HTTP, medians':<38} {'per s':>7} {'of TPC-B':>9} {'app ms':>7} "
          f"{'PG ms':>6} {'p99 ms':>7} {'failed':>7}")  # fmt: skip
    for mode, label in HTTP_MODES:
        runs = [r[mode] for r in rounds]
        rate = statistics.median(r.ops_per_second for _, r, _ in runs)
        ratio = statistics.median(r.ops_per_second / t for t, r, _ in runs)
        app_ms = statistics.median(ms[0] for _, _, ms in runs)
        pg_ms = statistics.median(ms[1] for _, _, ms in runs)
        p99 = statistics.median(r.p99 for _, r, _ in runs)
        failed = sum(r.refused + r.errors for _, r, _ in runs)
        print(f"{label:<38} {rate:7.0f} {ratio:9.2f} {app_ms:7.2f} {pg_ms:6.2f} "
              f"{p99:7.1f} {failed:7d}")  # fmt: skip


def track_functions(owner: URL, on: bool) -> None:
    engine = create_engine(owner, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        database = owner.database
        setting = "SET track_functions = 'pl'" if on else "RESET track_functions"
        conn.execute(text(f'ALTER DATABASE "{database}" {setting}'))
        conn.execute(text("SELECT pg_stat_reset()"))
    engine.dispose()


def function_times(owner: URL, calls: int) -> None:
    """Each function's self and total milliseconds per money call (statistics reach the
    collector when a backend goes idle: pgbench's have exited by now)."""
    engine = create_engine(owner)
    time.sleep(1)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT funcname, calls, self_time, total_time FROM pg_stat_user_functions "
                "ORDER BY self_time DESC LIMIT 15"
            )
        ).all()
    engine.dispose()
    print(f"  {'function':<36} {'calls/call':>10} {'self ms':>8} {'total ms':>9}")
    for name, n, own, total in rows:
        print(f"  {name:<36} {n / calls:10.2f} {own / calls:8.3f} {total / calls:9.3f}")


# The deposit as the service calls it, on a random one of the accounts (bench_accounts,
# numbered), with a fresh key each time; the actor and policy come from bench_context.
CALL = """\\set n random(1, 1000)
SELECT status FROM bench_context x, coopac_money_call(
  jsonb_build_object('user', x.user_id, 'version', x.version), x.coop,
  '{manager,teller}', '{admin,federation_admin,manager}', 'pgb-' || nextval('bench_keys'),
  'h', 'r', 'deposit', jsonb_build_object('account_id', (SELECT id FROM bench_accounts
  WHERE n = :n), 'amount', '1.00', 'branch_id', x.branch), x.policy, NULL, NULL)
WHERE x.t = :client_id + 1;
"""
DEPOSIT_ONLY = """\\set n random(1, 1000)
BEGIN;
SELECT set_config('coopac.tenant', coop::text, true) FROM bench_context WHERE t = 1;
SELECT coopac_savings_deposit(x.coop, (SELECT id FROM bench_accounts WHERE n = :n), 1.00,
  NULL, x.branch, NULL, x.actor, x.policy) FROM bench_context x WHERE x.t = :client_id + 1;
END;
"""


# The floor: the rows a cash deposit writes (its key with an answer, the account's and the
# till's balances, the entry and its two lines, the receipt and its series, the teller's
# day total, the event), in one plain statement with the same indexes, foreign keys and
# row-level security, and nothing else: no caller, no checks, no PL/pgSQL, no trigger
# (FLOOR_TRIGGERS' are off while it runs). What any design that keeps these rows, their
# indexes and their scope pays at least. (The day total adds 0: the row is rewritten all
# the same, and the rounds never reach a limit.)
FLOOR = """\\set n random(1, 1000)
BEGIN;
SELECT set_config('coopac.tenant', coop::text, true) FROM bench_floor WHERE t = :client_id + 1;
WITH f AS (SELECT * FROM bench_floor WHERE t = :client_id + 1),
a AS (UPDATE savings_account s SET balance = s.balance + 1.00 FROM f
  WHERE s.cooperative_id = f.coop AND s.id = (SELECT id FROM bench_accounts WHERE n = :n)
  RETURNING s.id, s.balance, s.gl_account_id),
c AS (UPDATE till_cash c SET balance = c.balance + 1.00 FROM f
  WHERE c.cooperative_id = f.coop AND c.till_id = f.till_id AND c.currency = 'PEN'
  RETURNING c.gl_account_id),
e AS (INSERT INTO journal_entry (cooperative_id, id, kind, branch_id, business_date,
  value_date, description, actor_user_id, actor_name, request_id, channel, till_session_id)
  SELECT coop, gen_random_uuid(), 'deposit', branch, day, day, 'Depósito en efectivo',
  user_id, 'p.cajero', 'r', 'counter', session_id FROM f RETURNING id),
p AS (INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount,
  account_kind, account_id, balance_after, business_date, value_date)
  SELECT f.coop, e.id, c.gl_account_id, 'PEN', 1.00, NULL, NULL, NULL, f.day, f.day
  FROM f, e, c
  UNION ALL SELECT f.coop, e.id, a.gl_account_id, 'PEN', -1.00, 'savings', a.id, a.balance,
  f.day, f.day FROM f, e, a),
rs AS (INSERT INTO receipt_series AS r (cooperative_id, branch_id, series, last_number)
  SELECT coop, branch, series, 1 FROM f ON CONFLICT (cooperative_id, branch_id, series)
  DO UPDATE SET last_number = r.last_number + 1 RETURNING r.last_number),
rc AS (INSERT INTO receipt (cooperative_id, number, branch_id, series, sequence,
  journal_entry_id, till_session_id)
  SELECT f.coop, 'A-' || f.series || '-' || lpad(rs.last_number::text, 8, '0'), f.branch,
  f.series, rs.last_number, e.id, f.session_id FROM f, rs, e),
d AS (INSERT INTO operation_day_total AS o (cooperative_id, person_id, business_date, kind,
  currency, amount) SELECT coop, user_id, day, 'deposit', 'PEN', 0 FROM f
  ON CONFLICT (cooperative_id, person_id, business_date, kind, currency)
  DO UPDATE SET amount = o.amount + excluded.amount),
v AS (INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, entry_id,
  business_date, data)
  SELECT f.coop, gen_random_uuid(), 'money.deposit', 'journal_entry', e.id::text, e.id,
  f.day, jsonb_build_object('entry_id', e.id, 'kind', 'deposit', 'amounts',
  jsonb_build_object('PEN', '1.00'), 'accounts', jsonb_build_array(jsonb_build_object(
  'account_id', a.id, 'balance_after', a.balance::text))) FROM f, e, a),
k AS (INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor,
  response_status, response_body)
  SELECT f.coop, 'floor-' || nextval('bench_keys'), 'h', f.user_id::text, 201,
  jsonb_build_object('journal_entry_id', e.id, 'account_id', a.id, 'amount', '1.00',
  'balance', a.balance::text, 'description', 'Depósito en efectivo') FROM f, e, a)
SELECT a.balance FROM a;
END;
"""
FLOOR_TRIGGERS = ("posting", "journal_entry", "event")


def staff_headers(
    c: TestClient,
    prefix: str,
    admin: dict[str, str],
    name: str,
    fields: dict[str, object],
    decider: dict[str, str] | None = None,
) -> dict[str, str]:
    """A staff user the admin makes (``decider`` approving a role that moves money),
    signed in after choosing their own password with their activation code."""
    made = c.post(
        f"{prefix}/users", json={"username": name, "full_name": name, **fields}, headers=admin
    ).json()
    if made["access_request"] is not None:
        assert decider is not None
        r = c.post(
            f"{prefix}/user-access-requests/{made['access_request']['id']}/approve",
            json={},
            headers=decider,
        )
        assert r.status_code == 200, r.text
    own = c.post(
        "/api/v1/auth/activate",
        json={"activation_code": made["activation_code"], "new_password": PASSWORD + "-own"},
    ).json()
    return {"Authorization": f"Bearer {own['access_token']}"}


def fill(owner: URL, app: str, coop: str, first: str, branch: str, tellers: list[str]) -> None:
    """999 more accounts like the first one, empty (SQL: a thousand API calls would take
    minutes), and what the pgbench scripts read: a row per client, with its teller."""
    engine = create_engine(owner)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO savings_account (cooperative_id, id, number, member_id, "
                "product_id, currency, status, balance, held_amount, gl_account_id, opened_on) "
                "SELECT a.cooperative_id, gen_random_uuid(), 'B' || g, a.member_id, "
                "a.product_id, a.currency, 'active', 0, 0, a.gl_account_id, a.opened_on "
                "FROM savings_account a, generate_series(2, 1000) g WHERE a.id = :a"
            ),
            {"a": first},
        )
        conn.execute(
            text(
                "CREATE TABLE bench_accounts AS SELECT row_number() OVER ()::int AS n, id "
                "FROM savings_account WHERE cooperative_id = :c"
            ),
            {"c": coop},
        )
        conn.execute(text("ALTER TABLE bench_accounts ADD PRIMARY KEY (n)"))
        conn.execute(text("CREATE SEQUENCE bench_keys"))
        conn.execute(
            text(
                "CREATE TABLE bench_context (t int PRIMARY KEY, coop uuid, branch uuid, "
                "user_id uuid, version int, actor jsonb, policy jsonb)"
            )
        )
        for t, user in enumerate(tellers, start=1):
            actor = json.dumps({"person": user, "name": f"p.cajero{t}", "roles": ["teller"]})
            conn.execute(
                text(
                    "INSERT INTO bench_context SELECT :t, CAST(:c AS uuid), "
                    "CAST(:b AS uuid), CAST(:u AS uuid), "
                    "(SELECT token_version FROM staff_user WHERE id = :u), "
                    "CAST(:actor AS jsonb), CAST(:policy AS jsonb)"
                ),
                {"t": t, "c": coop, "b": branch, "u": user, "actor": actor,
                 "policy": policy_json()},
            )  # fmt: skip
        conn.execute(text(f'GRANT SELECT ON bench_accounts, bench_context TO "{app}"'))
        conn.execute(text(f'GRANT USAGE ON SEQUENCE bench_keys TO "{app}"'))
    engine.dispose()


def pgbench_tpcb(server: URL, args: argparse.Namespace) -> float:
    tps, ms = pgbench_tps(
        fresh_database(server, "coopac_bench_pgbench"), args.clients, args.seconds
    )
    print(f"{'TPC-B (pgbench)':<32} {tps:8.0f} tps  1.00 of TPC-B  {ms:.2f} ms PostgreSQL CPU")
    return tps


def pgbench_script(
    url: URL, script: str, args: argparse.Namespace, seconds: int | None = None
) -> tuple[float, float]:
    """tps of ``script`` and the machine's CPU milliseconds per transaction."""
    seconds = seconds or args.seconds
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    busy = machine_busy_seconds()
    try:
        out = subprocess.run(
            [
                pgbench_binary(),
                "-n",
                "-c",
                str(args.clients),
                "-j",
                "2",
                "-T",
                str(seconds),
                "-M",
                "prepared",
                "-f",
                f.name,
                *pgbench_args(url),
            ],
            env={**os.environ, "PGPASSWORD": url.password or ""},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(f.name)
    match = re.search(r"tps = ([\d.]+)", out)
    assert match, out
    tps = float(match.group(1))
    return tps, (machine_busy_seconds() - busy) / (tps * seconds) * 1000


if __name__ == "__main__":
    main()
