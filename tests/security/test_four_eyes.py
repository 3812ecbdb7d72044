"""Four eyes compare people, not credentials: an API key acts for a named owner, holds at
most the owner's roles and never an approving one, and dies with the owner's account.
Each test is the attack a security review made."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.bank import Bank, key, new_dni
from tests.support.world import World, add_user, login


def _key(client: TestClient, world: World, body: dict[str, object]) -> dict[str, object]:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/api-keys",
        json=body,
        headers=world.a.headers[Role.admin],
    )
    result: dict[str, object] = {"status": r.status_code, **r.json()}
    return result


def test_a_key_never_holds_approval_roles_or_admin(client: TestClient, world: World) -> None:
    owner = world.a.users[Role.credit_officer]
    for roles in (["credit_committee"], ["manager"], ["admin"], ["credit_officer", "admin"]):
        out = _key(client, world, {"name": "todo", "roles": roles, "owner_id": owner})
        assert (out["status"], out["code"]) == (422, "api_key_role_not_allowed"), out


def test_a_key_holds_at_most_its_owners_roles(client: TestClient, world: World) -> None:
    owner = world.a.users[Role.credit_officer]
    out = _key(
        client, world, {"name": "x", "roles": ["credit_officer", "accountant"], "owner_id": owner}
    )
    assert (out["status"], out["code"]) == (422, "api_key_owner_lacks_role")
    # the admin who creates a key is not its owner by default unless they hold its roles
    out = _key(client, world, {"name": "x", "roles": ["credit_officer"]})
    assert (out["status"], out["code"]) == (422, "api_key_owner_lacks_role")


def test_the_owner_of_a_key_cannot_approve_what_the_key_applied_for(
    client: TestClient, world: World
) -> None:
    coop = f"/api/v1/cooperatives/{world.a.id}"
    mixed = add_user(client, world.a, "coopa.mixto", ["credit_officer", "credit_committee"])
    key = _key(
        client, world, {"name": "originacion", "roles": ["credit_officer"], "owner_id": mixed}
    )
    assert key["status"] == 201, key
    as_key = {"X-API-Key": str(key["key"])}
    product = client.post(
        f"{coop}/loan-products",
        json={
            "code": "CUATROOJOS",
            "name": "Consumo",
            "credit_type": "consumo",
            "tea_min": "0.10",
            "tea_max": "0.40",
            "amount_min": "100.00",
            "amount_max": "50000.00",
            "term_min": 1,
            "term_max": 24,
        },
        headers=world.a.headers[Role.manager],
    ).json()
    member = client.post(
        f"{coop}/members",
        json={
            "document_type": "DNI",
            "document_number": new_dni(),
            "first_names": "Ana",
            "last_names": "Quispe",
        },
        headers=world.a.headers[Role.teller],
    ).json()
    loan = client.post(
        f"{coop}/loans",
        json={
            "member_id": member["id"],
            "product_id": product["id"],
            "amount": "20000.00",
            "tea": "0.24",
            "term": 12,
            "purpose": "consumption",
        },
        headers=as_key,
    )
    assert loan.status_code == 201, loan.text
    loan_id = loan.json()["id"]
    assert client.post(f"{coop}/loans/{loan_id}/submit", headers=as_key).status_code == 200
    # the key itself cannot decide, and neither can the person it acts for
    r = client.post(f"{coop}/loans/{loan_id}/approve", headers=as_key)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = client.post(f"{coop}/loans/{loan_id}/approve", headers=login(client, "coopa.mixto"))
    assert (r.status_code, r.json()["code"]) == (403, "approver_is_creator")
    assert client.get(f"{coop}/loans/{loan_id}", headers=as_key).json()["status"] == "submitted"
    # a second person can
    r = client.post(
        f"{coop}/loans/{loan_id}/approve", headers=world.a.headers[Role.credit_committee]
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"


def test_a_key_dies_with_its_owners_account_and_roles(client: TestClient, world: World) -> None:
    coop = f"/api/v1/cooperatives/{world.a.id}"
    admin = world.a.headers[Role.admin]
    owner = add_user(client, world.a, "coopa.dueno", ["accountant"])
    key = _key(client, world, {"name": "export", "roles": ["accountant"], "owner_id": owner})
    as_key = {"X-API-Key": str(key["key"])}
    assert client.get(f"{coop}/journal-entries", headers=as_key).status_code == 200

    r = client.patch(f"{coop}/users/{owner}", json={"roles": ["auditor"]}, headers=admin)
    assert r.status_code == 200
    # the owner no longer is an accountant: the key holds nothing in the cooperative
    r = client.get(f"{coop}/gl-accounts", headers=as_key)
    assert (r.status_code, r.json()["code"]) == (404, "cooperative_not_found")

    client.patch(f"{coop}/users/{owner}", json={"roles": ["accountant"]}, headers=admin)
    assert client.get(f"{coop}/gl-accounts", headers=as_key).status_code == 200
    client.patch(f"{coop}/users/{owner}", json={"is_active": False}, headers=admin)
    r = client.get(f"{coop}/gl-accounts", headers=as_key)
    assert (r.status_code, r.json()["code"]) == (401, "api_key_owner_inactive")


def test_an_admin_cannot_grant_themself_money_powers(client: TestClient, world: World) -> None:
    coop = f"/api/v1/cooperatives/{world.a.id}"
    admin = world.a.headers[Role.admin]
    me = world.a.users[Role.admin]
    r = client.patch(
        f"{coop}/users/{me}", json={"roles": ["admin", "credit_committee"]}, headers=admin
    )
    assert (r.status_code, r.json()["code"]) == (403, "own_roles")
    # nor can another admin give them to an admin: administration and money stay apart
    other = add_user(client, world.a, "coopa.admin2", ["admin"])
    for roles in (["admin", "manager"], ["admin", "teller"], ["admin", "accountant"]):
        r = client.patch(f"{coop}/users/{other}", json={"roles": roles}, headers=admin)
        assert (r.status_code, r.json()["code"]) == (422, "admin_with_money_role"), roles
    roles_now = client.get(f"{coop}/users/{me}", headers=admin).json()["roles"]
    assert roles_now == ["admin"]


def test_neither_the_admin_nor_the_federation_moves_a_members_money(
    client: TestClient, world: World, bank: Bank
) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "100.00")
    body = {"amount": "100.00", "branch_id": bank.puno}
    for who in (world.a.headers[Role.admin], world.fed_admin):
        r = client.post(
            bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
            json=body,
            headers={**who, **key()},
        )
        assert (r.status_code, r.json()["code"]) == (403, "forbidden"), r.text
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/holds"),
        json={"amount": "10.00", "reason": "x"},
        headers=world.fed_admin,
    )
    assert r.status_code == 403
    # the federation still reads, and nothing moved
    r = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=world.fed_admin)
    assert r.status_code == 200 and r.json()["balance"] == "100.00"
