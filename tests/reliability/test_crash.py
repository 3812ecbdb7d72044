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
from tests.support.demo import Demo
from tests.support.process import Service

pytestmark = pytest.mark.heavy


@pytest.fixture
def service(
    new_database: Callable[..., URL], demo: Demo, tmp_path: Path
) -> Iterator[tuple[Service, URL]]:
    # each test starts `serve --demo` on a copy of the run's demo, which it finds loaded
    url = new_database(demo.url)
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
    acked_at_restart: list[int] = []

    def acked() -> int:
        with book.lock:
            return len(book.acked)

    def killer() -> None:
        # killed while the clients are at work (some operations acknowledged), started again
        # once every worker is dead
        deadline = time.monotonic() + 60
        while acked() < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        svc.kill()
        svc.start()
        acked_at_restart.append(acked())
        killer_done.set()

    def done() -> bool:
        # as many operations again acknowledged by the service started anew
        return killer_done.is_set() and acked() >= acked_at_restart[0] + 40

    t = threading.Thread(target=killer)
    t.start()
    run_clients(
        svc.base, prefix, headers, branch, accounts, book, clients=16, seconds=120, seed=3,
        until=done,
    )  # fmt: skip
    t.join()
    assert acked_at_restart[0] >= 40, "the service was killed before the clients worked"
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


def test_a_sync_batch_cut_by_a_crash_and_resent_completes_exactly_once(
    service: tuple[Service, URL],
) -> None:
    """A device's batch of 1,000 deposits; the service is killed in the middle of it. The
    device sends the same batch again: every operation is in the ledger exactly once."""
    svc, url = service
    svc.start("--demo")
    http = httpx.Client(base_url=svc.base, timeout=60)
    token = http.post(
        "/api/v1/auth/token", data={"username": "sur.cajero", "password": DEMO_PASSWORD}
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = http.get("/api/v1/me", headers=headers).json()
    prefix = f"/api/v1/cooperatives/{me['cooperative_id']}"
    product = next(
        p
        for p in http.get(f"{prefix}/savings-products", headers=headers).json()["items"]
        if p["code"] == "AHV"
    )
    accounts = []
    for n in range(4):
        m = http.post(
            f"{prefix}/members",
            json={
                "document_type": "DNI",
                "document_number": f"7100000{n}",
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
        accounts.append(a["id"])
    amounts = [Decimal(1 + i % 9).quantize(Decimal("0.01")) for i in range(1000)]
    ops = [
        {
            "idempotency_key": f"tablet-crash-{i:04d}",
            "type": "deposit",
            "body": {"account_id": accounts[i % 4], "amount": str(amount)},
            "recorded_at": "2026-11-23T10:00:00-05:00",
        }
        for i, amount in enumerate(amounts)
    ]
    total = sum(amounts, Decimal("0.00"))
    batch = {"device_id": "tablet-crash", "operations": ops}
    engine = create_engine(url)

    def applied() -> int:
        with engine.connect() as conn:
            n: int = conn.execute(
                text("SELECT count(*) FROM journal_entry WHERE device_id = 'tablet-crash'")
            ).scalar_one()
            return n

    outcome: dict[str, object] = {}

    def send() -> None:
        try:
            outcome["response"] = http.post(f"{prefix}/sync-batches", json=batch, headers=headers)
        except httpx.TransportError as exc:
            outcome["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 60
    while applied() < 100 and time.monotonic() < deadline:
        time.sleep(0.02)
    svc.kill()
    sender.join()
    try:
        assert "error" in outcome, "the batch finished before the crash"
        before = applied()
        assert 0 < before < 1000
        svc.start()
        r = http.post(f"{prefix}/sync-batches", json=batch, headers=headers)
        assert r.status_code == 200, r.text[:500]
        body = r.json()
        assert (body["applied"], body["refused"]) == (1000, 0)
        assert sum(1 for x in body["results"] if x["replayed"]) == before
        assert applied() == 1000
        with engine.connect() as conn:
            balances = conn.execute(
                text("SELECT sum(balance) FROM savings_account WHERE id = ANY(CAST(:a AS uuid[]))"),
                {"a": accounts},
            ).scalar_one()
        assert balances == total
    finally:
        engine.dispose()
    verify = subprocess.run(
        [sys.executable, "-m", "coopac_core.cli", "verify-ledger"],
        env=svc.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
