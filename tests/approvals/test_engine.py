"""The approvals engine as its users see it: a request asked through one credential is not
decided by the same person through another; a stale request expires, is shown so and is
never approved; every step is audited and is an event; the database refuses a decision by
the requester whatever the code does."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from coopac_core.security.roles import Role
from tests.support.bank import Bank, key
from tests.support.world import World

ENTRY = {
    "description": "Comisión bancaria",
    "lines": [{"account": "4111", "debit": "12.50"}, {"account": "1113", "credit": "12.50"}],
}


def _ask_with_own_key(client: TestClient, bank: Bank, world: World) -> dict[str, Any]:
    """The accountant asks through an API key of their own."""
    made = client.post(
        bank.url("/api-keys"),
        json={"name": "conciliación", "roles": ["accountant"], "scopes": ["counter"]},
        headers=world.a.headers[Role.accountant],
    )
    assert made.status_code == 201, made.text
    r = client.post(
        bank.url("/journal-entries"), json=ENTRY, headers={"X-API-Key": made.json()["key"], **key()}
    )
    assert r.status_code == 202, r.text
    asked: dict[str, Any] = r.json()
    return asked


def test_the_person_behind_a_key_does_not_decide_what_they_asked(
    client: TestClient, bank: Bank, world: World
) -> None:
    asked = _ask_with_own_key(client, bank, world)
    # shown by the credential it came through; compared by the person behind it
    assert (asked["status"], asked["requested_by"]) == ("pending", "api-key:conciliación")
    assert asked["expires_at"] is not None
    for verb in ("approve", "reject"):
        r = client.post(
            bank.url(f"/adjustment-requests/{asked['id']}/{verb}"),
            headers={**world.a.headers[Role.accountant], **key()},
        )
        assert (r.status_code, r.json()["code"]) == (403, "approver_is_requester")
    got = client.get(
        bank.url(f"/adjustment-requests/{asked['id']}"), headers=world.a.headers[Role.auditor]
    ).json()
    assert (got["status"], got["journal_entry_id"]) == ("pending", None)
    r = client.post(
        bank.url(f"/adjustment-requests/{asked['id']}/approve"),
        json={"note": "Visto el extracto"},
        headers={**world.a.headers[Role.manager], **key()},
    )
    assert r.status_code == 201, r.text
    got = client.get(
        bank.url(f"/adjustment-requests/{asked['id']}"), headers=world.a.headers[Role.auditor]
    ).json()
    assert (got["status"], got["decided_by"], got["journal_entry_id"]) == (
        "approved",
        "coopa.manager",
        r.json()["id"],
    )
    # the request, its approval: audited, and events for whoever follows the queue
    audit = client.get(
        bank.url("/audit-events"),
        params={"resource_type": "approval_request", "limit": 200},
        headers=world.a.headers[Role.admin],
    ).json()["items"]
    mine = [e["action"] for e in audit if e["resource_id"] == asked["id"]]
    assert sorted(mine) == ["adjustment.approve", "adjustment.request"]
    # the feed holds back what follows the oldest transaction open on the server (another
    # test's among them): read it as a consumer does, until it shows both or long after
    deadline = time.monotonic() + 120
    while True:
        # only the approvals' events: the cooperative's others would push them off a page
        feed = client.get(
            bank.url("/events"),
            params={"limit": 200, "types": "approval.requested,approval.approved"},
            headers=world.a.headers[Role.accountant],
        ).json()["items"]
        about = [e["type"] for e in feed if e["subject_id"] == asked["id"]]
        if len(about) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert about == ["approval.requested", "approval.approved"]


def test_a_stale_request_expires_and_is_never_approved(
    client: TestClient, bank: Bank, world: World, owner_engine: Engine
) -> None:
    asked = _ask_with_own_key(client, bank, world)
    with owner_engine.begin() as conn:  # a request asked for long ago
        conn.execute(
            text(
                "UPDATE approval_request SET expires_at = now() - interval '1 second' "
                "WHERE cooperative_id = :c AND id = :id"
            ),
            {"c": world.a.id, "id": asked["id"]},
        )
    url = bank.url(f"/adjustment-requests/{asked['id']}")
    auditor = world.a.headers[Role.auditor]
    assert client.get(url, headers=auditor).json()["status"] == "expired"
    r = client.post(f"{url}/approve", headers={**world.a.headers[Role.manager], **key()})
    assert (r.status_code, r.json()["code"]) == (409, "approval_request_expired")
    pending = client.get(
        bank.url("/adjustment-requests"), params={"status": "pending"}, headers=auditor
    ).json()["items"]
    expired = client.get(
        bank.url("/adjustment-requests"), params={"status": "expired"}, headers=auditor
    ).json()["items"]
    assert asked["id"] not in {x["id"] for x in pending}
    assert asked["id"] in {x["id"] for x in expired}
    assert client.get(url, headers=auditor).json()["journal_entry_id"] is None


def test_the_database_refuses_a_decision_by_the_requester(
    client: TestClient, bank: Bank, world: World, owner_engine: Engine
) -> None:
    asked = _ask_with_own_key(client, bank, world)
    with owner_engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(
            text(
                "UPDATE approval_request SET status = 'approved', decided_by_id = "
                "requested_by_id WHERE cooperative_id = :c AND id = :id"
            ),
            {"c": world.a.id, "id": asked["id"]},
        )
