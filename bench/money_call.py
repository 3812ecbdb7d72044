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
time goes, per PL/pgSQL function. Prints tps, the ratio to TPC-B, and the CPU
milliseconds the machine spent per call (both cores: PostgreSQL and the pgbench client).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import (  # noqa: E402
    fresh_database,
    machine_busy_seconds,
    open_till,
    pgbench_args,
    pgbench_binary,
    pgbench_tps,
    server_url,
    settle,
)

from coopac_core.config import Settings  # noqa: E402
from coopac_core.database_rules import policy_json  # noqa: E402
from coopac_core.db import ALL_TENANTS, Database, app_url, make_engine, migrate  # noqa: E402
from coopac_core.main import create_app  # noqa: E402
from coopac_core.security import service as security  # noqa: E402
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
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coopac-profile-"))
    server = server_url(tmp)
    owner = fresh_database(server, "coopac_profile")
    settings = Settings(
        database_url=owner.render_as_string(hide_password=False),
        data_dir=tmp,
        secret_key="profile-secret-key-0123456789-abcdefghijkl",  # type: ignore[arg-type]
        log_level="WARNING",
    )
    migrate(owner, settings)
    db = Database(owner, make_engine(app_url(owner, settings), settings))
    with db.session(ALL_TENANTS) as session:
        security.create_federation_user(
            session,
            None,
            FederationUserCreate(
                username="fed.admin",
                password=PASSWORD,
                full_name="x",
                roles=[Role.federation_admin],
            ),
            must_change_password=False,
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
        # the federation reads; the cooperative's manager moves the money
        admin = h
        h = staff_headers(c, p, admin, "p.gerente", {"roles": ["manager"]})
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
                c, p, admin, f"p.cajero{n}", {"roles": ["teller"], "branch_id": branch["id"]}
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
SELECT status FROM bench_context x, coopac_money_call(x.user_id, x.version, x.coop,
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


def staff_headers(
    c: TestClient, prefix: str, admin: dict[str, str], name: str, fields: dict[str, object]
) -> dict[str, str]:
    """A staff user the admin makes, signed in after choosing their own password (as a
    user the admin made must, first)."""
    c.post(
        f"{prefix}/users",
        json={"username": name, "password": PASSWORD, "full_name": name, **fields},
        headers=admin,
    )
    first = c.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD}).json()
    own = c.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": PASSWORD + "-own"},
        headers={"Authorization": f"Bearer {first['access_token']}"},
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
