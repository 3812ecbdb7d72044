"""The drill of finding 13: PostgreSQL is stopped at once (an immediate shutdown, as a crash
of the server) under a load of deposits and transfers, and started again. The service stays
up: every answer is 201 or 503 database_unavailable (a refusal of the business aside), never
a 500 nor a dropped connection; every 201 is in the books once, and a request that got 503,
sent again with its key, moves its money once."""

from __future__ import annotations

import signal
import threading
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from coopac_core.db import start_embedded
from coopac_core.demo import DEMO_PASSWORD
from tests.reliability.workload import Book, run_clients
from tests.support.demo import Demo
from tests.support.embedded import demo_into_embedded, restart_embedded, stop_embedded
from tests.support.process import Service

pytestmark = pytest.mark.heavy


def test_postgresql_stopped_at_once_and_started_again_answers_201_or_503(
    demo: Demo, new_database: Callable[..., URL], embedded_dir: Path
) -> None:
    demo_into_embedded(new_database(demo.url), embedded_dir)
    url = start_embedded(embedded_dir)
    svc = Service(url, embedded_dir)
    svc.start()
    try:
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
            r = http.post(
                f"{prefix}/savings-accounts/{a['id']}/deposits",
                json={"amount": "1000.00", "branch_id": branch},
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            )
            assert r.status_code == 201, r.text
            accounts.append(a["id"])

        book = Book()
        restarted = threading.Event()
        acked_at_restart: list[int] = []

        def acked() -> int:
            with book.lock:
                return len(book.acked)

        def unavailable() -> int:
            with book.lock:
                return book.statuses[503]

        def drill() -> None:
            # stopped at once while the clients work, started again once they met it
            deadline = time.monotonic() + 60
            while acked() < 30 and time.monotonic() < deadline:
                time.sleep(0.02)
            stop_embedded(embedded_dir, signal.SIGQUIT)
            while unavailable() < 10 and time.monotonic() < deadline + 60:
                time.sleep(0.02)
            restart_embedded(embedded_dir)
            acked_at_restart.append(acked())
            restarted.set()

        driller = threading.Thread(target=drill)
        driller.start()
        try:
            run_clients(
                svc.base,
                prefix,
                headers,
                branch,
                accounts,
                book,
                clients=8,
                seconds=180,
                seed=13,
                until=lambda: restarted.is_set() and acked() >= acked_at_restart[0] + 30,
            )
        finally:
            driller.join()

        # the server's absence met: 503s, and nothing else but the business's answers
        assert book.statuses[503] >= 10, dict(book.statuses)
        assert set(book.statuses) <= {201, 503, 409, 422}, dict(book.statuses)
        assert all(
            "application/problem+json" in b and "database_unavailable" in b for b in book.bodies_5xx
        ), book.bodies_5xx[:3]
        assert book.transport_errors == 0  # the service itself never went away

        # every acknowledged operation in the books once; the money conserved
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT set_config('coopac.tenant', '*', false)"))
            found = set(
                conn.execute(
                    text("SELECT id::text FROM journal_entry WHERE id::text = ANY(:ids)"),
                    {"ids": sorted(book.entries())},
                ).scalars()
            )
            balances = conn.execute(
                text("SELECT sum(balance) FROM savings_account WHERE id::text = ANY(:ids)"),
                {"ids": accounts},
            ).scalar_one()
        engine.dispose()
        assert found == book.entries()
        assert Decimal(balances) == Decimal("4000.00") + book.deposits()
        r = http.get(f"{prefix}/ledger/verification", headers=_auditor(http))
        assert r.status_code == 200 and r.json()["ok"], r.text
    finally:
        svc.stop()


def _auditor(http: httpx.Client) -> dict[str, str]:
    # a worker's first request on a connection the restart dropped answers 503 (and that
    # worker's pool is renewed: no ping on every checkout), as a client retries it
    for _ in range(5):
        r = http.post(
            "/api/v1/auth/token", data={"username": "sur.auditor", "password": DEMO_PASSWORD}
        )
        if r.status_code != 503:
            break
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}
