"""The service is killed (SIGKILL, every worker) in the middle of the workload and started
again. Money acknowledged is in the ledger exactly once; retried keys never post twice."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from coopac_core.demo import DEMO_PASSWORD
from tests.reliability.workload import Book, run_clients
from tests.support.process import Service


@pytest.fixture
def service(new_database: Callable[[], URL], tmp_path: Path) -> Iterator[tuple[Service, URL]]:
    url = new_database()
    svc = Service(url, tmp_path)
    yield svc, url
    svc.stop()


def test_sigkill_mid_workload_loses_and_doubles_nothing(service: tuple[Service, URL]) -> None:
    svc, url = service
    svc.start("--demo")
    http = httpx.Client(base_url=svc.base, timeout=10)
    token = http.post(
        "/api/v1/auth/token", data={"username": "sur.cajero", "password": DEMO_PASSWORD}
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = http.get("/api/v1/me", headers=headers).json()
    prefix = f"/api/v1/cooperatives/{me['cooperative_id']}"
    branch = me["roles"][0]["branch_id"]
    product = next(
        p
        for p in http.get(f"{prefix}/savings-products", headers=headers).json()["items"]
        if p["code"] == "AHV"
    )
    accounts = []
    funding = set()
    for n in range(4):
        m = http.post(
            f"{prefix}/members",
            json={
                "document_type": "DNI",
                "document_number": f"7000000{n}",
                "first_names": "A",
                "last_names": "B",
            },
            headers=headers,
        ).json()
        a = http.post(
            f"{prefix}/savings-accounts",
            json={"member_id": m["id"], "product_id": product["id"]},
            headers=headers,
        ).json()
        r = http.post(
            f"{prefix}/savings-accounts/{a['id']}/deposits",
            json={"amount": "1000.00", "branch_id": branch},
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        assert r.status_code == 201
        accounts.append(a["id"])
        funding.add(r.json()["journal_entry_id"])

    book = Book()
    killer_done = threading.Event()

    def killer() -> None:
        time.sleep(2.0)
        svc.kill()
        time.sleep(1.0)
        svc.start()
        killer_done.set()

    t = threading.Thread(target=killer)
    t.start()
    run_clients(svc.base, prefix, headers, branch, accounts, book, clients=16, seconds=7, seed=3)
    t.join()
    assert killer_done.is_set()
    assert book.transport_errors > 0, "the crash was not felt by any client"
    assert book.statuses[500] == 0, book.bodies_5xx[:3]

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            posted = {
                str(r[0])
                for r in conn.execute(
                    text(
                        "SELECT DISTINCT entry_id FROM posting WHERE account_id = ANY(CAST(:a AS uuid[]))"
                    ),
                    {"a": accounts},
                )
            } - funding
            balances = [
                r[0]
                for r in conn.execute(
                    text("SELECT balance FROM savings_account WHERE id = ANY(CAST(:a AS uuid[]))"),
                    {"a": accounts},
                )
            ]
    finally:
        engine.dispose()
    # every acknowledged operation is in the ledger exactly once, and nothing else is
    assert posted == book.entries()
    assert sum(balances) == Decimal("4000.00") + book.deposits()
    assert all(b >= 0 for b in balances)

    verify = subprocess.run(
        [sys.executable, "-m", "coopac_core.cli", "verify-ledger"],
        env=svc.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
