"""A device's batch of 1,000 deposits recorded offline: how long the service takes to apply
it, and to answer it again when it is resent (every operation replayed).

The service runs as in production (``coopac serve``, 2 workers) on a fresh database; a
teller opens their till and sends the batches one after another, each with new keys, then
each again. Prints the median seconds per batch, deposits a second, and pgbench's TPC-B
rate on the same PostgreSQL in the same run (the ratio is the figure that travels between
machines). The issue's target: a batch of 1,000 deposits in under 3 s.

    .venv/bin/python -u bench/sync_batch.py --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import (  # noqa: E402
    PASSWORD,
    Service,
    fresh_database,
    pgbench_tps,
    server_url,
    settle,
    staff,
)

OPERATIONS = 1000
ACCOUNTS = 50


def prepare(svc: Service) -> tuple[httpx.Client, str, dict[str, str], list[str]]:
    """A cooperative, a teller with an open till at its branch, and savings accounts."""
    svc.cli("create-admin", "--username", "bench.admin", "--password", PASSWORD)
    http = httpx.Client(base_url=svc.base, timeout=120)
    token = http.post(
        "/api/v1/auth/token", data={"username": "bench.admin", "password": PASSWORD}
    ).json()
    admin = {"Authorization": f"Bearer {token['access_token']}"}
    coop = http.post(
        "/api/v1/cooperatives",
        json={"code": "SYNC", "name": "Cooperativa", "ruc": "20131312955", "sbs_level": "2B"},
        headers=admin,
    ).json()
    prefix = f"/api/v1/cooperatives/{coop['id']}"
    branch = http.post(
        f"{prefix}/branches",
        json={"code": "AG00", "name": "Agencia", "ubigeo": "210101"},
        headers=admin,
    ).json()
    product = http.post(
        f"{prefix}/savings-products",
        json={"code": "AHV", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.01"},
        headers=admin,
    ).json()
    # the bench's one teller deposits far more in a day than a teller's default limit lets
    # (limits.policy): the cooperative raises it, as its risk policy may
    r = http.put(
        f"{prefix}/operation-limits",
        json={
            "role": "teller",
            "operation": "deposit",
            "currency": "PEN",
            "per_operation": "20000.00",
            "per_day": "100000000.00",
        },
        headers=admin,
    )
    assert r.status_code == 200, r.text
    # the federation makes the cooperative's first admin, who makes its staff
    fed = admin
    admin = staff(http, prefix, fed, "bench.coop.admin", "admin")
    # nobody else in the new cooperative can approve its teller: the federation does
    teller = staff(http, prefix, admin, "bench.cajero", "teller", branch["id"], decider=fed)
    till = http.post(
        f"{prefix}/branches/{branch['id']}/tills",
        json={"code": "C01", "name": "Caja 1"},
        headers=admin,
    ).json()
    opened = http.post(
        f"{prefix}/tills/{till['id']}/sessions",
        json={"counted": []},
        headers={**teller, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert opened.status_code == 201, opened.text
    accounts = []
    for n in range(ACCOUNTS):
        member = http.post(
            f"{prefix}/members",
            json={
                "document_type": "DNI",
                "document_number": f"{40000000 + n}",
                "first_names": "Socia",
                "last_names": f"Sync {n}",
            },
            headers=teller,
        ).json()
        account = http.post(
            f"{prefix}/savings-accounts",
            json={"member_id": member["id"], "product_id": product["id"]},
            headers=teller,
        ).json()
        accounts.append(account["id"])
    return http, prefix, teller, accounts


def batch(accounts: list[str], run: str) -> dict[str, object]:
    return {
        "device_id": f"tablet-{run}",
        "operations": [
            {
                "idempotency_key": f"{run}-{i}",
                "type": "deposit",
                "body": {"account_id": accounts[i % len(accounts)], "amount": f"{1 + i % 40}.50"},
                "recorded_at": "2026-11-23T10:00:00-05:00",
            }
            for i in range(OPERATIONS)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coopac-sync-"))
    admin = server_url(tmp)
    tps, _ = pgbench_tps(fresh_database(admin, "coopac_sync_pgbench"), 16, 10)
    owner = fresh_database(admin, "coopac_sync")
    svc = Service(owner, args.workers, tmp)
    svc.cli("migrate")
    svc.start()
    first: list[float] = []
    again: list[float] = []
    try:
        http, prefix, teller, accounts = prepare(svc)
        http.post(f"{prefix}/sync-batches", json=batch(accounts, "warm"), headers=teller)
        # what a running system has: statistics gathered (a fresh database's plans are
        # made for empty tables and scan them as they grow) and the warm-up's pages written
        settle(owner)
        for n in range(args.runs):
            body = batch(accounts, f"run{n}-{uuid.uuid4().hex[:6]}")
            for times in (first, again):
                started = time.perf_counter()
                r = http.post(f"{prefix}/sync-batches", json=body, headers=teller)
                times.append(time.perf_counter() - started)
                assert r.status_code == 200, r.text[:300]
                answer = r.json()
                assert answer["applied"] == OPERATIONS, answer["refused"]
            print(f"run {n + 1}: applied in {first[-1]:.2f} s, resent in {again[-1]:.2f} s")
    finally:
        svc.stop()
    verify = subprocess.run(
        [sys.executable, "-m", "coopac_core.cli", "verify-ledger"],
        env=svc.env,
        capture_output=True,
        text=True,
    )
    applied = statistics.median(first)
    print(f"pgbench TPC-B (16 clients): {tps:,.0f} tps")
    print(
        f"batch of {OPERATIONS} deposits: median {applied:.2f} s "
        f"({OPERATIONS / applied:,.0f} deposits/s, {OPERATIONS / applied / tps:.2f} of pgbench)"
    )
    print(f"the same batch resent (all replayed): median {statistics.median(again):.2f} s")
    print(f"target: under 3 s -> {'met' if applied < 3 else 'NOT met'}")
    print(f"ledger verified: {verify.returncode == 0}")


if __name__ == "__main__":
    main()
