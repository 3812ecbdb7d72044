"""A bank workload for the reliability tests: clients transfer and deposit among a few
accounts until a deadline, retrying with the same key whatever happens (timeouts, 503s,
a dead server), like a teller's front-end on a bad link. It records every answer."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

RETRYABLE = {409, 502, 503}


@dataclass
class Book:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    ops: dict[str, tuple[str, Decimal]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    bodies_5xx: list[str] = field(default_factory=list)
    transport_errors: int = 0

    def record(self, key: str, kind: str, amount: Decimal, r: httpx.Response) -> None:
        with self.lock:
            self.statuses[r.status_code] += 1
            if r.status_code >= 500:
                self.bodies_5xx.append(
                    f"{r.status_code} {r.headers.get('content-type')} {r.text[:200]}"
                )
            if r.status_code == 201:
                self.acked[key].append(r.json())
                self.ops[key] = (kind, amount)

    def deposits(self) -> Decimal:
        return sum((a for k, a in self.ops.values() if k == "deposit"), Decimal(0))

    def entries(self) -> set[str]:
        out = set()
        for key, responses in self.acked.items():
            ids = {r["journal_entry_id"] for r in responses}
            assert len(ids) == 1, (key, responses)  # replays return the first answer
            out |= ids
        return out


def run_clients(
    base: str,
    prefix: str,
    headers: dict[str, str],
    branch_id: str,
    accounts: list[str],
    book: Book,
    *,
    clients: int,
    seconds: float,
    seed: int = 0,
    until: Callable[[], bool] | None = None,
) -> None:
    """Clients work for ``seconds``, or, given ``until``, until it holds (``seconds`` then
    only bounds the wait)."""
    deadline = time.monotonic() + seconds
    failures: list[BaseException] = []

    def going() -> bool:
        if until is not None:
            assert time.monotonic() < deadline, "the workload never reached its state"
            return not until()
        return time.monotonic() < deadline

    def client_loop(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        try:
            with httpx.Client(base_url=base, timeout=10) as http:
                while going():
                    amount = Decimal(rng.randint(100, 5000)) / 100
                    key = str(uuid.uuid4())
                    if rng.random() < 0.4:
                        acct = rng.choice(accounts)
                        url, kind = f"{prefix}/savings-accounts/{acct}/deposits", "deposit"
                        body: dict[str, Any] = {"amount": str(amount), "branch_id": branch_id}
                    else:
                        src, dst = rng.sample(accounts, 2)
                        url, kind = f"{prefix}/transfers", "transfer"
                        body = {"from_account_id": src, "to_account_id": dst, "amount": str(amount)}
                    _until_answered(
                        http, url, body, {**headers, "Idempotency-Key": key}, book, kind, amount
                    )
        except BaseException as exc:  # surfaced by the caller
            failures.append(exc)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    assert not failures, failures[:3]


def _until_answered(
    http: httpx.Client,
    url: str,
    body: dict[str, Any],
    headers: dict[str, str],
    book: Book,
    kind: str,
    amount: Decimal,
) -> None:
    for _ in range(600):
        try:
            r = http.post(url, json=body, headers=headers)
        except httpx.TransportError:
            with book.lock:
                book.transport_errors += 1
            time.sleep(0.1)
            continue
        book.record(headers["Idempotency-Key"], kind, amount, r)
        if r.status_code in RETRYABLE:
            time.sleep(0.05)
            continue
        assert r.status_code in (201, 422), r.text
        if r.status_code == 422:
            assert r.json()["code"] == "insufficient_funds", r.text
        return
    raise AssertionError(f"no answer for {headers['Idempotency-Key']}")
