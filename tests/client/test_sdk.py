"""The Python client (clients/python) against a running service: it logs in and refreshes,
iterates pages, raises the class of each problem code, and retries a money call whose
answer was lost with the same Idempotency-Key, so the money moves once."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi.testclient import TestClient

from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.main import create_app
from coopac_sdk import AmountInvalid, AsyncCoopac, Coopac, GaveUp, ProblemError, errors, models
from coopac_sdk.client import money_text
from tests.support.bank import Bank
from tests.support.live import serve
from tests.support.world import PASSWORD


@pytest.fixture(scope="module")
def base(settings: Settings, db: Database) -> Iterator[str]:
    with serve(create_app(settings, db)) as url:
        yield url


@contextmanager
def slow_first_deposit(target: str, delay: float) -> Iterator[tuple[str, list[str]]]:
    """A proxy in front of the service: the first deposit it carries reaches the service
    (the money moves) but its answer comes only after ``delay``, past the client's patience.
    Yields its address and the Idempotency-Keys of the deposits it carried."""
    keys: list[str] = []
    upstream = httpx.Client(base_url=target, timeout=30)

    class Proxy(BaseHTTPRequestHandler):
        def _relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            answer = upstream.request(self.command, self.path, content=body, headers=headers)
            if self.path.endswith("/deposits"):
                keys.append(self.headers["Idempotency-Key"])
                if len(keys) == 1:
                    time.sleep(delay)
            try:
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("content-length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped waiting

        do_GET = do_POST = _relay  # noqa: N815 - http.server's names

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", keys
    finally:
        server.shutdown()
        server.server_close()
        upstream.close()


def _teller(bank: Bank) -> str:
    return f"{bank.coop.code.lower()}.teller"


def test_a_timed_out_deposit_is_retried_with_its_key_and_moves_once(
    client: TestClient, bank: Bank, base: str
) -> None:
    account = bank.account(client)
    with (
        slow_first_deposit(base, delay=2.0) as (proxy, keys),
        Coopac(proxy, username=_teller(bank), password=PASSWORD, timeout=0.7, backoff=0.1) as api,
    ):
        movement = api.deposit(bank.coop.id, str(account["id"]), Decimal("250.00"))
    assert isinstance(movement, models.Movement)
    assert len(keys) >= 2 and len(set(keys)) == 1  # sent again, with the same key
    assert bank.balance(client, account["id"]) == "250.00"
    assert movement.balance == "250.00"


def test_the_client_logs_in_refreshes_pages_and_raises_by_code(
    client: TestClient, bank: Bank, base: str
) -> None:
    with Coopac(base, username=_teller(bank), password=PASSWORD) as api:
        me = api.me()
        assert me.username == _teller(bank)
        member = api.create_member(
            bank.coop.id,
            models.MemberCreate(
                document_type=models.DocumentType.DNI,
                document_number="47000111",
                first_names="Eusebia",
                last_names="Choque Mamani",
            ),
        )
        account = api.request(
            "POST",
            f"/cooperatives/{bank.coop.id}/savings-accounts",
            json={"member_id": str(member.id), "product_id": bank.sight_pen},
        )
        for amount in ("10.00", "20.00", "30.00"):
            api.deposit(bank.coop.id, account["id"], amount)
        # a token that died early: the client logs in again, once
        assert api._token is not None
        api._token.access = "not-a-token"
        lines = list(
            api.pages(
                f"/cooperatives/{bank.coop.id}/savings-accounts/{account['id']}/transactions",
                limit=1,
            )
        )
        assert [line["amount"] for line in lines] == ["10.00", "20.00", "30.00"]
        # a token near its end is refreshed before the call
        api._token.expires_at = 0
        assert api.me().username == _teller(bank)
        with pytest.raises(errors.InsufficientFundsError) as refused:
            api.withdraw(bank.coop.id, account["id"], "1000.00")
        assert refused.value.status == 422 and isinstance(refused.value, ProblemError)
        assert bank.balance(client, account["id"]) == "60.00"
    with (
        Coopac(base, username=_teller(bank), password="wrong-password") as api,
        pytest.raises(errors.InvalidCredentialsError),
    ):
        api.me()


def test_the_async_client_deposits(client: TestClient, bank: Bank, base: str) -> None:
    account = bank.account(client)

    async def run() -> list[str]:
        async with AsyncCoopac(base, username=_teller(bank), password=PASSWORD) as api:
            moved = await asyncio.gather(
                *(api.deposit(bank.coop.id, str(account["id"]), "5.00") for _ in range(5))
            )
            return [m.amount for m in moved]

    assert asyncio.run(run()) == ["5.00"] * 5
    assert bank.balance(client, account["id"]) == "25.00"


@pytest.mark.parametrize("amount", ["10.005", "10.015", "1e2", "0.001", "1,5", "", "NaN", 10.5])
def test_the_client_refuses_an_amount_it_would_have_to_round(amount: object) -> None:
    with pytest.raises(AmountInvalid):
        money_text(amount)  # type: ignore[arg-type]


def test_the_client_writes_amounts_as_they_are() -> None:
    assert [money_text(a) for a in ("10", "10.5", Decimal("0.01"), 7)] == [
        "10.00", "10.50", "0.01", "7.00"
    ]  # fmt: skip


def test_the_async_client_has_every_method_of_the_sync_one() -> None:
    def surface(cls: type) -> set[str]:
        return {n for n in vars(cls) if not n.startswith("__")} - {"__aenter__", "__enter__"}

    assert surface(AsyncCoopac) == surface(Coopac)


def test_a_deposit_given_up_carries_its_key_and_resumes_once(
    client: TestClient, bank: Bank, base: str
) -> None:
    account = str(bank.account(client)["id"])
    with (
        slow_first_deposit(base, delay=2.0) as (proxy, _),
        Coopac(proxy, username=_teller(bank), password=PASSWORD, timeout=0.5, retries=0) as api,
        pytest.raises(GaveUp) as lost,
    ):
        api.deposit(bank.coop.id, account, "40.00")
    # the first attempt reached the service: resumed with its key, it moves nothing more
    with Coopac(base, username=_teller(bank), password=PASSWORD) as api:
        again = api.deposit(bank.coop.id, account, "40.00", key=lost.value.key)
    assert again.balance == "40.00"
    assert bank.balance(client, account) == "40.00"
