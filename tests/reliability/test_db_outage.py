"""PostgreSQL connections are cut while clients work: they get 503 problem+json, never 500,
and the service recovers by itself. The books stay whole."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.main import create_app
from coopac_core.security.roles import Role
from tests.reliability.workload import Book, run_clients
from tests.support.bank import Bank, key
from tests.support.http import post_until_answered
from tests.support.live import serve
from tests.support.world import World


@pytest.fixture(scope="module")
def live_url(settings: Settings, db: Database) -> Iterator[str]:
    with serve(create_app(settings, db)) as url:
        yield url


def test_connections_cut_during_the_workload(
    client: TestClient,
    bank: Bank,
    world: World,
    live_url: str,
    owner_engine: Engine,
    settings: Settings,
) -> None:
    accounts = [str(bank.account(client)["id"]) for _ in range(4)]
    for acct in accounts:
        bank.deposit(client, acct, "2000.00")
    book = Book()
    stop = threading.Event()
    cuts: list[int] = []

    def cutter() -> None:
        time.sleep(1.0)
        with owner_engine.connect() as conn:
            while not stop.is_set():
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND usename = :app AND pid <> pg_backend_pid()"
                    ),
                    {"app": settings.app_db_user},
                ).scalar_one()
                cuts.append(int(killed))
                time.sleep(0.25)

    t = threading.Thread(target=cutter)
    t.start()
    try:
        run_clients(
            live_url,
            bank.url(""),
            bank.teller,
            bank.puno,
            accounts,
            book,
            clients=20,
            seconds=5,
            seed=7,
        )
    finally:
        stop.set()
        t.join()

    assert sum(cuts) > 0, "the outage never happened"
    assert book.statuses[500] == 0, book.bodies_5xx[:3]
    assert book.statuses[503] > 0, dict(book.statuses)
    assert all("application/problem+json" in b for b in book.bodies_5xx), book.bodies_5xx[:3]
    assert all("database_unavailable" in b for b in book.bodies_5xx if b.startswith("503")), (
        book.bodies_5xx[:3]
    )

    # recovered by itself: a new deposit works at once
    r = client.post(
        bank.url(f"/savings-accounts/{accounts[0]}/deposits"),
        json={"amount": "1.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201
    with httpx.Client(base_url=live_url) as http:
        assert http.get("/ready").status_code == 200
        live = post_until_answered(
            http,
            bank.url(f"/savings-accounts/{accounts[0]}/deposits"),
            json={"amount": "1.00", "branch_id": bank.puno},
            headers={**bank.teller, **key()},
        )
        assert live.status_code == 201, live.text

    balances = [Decimal(bank.balance(client, a)) for a in accounts]
    assert sum(balances) == Decimal("8000.00") + book.deposits() + 2
    assert all(b >= 0 for b in balances)
    report = client.get(
        bank.url("/ledger/verification"), headers=world.a.headers[Role.auditor]
    ).json()
    assert report["ok"], report["problems"]
