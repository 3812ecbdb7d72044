"""Operations recorded offline: a device's batch applied as if each were its own request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support import counter
from tests.support.bank import Bank, key
from tests.support.world import World, add_user, login


def _teller(client: TestClient, world: World, name: str, till: str) -> dict[str, str]:
    """A teller of their own (today's limits untouched by other tests) at an open till."""
    add_user(client, world.a, name, ["teller"], branch="PUNO")
    headers = login(client, name)
    counter.open_counter(client, world.a, Role.teller, headers, code=till)
    return headers


def _op(key_: str, type_: str, body: dict[str, Any], minutes: int = 0) -> dict[str, Any]:
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    return {"idempotency_key": key_, "type": type_, "body": body, "recorded_at": at.isoformat()}


def test_a_batch_of_1000_sent_twice_moves_the_money_once(
    client: TestClient, bank: Bank, world: World
) -> None:
    teller = _teller(client, world, "coopa.cajera.tablet", "TAB1")
    accounts = [bank.account(client)["id"] for _ in range(5)]
    device = f"tablet-{key()['Idempotency-Key'][:8]}"
    ops = []
    expected = {a: Decimal("0.00") for a in accounts}
    for i in range(1000):
        account = accounts[i % 5]
        if i % 100 == 99:  # more than the account holds when it arrives: refused, the rest go on
            ops.append(
                _op(f"{device}-{i}", "withdrawal", {"account_id": account, "amount": "99999.00"}, i)
            )
            continue
        amount = Decimal(1 + i % 13).quantize(Decimal("0.01"))
        expected[account] += amount
        ops.append(
            _op(f"{device}-{i}", "deposit", {"account_id": account, "amount": str(amount)}, i)
        )
    batch = {"device_id": device, "operations": ops}
    url = bank.url("/sync-batches")
    first = client.post(url, json=batch, headers=teller)
    assert first.status_code == 200, first.text[:500]
    body = first.json()
    assert (body["received"], body["applied"], body["refused"], body["skipped"]) == (
        1000,
        990,
        10,
        0,
    )
    refused = [r for r in body["results"] if r["status"] == "refused"]
    assert {(r["http_status"], r["problem"]["code"]) for r in refused} == {
        (422, "insufficient_funds")
    }
    assert [r["idempotency_key"] for r in body["results"]] == [o["idempotency_key"] for o in ops]
    assert not any(r["replayed"] for r in body["results"])
    for account in accounts:
        assert Decimal(bank.balance(client, account)) == expected[account]
    # the answer was lost: the same batch again changes nothing and answers the same
    again = client.post(url, json=batch, headers=teller)
    assert again.status_code == 200
    second = again.json()
    assert all(r["replayed"] for r in second["results"])
    assert [
        (r["http_status"], r["result"], r["problem"] and r["problem"]["code"])
        for r in second["results"]
    ] == [
        (r["http_status"], r["result"], r["problem"] and r["problem"]["code"])
        for r in body["results"]
    ]
    for account in accounts:
        assert Decimal(bank.balance(client, account)) == expected[account]
    # each operation alone, retried with its key, is the same request: it replays too
    op = ops[0]
    r = client.post(
        bank.url(f"/savings-accounts/{op['body']['account_id']}/deposits"),
        json={"amount": op["body"]["amount"]},
        headers={**teller, "Idempotency-Key": op["idempotency_key"]},
    )
    assert (r.status_code, r.headers.get("Idempotent-Replayed")) == (201, "true")
    # offline, on the device's time, booked on the day it arrived, at the teller's till
    entry_id = body["results"][0]["result"]["journal_entry_id"]
    r = client.get(bank.url(f"/journal-entries/{entry_id}"), headers=world.a.headers[Role.auditor])
    entry = r.json()
    assert entry["offline"] and entry["recorded_at"].startswith("2026-11-23T09:00:00")
    assert (entry["device_id"], entry["channel"]) == (device, "counter")
    assert entry["till_session_id"] is not None


def test_stop_on_error_and_what_a_batch_refuses(
    client: TestClient, bank: Bank, world: World
) -> None:
    teller = _teller(client, world, "coopa.cajero.tablet", "TAB2")
    account = bank.account(client)["id"]
    device = f"tablet-{key()['Idempotency-Key'][:8]}"
    ops = [
        _op(f"{device}-1", "deposit", {"account_id": account, "amount": "50.00"}),
        _op(f"{device}-2", "withdrawal", {"account_id": account, "amount": "80.00"}),
        _op(f"{device}-3", "deposit", {"account_id": account, "amount": "40.00"}),
    ]
    url = bank.url("/sync-batches")
    r = client.post(
        url,
        json={"device_id": device, "stop_on_error": True, "operations": ops},
        headers=teller,
    )
    assert [x["status"] for x in r.json()["results"]] == ["applied", "refused", "skipped"]
    assert bank.balance(client, account) == "50.00"
    # sent again without stopping: the refusal is the one kept, the skipped one runs now
    r = client.post(url, json={"device_id": device, "operations": ops}, headers=teller)
    results = r.json()["results"]
    assert [(x["status"], x["replayed"]) for x in results] == [
        ("applied", True),
        ("refused", True),
        ("applied", False),
    ]
    assert bank.balance(client, account) == "90.00"
    # an operation the service cannot read is refused alone, with its fields
    bad = [
        _op(f"{device}-4", "deposit", {"account_id": "no-es-un-uuid", "amount": "1.00"}),
        _op(f"{device}-5", "share_payment", {"member_id": account, "amount": "-3"}),
        _op(f"{device}-6", "deposit", {"account_id": account, "amount": "1.00"}),
    ]
    r = client.post(url, json={"device_id": device, "operations": bad}, headers=teller)
    results = r.json()["results"]
    assert [(x["status"], x["http_status"]) for x in results] == [
        ("refused", 422),
        ("refused", 422),
        ("applied", 201),
    ]
    assert results[0]["problem"]["errors"][0]["field"] == "body.account_id"
    # no more than 1,000, and the federation moves nothing
    r = client.post(
        url,
        json={"device_id": device, "operations": [ops[0]] * 1001},
        headers=teller,
    )
    assert r.status_code == 422
    r = client.post(
        url, json={"device_id": device, "operations": ops}, headers=bank.coop.headers[Role.auditor]
    )
    assert r.status_code == 403


def test_a_members_snapshot_for_offline_work_with_an_etag(
    client: TestClient, bank: Bank, world: World
) -> None:
    account = bank.account(client)
    member = account["member_id"]
    bank.deposit(client, account["id"], "70.00")
    url = bank.url(f"/members/{member}/snapshot")
    r = client.get(url, headers=bank.teller)
    assert r.status_code == 200, r.text
    snap = r.json()
    tag = r.headers["ETag"]
    assert snap["member"]["id"] == member
    assert [(a["id"], a["balance"], a["available_balance"]) for a in snap["savings_accounts"]] == [
        (account["id"], "70.00", "70.00")
    ]
    assert snap["share_account"]["member_id"] == member
    assert snap["loans"] == []
    # the product named, as the teller's screen shows it
    [saved] = snap["savings_accounts"]
    assert (saved["product_code"], saved["product_name"]) == ("AHV", "Ahorro a la vista")
    # unchanged: 304; once money moves, a new snapshot and a new tag
    r = client.get(url, headers={**bank.teller, "If-None-Match": tag})
    assert (r.status_code, r.headers["ETag"]) == (304, tag)
    bank.deposit(client, account["id"], "5.00")
    r = client.get(url, headers={**bank.teller, "If-None-Match": tag})
    assert r.status_code == 200 and r.headers["ETag"] != tag
    assert r.json()["savings_accounts"][0]["balance"] == "75.00"
    r = client.get(url, headers=world.fed_analyst)
    assert r.status_code in (403, 404)
