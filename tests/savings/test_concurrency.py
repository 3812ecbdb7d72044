"""Many clients at once, with real commits: no lost update, no overdraft, no double posting.

Clients behave like tellers' front-ends on a bad link: some requests time out on the
client side (the server may still have posted them) and are retried with the same key;
some are sent twice at once.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.main import create_app
from coopac_core.security.roles import Role
from tests.support.bank import Bank
from tests.support.live import serve
from tests.support.world import World

CLIENTS = 50
OPS_PER_CLIENT = 12
ACCOUNTS = 6
START = Decimal("1000.00")


@pytest.fixture(scope="module")
def live_url(settings: Settings, db: Database) -> Iterator[str]:
    with serve(create_app(settings, db)) as url:
        yield url


@dataclass
class Ledgerbook:
    """What the clients were told: the acknowledged (201) responses, by key."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    kinds: dict[str, tuple[str, Decimal]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    history: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def record(self, key: str, kind: str, amount: Decimal, response: httpx.Response) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            self.history[key].append(response.status_code)
            if response.status_code == 201:
                self.acked[key].append(response.json())
                self.kinds[key] = (kind, amount)


def _post(
    client: httpx.Client, url: str, body: dict[str, Any], headers: dict[str, str], timeout: float
) -> httpx.Response | None:
    """One try; None when the link failed (a timeout, a dropped or refused connection, a
    server that closed without answering): the caller sends the same key again."""
    try:
        return client.post(url, json=body, headers=headers, timeout=timeout)
    except httpx.TransportError:
        return None


def _send_until_definitive(
    client: httpx.Client,
    url: str,
    body: dict[str, Any],
    headers: dict[str, str],
    book: Ledgerbook,
    kind: str,
) -> None:
    """Retry with the same key until the server gives a definitive answer, as a
    front-end does when its link drops."""
    key = headers["Idempotency-Key"]
    amount = Decimal(body["amount"])
    timeout = 0.02 if random.random() < 0.15 else 30.0  # some first tries time out client-side
    for _ in range(50):
        r = _post(client, url, body, headers, timeout)
        timeout = 30.0
        if r is None:
            continue
        book.record(key, kind, amount, r)
        if r.status_code in (409, 503):  # key still in flight, or database busy: retry
            continue
        assert r.status_code in (201, 422), r.text
        assert r.headers["content-type"].startswith(
            "application/json" if r.status_code == 201 else "application/problem+json"
        )
        if r.status_code == 422:
            assert r.json()["code"] == "insufficient_funds", r.text
        if random.random() < 0.3:  # the answer was lost: the same request again
            again = _post(client, url, body, headers, 30.0)
            for _ in range(50):  # busy or the link dropped: retry, as a front-end would
                if again is not None and again.status_code not in (409, 503):
                    break
                again = _post(client, url, body, headers, 30.0)
            assert again is not None
            book.record(key, kind, amount, again)
            assert again.status_code == r.status_code
            assert again.headers["idempotent-replayed"] == "true"
        return
    raise AssertionError(f"no definitive answer for {key}")


def _worker(base: str, bank: Bank, accounts: list[str], book: Ledgerbook, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base) as client:
        for _ in range(OPS_PER_CLIENT):
            roll = rng.random()
            cents = Decimal(rng.randint(100, 30000)) / 100
            headers = {**bank.teller, "Idempotency-Key": str(uuid.uuid4())}
            if roll < 0.3:
                acct = rng.choice(accounts)
                url, kind = bank.url(f"/savings-accounts/{acct}/deposits"), "deposit"
                body: dict[str, Any] = {"amount": str(cents), "branch_id": bank.puno}
            elif roll < 0.6:
                acct = rng.choice(accounts)
                url, kind = bank.url(f"/savings-accounts/{acct}/withdrawals"), "withdrawal"
                body = {"amount": str(cents), "branch_id": bank.puno}
            else:
                src, dst = rng.sample(accounts, 2)
                url, kind = bank.url("/transfers"), "transfer"
                body = {"from_account_id": src, "to_account_id": dst, "amount": str(cents)}
            if rng.random() < 0.1:
                # the same request sent twice at once
                with ThreadPoolExecutor(2) as pool:
                    for f in [
                        pool.submit(_send_until_definitive, client, url, body, headers, book, kind)
                        for _ in range(2)
                    ]:
                        f.result()
            else:
                _send_until_definitive(client, url, body, headers, book, kind)


def test_fifty_concurrent_clients_conserve_money(
    client: TestClient, bank: Bank, world: World, live_url: str, owner_engine: Engine
) -> None:
    accounts = [str(bank.account(client)["id"]) for _ in range(ACCOUNTS)]
    funding = {str(bank.deposit(client, acct, str(START))["journal_entry_id"]) for acct in accounts}

    book = Ledgerbook()
    failures: list[BaseException] = []

    def guarded(*args: Any) -> None:
        try:
            _worker(*args)
        except BaseException as exc:  # surfaced below: a thread's assertion must fail the test
            failures.append(exc)

    threads = [
        threading.Thread(target=guarded, args=(live_url, bank, accounts, book, seed))
        for seed in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
        assert not t.is_alive()
    assert not failures, failures[:3]

    # every acknowledged key: one journal entry, whatever the number of replays
    entry_of_key: dict[str, str] = {}
    for key, responses in book.acked.items():
        ids = {r["journal_entry_id"] for r in responses}
        assert len(ids) == 1, (key, responses)
        entry_of_key[key] = ids.pop()
    assert len(set(entry_of_key.values())) == len(entry_of_key)

    with owner_engine.connect() as conn:
        posted = {
            str(r[0])
            for r in conn.execute(
                text(
                    "SELECT DISTINCT e.id FROM journal_entry e JOIN posting p "
                    "ON p.cooperative_id = e.cooperative_id AND p.entry_id = e.id "
                    "WHERE p.account_id = ANY(CAST(:a AS uuid[]))"
                ),
                {"a": accounts},
            )
        } - funding
        balances = {
            str(r[0]): r[1]
            for r in conn.execute(
                text("SELECT id, balance FROM savings_account WHERE id = ANY(CAST(:a AS uuid[]))"),
                {"a": accounts},
            )
        }
    # exactly the acknowledged operations are in the ledger, once each
    if posted != set(entry_of_key.values()):
        with owner_engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT key, response_status, response_body::text FROM idempotency_key "
                    "WHERE response_body->>'journal_entry_id' = ANY(CAST(:e AS text[]))"
                ),
                {"e": list(posted - set(entry_of_key.values()))},
            ).all()
        detail = [(k, st, body[:200], book.history.get(k)) for k, st, body in rows]
        raise AssertionError(f"posted but not acknowledged: {detail}")

    deposits = sum((amt for kind, amt in book.kinds.values() if kind == "deposit"), Decimal(0))
    withdrawals = sum(
        (amt for kind, amt in book.kinds.values() if kind == "withdrawal"), Decimal(0)
    )
    assert sum(balances.values()) == START * ACCOUNTS + deposits - withdrawals
    assert all(b >= 0 for b in balances.values())

    report = client.get(
        bank.url("/ledger/verification"), headers=world.a.headers[Role.auditor]
    ).json()
    assert report["ok"], report["problems"]
    tb = client.get(
        bank.url("/ledger/trial-balance"), headers=world.a.headers[Role.accountant]
    ).json()
    assert tb["total_debits"] == tb["total_credits"]
    # the workload really collided and really refused some overdrafts
    assert book.statuses[201] > CLIENTS * OPS_PER_CLIENT // 2
    assert book.statuses[422] > 0


def test_same_key_fired_at_once_posts_once(client: TestClient, bank: Bank, live_url: str) -> None:
    account = str(bank.account(client)["id"])
    headers = {**bank.teller, "Idempotency-Key": str(uuid.uuid4())}
    body = {"amount": "10.00", "branch_id": bank.puno}

    def fire(_: int) -> httpx.Response:
        with httpx.Client(base_url=live_url, timeout=30) as c:
            return c.post(
                bank.url(f"/savings-accounts/{account}/deposits"), json=body, headers=headers
            )

    with ThreadPoolExecutor(16) as pool:
        responses = list(pool.map(fire, range(16)))
    created = [r for r in responses if r.status_code == 201]
    assert created
    assert all(r.status_code in (201, 409) for r in responses), [r.text for r in responses]
    assert len({r.json()["journal_entry_id"] for r in created}) == 1
    assert sum(1 for r in created if "idempotent-replayed" not in r.headers) == 1
    assert bank.balance(client, account) == "10.00"
