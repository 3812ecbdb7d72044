"""What only the federation decides about a cooperative, and what an inactive one refuses."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support.bank import key, make_bank
from tests.support.world import World, make_coop


def test_a_cooperative_admin_cannot_change_what_the_federation_decides(
    client: TestClient, world: World
) -> None:
    url = f"/api/v1/cooperatives/{world.a.id}"
    admin = world.a.headers[Role.admin]
    for change in ({"ruc": "20100070970"}, {"sbs_level": "3"}, {"is_active": False}):
        r = client.patch(url, json=change, headers=admin)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "federation_only"
    after = client.get(url, headers=admin).json()
    assert (after["ruc"], after["sbs_level"], after["is_active"]) == ("20131312955", "2A", True)
    r = client.patch(url, json={"name": "Cooperativa A del Sur"}, headers=admin)
    assert r.status_code == 200 and r.json()["name"] == "Cooperativa A del Sur"


def test_an_inactive_cooperative_refuses_every_write_until_reactivated(
    client: TestClient, world: World
) -> None:
    body = "2070000001"
    coop = make_coop(client, world.fed_admin, "COOPINACT", body + str(ruc_check_digit(body)))
    bank = make_bank(client, coop)
    account = bank.account(client)
    bank.deposit(client, account["id"], "100.00")
    url = f"/api/v1/cooperatives/{coop.id}"
    r = client.patch(url, json={"is_active": False}, headers=world.fed_admin)
    assert r.status_code == 200 and r.json()["is_active"] is False

    deposit = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "50.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert deposit.status_code == 409, deposit.text
    assert deposit.json()["code"] == "cooperative_inactive"
    member = client.post(
        bank.url("/members"),
        json={
            "document_type": "DNI",
            "document_number": "45000001",
            "first_names": "Rosa",
            "last_names": "Apaza",
        },
        headers=bank.teller,
    )
    assert (member.status_code, member.json()["code"]) == (409, "cooperative_inactive")
    # reads go on, and nothing moved
    assert bank.balance(client, account["id"]) == "100.00"
    verification = client.get(bank.url("/ledger/verification"), headers=coop.headers[Role.auditor])
    assert verification.json()["ok"] is True

    r = client.patch(url, json={"is_active": True}, headers=world.fed_admin)
    assert r.status_code == 200
    assert bank.deposit(client, account["id"], "50.00")["balance"] == "150.00"


def test_a_new_exchange_rate_is_kept_and_audited(client: TestClient, world: World) -> None:
    """The patch answered 500 once: its audit record could not hold the decimal."""
    url = f"/api/v1/cooperatives/{world.a.id}"
    r = client.patch(url, json={"exchange_rate": "3.80"}, headers=world.a.headers[Role.admin])
    assert r.status_code == 200, r.text
    assert r.json()["exchange_rate"] == "3.80"
    audit = client.get(
        f"{url}/audit-events",
        params={"action": "cooperative.update", "limit": 5},
        headers=world.a.headers[Role.admin],
    ).json()["items"]
    assert audit[0]["details"] == {"exchange_rate": "3.80"}
