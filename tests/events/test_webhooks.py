"""Webhooks: signed per Standard Webhooks and verified by its package, retried until the
receiver takes them, sent once to an endpoint however many workers run, and sent again
with the same webhook-id when a worker dies mid-send."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.events import addresses
from coopac_core.events.worker import WebhookWorker
from coopac_core.security.roles import Role
from tests.support.bank import Bank
from tests.support.receiver import receiver


def _fast(settings: Settings, **extra: Any) -> Settings:
    return settings.model_copy(
        update={
            "webhook_first_retry_seconds": 0.05,
            "webhook_max_delay_seconds": 0.2,
            "webhook_lease_seconds": 2.0,
            "webhook_timeout_seconds": 5.0,
            **extra,
        }
    )


def _endpoint(client: TestClient, bank: Bank, url: str, types: list[str]) -> dict[str, Any]:
    r = client.post(
        bank.url("/webhook-endpoints"),
        json={"url": url, "event_types": types, "description": "prueba"},
        headers=bank.admin,
    )
    assert r.status_code == 201, r.text
    endpoint: dict[str, Any] = r.json()
    assert endpoint["secret"].startswith("whsec_")
    return endpoint


def _off(client: TestClient, bank: Bank, endpoint: dict[str, Any]) -> None:
    r = client.patch(
        bank.url(f"/webhook-endpoints/{endpoint['id']}"),
        json={"status": "disabled"},
        headers=bank.admin,
    )
    assert r.status_code == 200, r.text


def _until(done: Callable[[], bool], work: Callable[[], object], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not delivered in time"
        work()
        time.sleep(0.02)


def _deliveries(client: TestClient, bank: Bank, endpoint: dict[str, Any]) -> list[dict[str, Any]]:
    r = client.get(
        bank.url(f"/webhook-endpoints/{endpoint['id']}/deliveries"),
        headers=bank.coop.headers[Role.auditor],
    )
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def test_a_deposit_reaches_the_receiver_signed(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    worker = WebhookWorker(db, _fast(settings))
    with receiver() as rec:
        endpoint = _endpoint(client, bank, rec.url, ["money.deposit"])
        try:
            # the secret is shown once
            r = client.get(bank.url(f"/webhook-endpoints/{endpoint['id']}"), headers=bank.admin)
            assert "secret" not in r.json()
            # the teller may not touch endpoints
            r = client.post(
                bank.url("/webhook-endpoints"),
                json={"url": rec.url, "event_types": ["*"]},
                headers=bank.teller,
            )
            assert r.status_code == 403
            account = bank.account(client)  # no event the endpoint wants
            deposit = bank.deposit(client, account["id"], "75.50")
            _until(lambda: len(rec.got) >= 1, worker.run_once)
            [got] = rec.got
            # a receiver checks it with the standardwebhooks package and the secret
            payload = Webhook(endpoint["secret"]).verify(got.body, got.headers)
            assert payload["type"] == "money.deposit"
            assert payload["data"]["entry_id"] == deposit["journal_entry_id"]
            assert payload["data"]["data"]["amounts"] == {"PEN": "75.50"}
            assert got.headers["webhook-id"] == payload["data"]["id"]
            # tampered, it does not verify
            forged = got.body.replace(b"75.50", b"7550.00")
            with pytest.raises(WebhookVerificationError):
                Webhook(endpoint["secret"]).verify(forged, got.headers)
            [delivery] = _deliveries(client, bank, endpoint)
            assert (delivery["status"], delivery["attempts"]) == ("succeeded", 1)
            assert delivery["attempt_log"][0]["status_code"] == 200
            # delivered: sent again only when asked with force, with the same webhook-id
            r = client.post(bank.url(f"/deliveries/{delivery['id']}/retry"), headers=bank.admin)
            assert (r.status_code, r.json()["code"]) == (409, "webhook_delivery_delivered")
            r = client.post(
                bank.url(f"/deliveries/{delivery['id']}/retry"),
                params={"force": "true"},
                headers=bank.admin,
            )
            assert r.status_code == 202, r.text
            done = client.get(
                bank.url(f"/webhook-endpoints/{endpoint['id']}/deliveries"),
                params={"status": "failed"},
                headers=bank.admin,
            )
            assert done.status_code == 200 and done.json()["items"] == []
            _until(lambda: len(rec.got) >= 2, worker.run_once)
            assert rec.ids() == [got.headers["webhook-id"]] * 2
        finally:
            _off(client, bank, endpoint)
            worker.close()


def test_a_receiver_that_fails_three_times_gets_the_event_once(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    worker = WebhookWorker(db, _fast(settings))
    with receiver() as rec:
        rec.answer = lambda n: 503 if n < 3 else 200
        endpoint = _endpoint(client, bank, rec.url, ["money.*"])
        try:
            account = bank.account(client)
            bank.deposit(client, account["id"], "20.00")
            _until(
                lambda: any(r.answered == 200 for r in rec.got),
                worker.run_once,
            )
            time.sleep(0.3)
            worker.run_once()
            assert [r.answered for r in rec.got] == [503, 503, 503, 200]
            assert len(set(rec.ids())) == 1
            [delivery] = _deliveries(client, bank, endpoint)
            assert (delivery["status"], delivery["attempts"]) == ("succeeded", 4)
            assert [a["status_code"] for a in delivery["attempt_log"]] == [503, 503, 503, 200]
            r = client.get(bank.url(f"/webhook-endpoints/{endpoint['id']}"), headers=bank.admin)
            assert r.json()["failing_since"] is None
            assert r.json()["status"] == "active"
        finally:
            _off(client, bank, endpoint)
            worker.close()


def test_an_endpoint_that_keeps_failing_is_disabled_with_its_reason(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    worker = WebhookWorker(db, _fast(settings, webhook_disable_after_seconds=0.3))
    with receiver() as rec:
        rec.answer = lambda n: 500
        endpoint = _endpoint(client, bank, rec.url, ["money.deposit"])
        account = bank.account(client)
        bank.deposit(client, account["id"], "5.00")

        def disabled() -> bool:
            r = client.get(bank.url(f"/webhook-endpoints/{endpoint['id']}"), headers=bank.admin)
            return bool(r.json()["status"] == "disabled")

        _until(disabled, worker.run_once)
        r = client.get(bank.url("/webhook-endpoints"), headers=bank.admin)
        [seen] = [e for e in r.json()["items"] if e["id"] == endpoint["id"]]
        assert "HTTP 500" in seen["disabled_reason"]
        # disabled, it is sent nothing more, and a retry is refused until it is back on
        sent = len(rec.got)
        bank.deposit(client, account["id"], "5.00")
        worker.run_once()
        assert len(rec.got) == sent
        [delivery, *_] = _deliveries(client, bank, endpoint)
        r = client.post(bank.url(f"/deliveries/{delivery['id']}/retry"), headers=bank.admin)
        assert (r.status_code, r.json()["code"]) == (409, "webhook_endpoint_disabled")
        worker.close()


def test_several_workers_send_each_event_once(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    # small rounds, so that each worker gets some
    workers = [WebhookWorker(db, _fast(settings), batch=2) for _ in range(3)]
    with receiver() as rec:
        endpoint = _endpoint(client, bank, rec.url, ["money.deposit"])
        try:
            account = bank.account(client)
            for _ in range(30):
                bank.deposit(client, account["id"], "1.00")
            stop = threading.Event()
            threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in workers]
            for t in threads:
                t.start()
            _until(lambda: len(rec.got) >= 30, lambda: None)
            time.sleep(0.5)
            stop.set()
            for t in threads:
                t.join(10)
            assert len(rec.got) == 30
            assert len(set(rec.ids())) == 30
            workers_used = {
                a["worker"] for d in _deliveries(client, bank, endpoint) for a in d["attempt_log"]
            }
            assert len(workers_used) >= 2
        finally:
            _off(client, bank, endpoint)
            for w in workers:
                w.close()


def test_a_worker_killed_mid_delivery_is_replaced_and_the_id_is_the_same(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPAC_")}
    env.update(
        COOPAC_DATABASE_URL=settings.database_url or "",
        COOPAC_DATA_DIR=str(settings.data_dir),
        # the key its secrets are sealed under, and its receiver on this machine
        COOPAC_SECRET_KEY=settings.resolved_secret_key(),
        COOPAC_WEBHOOK_ALLOW_HTTP="true",
        COOPAC_WEBHOOK_ALLOWED_NETWORKS="127.0.0.1/32",
        COOPAC_WEBHOOK_LEASE_SECONDS="2",
        COOPAC_WORKER_POLL_SECONDS="0.05",
        COOPAC_LOG_LEVEL="WARNING",
    )
    arrived = threading.Event()
    release = threading.Event()
    with receiver() as rec:

        def hang_first(n: int) -> None:
            if n == 0:
                arrived.set()
                release.wait(20)

        rec.before = hang_first
        endpoint = _endpoint(client, bank, rec.url, ["money.deposit"])
        proc = subprocess.Popen(
            [sys.executable, "-m", "coopac_core.cli", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        replacement = WebhookWorker(db, _fast(settings))
        try:
            account = bank.account(client)
            bank.deposit(client, account["id"], "42.00")
            assert arrived.wait(30), "the worker process sent nothing"
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
            release.set()
            # the lease runs out; another worker takes the delivery and sends it again
            _until(lambda: any(r.answered == 200 for r in rec.got[1:]), replacement.run_once)
            first, second = rec.got[0], rec.got[1]
            assert first.headers["webhook-id"] == second.headers["webhook-id"]
            payload = json.loads(second.body)
            Webhook(endpoint["secret"]).verify(second.body, second.headers)
            assert payload["data"]["data"]["amounts"] == {"PEN": "42.00"}
            [delivery] = _deliveries(client, bank, endpoint)
            assert (delivery["status"], delivery["attempts"]) == ("succeeded", 2)
        finally:
            release.set()
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            _off(client, bank, endpoint)
            replacement.close()


def test_a_delivery_failing_past_its_window_is_marked_failed(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    worker = WebhookWorker(db, _fast(settings, webhook_retry_window_seconds=0.5))
    with receiver() as rec:
        rec.answer = lambda n: 500
        endpoint = _endpoint(client, bank, rec.url, ["money.deposit"])
        try:
            account = bank.account(client)
            bank.deposit(client, account["id"], "3.00")

            def failed() -> bool:
                return bool(_deliveries(client, bank, endpoint)[0]["status"] == "failed")

            _until(failed, worker.run_once)
            [delivery] = _deliveries(client, bank, endpoint)
            assert delivery["attempts"] >= 2
            assert delivery["last_status_code"] == 500
            sent = len(rec.got)
            time.sleep(0.3)
            worker.run_once()
            assert len(rec.got) == sent  # failed is final: no more tries
            # the endpoint is still on (it has not failed for days): the next event goes out
            r = client.get(bank.url(f"/webhook-endpoints/{endpoint['id']}"), headers=bank.admin)
            assert r.json()["status"] == "active" and r.json()["failing_since"] is not None
        finally:
            _off(client, bank, endpoint)
            worker.close()


def test_endpoint_changes_are_in_the_audit_log(
    client: TestClient, bank: Bank, stub_resolver: dict[str, list[str]]
) -> None:
    endpoint = _endpoint(client, bank, "https://contabilidad.example.pe/hooks", ["loan.*"])
    _off(client, bank, endpoint)
    r = client.get(bank.url("/audit-events"), headers=bank.coop.headers[Role.auditor])
    assert r.status_code == 200, r.text
    mine = [e for e in r.json()["items"] if e["resource_id"] == endpoint["id"]]
    assert [e["action"] for e in mine][:2] == ["webhook_endpoint.update", "webhook_endpoint.create"]
    assert all(e["actor_name"] == f"{bank.coop.code.lower()}.admin" for e in mine)


# what names resolve to, for these tests: nothing here is looked up or reached
STUB = {
    # public addresses (the documentation ranges count as reserved)
    "hooks.example.pe": ["93.184.215.14"],
    "contabilidad.example.pe": ["93.184.215.15"],
    "localhost": ["127.0.0.1", "::1"],
    "127.0.0.1": ["127.0.0.1"],
    "0.0.0.0": ["0.0.0.0"],  # noqa: S104 - a name the stub answers, nothing binds
    "2130706433": ["127.0.0.1"],
    "::1": ["::1"],
    "10.0.0.5": ["10.0.0.5"],
    "192.168.1.20": ["192.168.1.20"],
    "metadata.internal": ["169.254.169.254"],
    "fd00::7": ["fd00::7"],
    "224.0.0.1": ["224.0.0.1"],
    "mixed.example.pe": ["93.184.215.16", "10.1.2.3"],
    "rebinds.example.pe": ["93.184.215.17"],
}


@pytest.fixture
def stub_resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    table = dict(STUB)

    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"stub resolver: {host} unknown")
        return table[host]

    monkeypatch.setattr(addresses, "resolver", resolve)
    return table


@pytest.fixture
def production(client: TestClient, monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Settings:
    """The service as deployed: https only, no network exempted."""
    strict = settings.model_copy(
        update={"webhook_allow_http": False, "webhook_allowed_networks": ""}
    )
    state = client.app.state._state  # type: ignore[attr-defined]
    monkeypatch.setitem(state, "settings", strict)
    return strict


def test_a_webhook_reaches_only_the_outside(
    client: TestClient, bank: Bank, stub_resolver: dict[str, list[str]], production: Settings
) -> None:
    url = bank.url("/webhook-endpoints")
    refused = [
        "https://localhost/hooks",
        "https://127.0.0.1/hooks",
        "https://0.0.0.0/hooks",
        "https://2130706433/hooks",
        "https://[::1]/hooks",
        "https://10.0.0.5/hooks",
        "https://192.168.1.20:8443/hooks",
        "https://metadata.internal/latest",
        "https://[fd00::7]/hooks",
        "https://224.0.0.1/hooks",
        "https://mixed.example.pe/hooks",  # one of its addresses is inside
        "https://nowhere.example.pe/hooks",  # does not resolve
        "http://hooks.example.pe/hooks",  # plain http
    ]
    for target in refused:
        r = client.post(url, json={"url": target, "event_types": ["*"]}, headers=bank.admin)
        assert (r.status_code, r.json()["code"]) == (422, "webhook_url_not_allowed"), target
    r = client.post(
        url,
        json={"url": "https://hooks.example.pe/coopac", "event_types": ["*"]},
        headers=bank.admin,
    )
    assert r.status_code == 201, r.text
    endpoint = r.json()
    r = client.patch(
        bank.url(f"/webhook-endpoints/{endpoint['id']}"),
        json={"url": "https://10.0.0.5/hooks"},
        headers=bank.admin,
    )
    assert (r.status_code, r.json()["code"]) == (422, "webhook_url_not_allowed")
    _off(client, bank, endpoint)


def test_a_name_that_resolves_inside_at_delivery_is_not_connected_to(
    client: TestClient,
    bank: Bank,
    db: Database,
    stub_resolver: dict[str, list[str]],
    production: Settings,
) -> None:
    """DNS rebinding: outside when registered, inside when the worker connects. The address
    is checked where the connection is made; the delivery records a fixed reason."""
    r = client.post(
        bank.url("/webhook-endpoints"),
        json={"url": "https://rebinds.example.pe/hooks", "event_types": ["money.deposit"]},
        headers=bank.admin,
    )
    assert r.status_code == 201, r.text
    endpoint = r.json()
    stub_resolver["rebinds.example.pe"] = ["127.0.0.1"]
    account = bank.account(client)
    bank.deposit(client, account["id"], "3.00")
    worker = WebhookWorker(db, _fast(production))
    try:
        _until(
            lambda: any(d["attempts"] >= 1 for d in _deliveries(client, bank, endpoint)),
            worker.run_once,
        )
    finally:
        worker.close()
        _off(client, bank, endpoint)
    [delivery] = _deliveries(client, bank, endpoint)
    assert delivery["status"] in ("pending", "failed")
    assert delivery["last_status_code"] is None
    assert delivery["last_error"] == "address not allowed"


def test_a_secret_is_stored_sealed_and_a_delivery_keeps_no_answer(
    client: TestClient, bank: Bank, db: Database, settings: Settings, owner_engine: Engine
) -> None:
    worker = WebhookWorker(db, _fast(settings))
    with receiver() as rec:
        rec.answer = lambda n: 500
        rec.body = b"internal: db password hunter2 on 10.0.0.9:5432"
        endpoint = _endpoint(client, bank, rec.url, ["money.deposit"])
        with owner_engine.connect() as conn:
            stored = conn.execute(
                text("SELECT secret FROM webhook_endpoint WHERE id = :e"), {"e": endpoint["id"]}
            ).scalar_one()
        assert stored.startswith("fernet:") and endpoint["secret"] not in stored
        account = bank.account(client)
        bank.deposit(client, account["id"], "4.00")
        try:
            _until(lambda: len(rec.got) >= 1, worker.run_once)
            _until(
                lambda: any(d["last_error"] for d in _deliveries(client, bank, endpoint)),
                lambda: None,
            )
        finally:
            worker.close()
            _off(client, bank, endpoint)
    # signed with the secret the API answered, unsealed by the worker
    Webhook(endpoint["secret"]).verify(rec.got[0].body, rec.got[0].headers)
    [delivery] = _deliveries(client, bank, endpoint)
    assert (delivery["last_status_code"], delivery["last_error"]) == (500, "HTTP 500")
