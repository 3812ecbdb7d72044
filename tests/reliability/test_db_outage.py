"""PostgreSQL connections are cut under requests: one at a known point (a deposit waiting on a
lock), then over and over while clients work. They get 503 problem+json, never 500, and the
service recovers by itself. The books stay whole."""

from __future__ import annotations

import threading
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


def _cut_a_held_deposit(
    live_url: str, bank: Bank, account: str, owner_engine: Engine, settings: Settings
) -> None:
    """A deposit waits on its account's row, which the owner holds locked; the connection
    serving it is cut right there. It answers 503 database_unavailable, not 500, and the
    same key sent again moves the money once."""
    headers = {**bank.teller, **key()}
    body = {"amount": "7.00", "branch_id": bank.puno}
    url = bank.url(f"/savings-accounts/{account}/deposits")
    answers: list[httpx.Response] = []
    with owner_engine.connect() as holder, owner_engine.connect() as watcher:
        holder.execute(text("SELECT set_config('coopac.tenant', '*', true)"))
        holder.execute(
            text("SELECT 1 FROM savings_account WHERE id = :a FOR UPDATE"), {"a": account}
        )
        sender = threading.Thread(
            target=lambda: answers.append(
                httpx.post(live_url + url, json=body, headers=headers, timeout=60)
            )
        )
        sender.start()
        waiting = text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND usename = :app AND wait_event_type = 'Lock'"
        )
        pids: list[int] = []
        while not pids and sender.is_alive():  # until the deposit waits on the lock
            pids = list(watcher.execute(waiting, {"app": settings.app_db_user}).scalars())
            watcher.commit()
            if not pids:
                sender.join(0.01)
        assert pids, answers[0].text if answers else "the deposit never waited"
        watcher.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pids[0]})
        sender.join()
        holder.rollback()
    cut = answers[0]
    assert cut.status_code == 503, cut.text
    assert cut.headers["content-type"].startswith("application/problem+json")
    assert cut.json()["code"] == "database_unavailable"
    with httpx.Client(base_url=live_url) as http:
        again = post_until_answered(http, url, json=body, headers=headers)
    assert again.status_code == 201, again.text
    assert again.json()["balance"] == "2007.00"


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
    _cut_a_held_deposit(live_url, bank, accounts[0], owner_engine, settings)

    # then the connections are cut over and over while twenty clients work
    book = Book()
    stop = threading.Event()
    cuts: list[int] = []

    def cutter() -> None:
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
                stop.wait(0.25)

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

    # whichever requests the cuts met: never a 500, and every 5xx a problem
    assert book.statuses[500] == 0, book.bodies_5xx[:3]
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
    assert sum(balances) == Decimal("8007.00") + book.deposits() + 2
    assert all(b >= 0 for b in balances)
    report = client.get(
        bank.url("/ledger/verification"), headers=world.a.headers[Role.auditor]
    ).json()
    assert report["ok"], report["problems"]
