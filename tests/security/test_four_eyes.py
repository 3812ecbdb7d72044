"""Four eyes compare people, not credentials: an API key acts for a named owner, holds at
most the owner's roles and never an approving one, and dies with the owner's account.
Each test is the attack a security review made."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.bank import Bank, key, new_dni
from tests.support.world import World, add_user, decide, login


def _key(
    client: TestClient, world: World, maker: dict[str, str], body: dict[str, object]
) -> dict[str, object]:
    """A key made by ``maker``: it acts for them."""
    body = {"scopes": ["read", "counter"], **body}
    r = client.post(f"/api/v1/cooperatives/{world.a.id}/api-keys", json=body, headers=maker)
    result: dict[str, object] = {"status": r.status_code, **r.json()}
    return result


def test_a_key_never_holds_approval_roles_or_admin(client: TestClient, world: World) -> None:
    for role, roles in (
        (Role.credit_committee, ["credit_committee"]),
        (Role.manager, ["manager"]),
        (Role.admin, ["admin"]),
    ):
        out = _key(client, world, world.a.headers[role], {"name": "todo", "roles": roles})
        assert (out["status"], out["code"]) == (422, "api_key_role_not_allowed"), out


def test_a_key_is_its_makers_own_with_at_most_their_roles(client: TestClient, world: World) -> None:
    officer = world.a.headers[Role.credit_officer]
    out = _key(client, world, officer, {"name": "x", "roles": ["credit_officer", "accountant"]})
    assert (out["status"], out["code"]) == (422, "api_key_owner_lacks_role")
    # the admin cannot make a teller's key and hold it: a key acts for its maker only
    teller = world.a.users[Role.teller]
    out = _key(
        client,
        world,
        world.a.headers[Role.admin],
        {
            "name": "caja",
            "roles": ["teller"],
            "owner_id": teller,
            "branch_id": world.a.branches["PUNO"],
        },
    )
    assert (out["status"], out["code"]) == (422, "api_key_owner_lacks_role")
    out = _key(client, world, officer, {"name": "mia", "roles": ["credit_officer"]})
    assert out["status"] == 201 and out["owner_id"] == world.a.users[Role.credit_officer]


def test_the_owner_of_a_key_cannot_approve_what_the_key_applied_for(
    client: TestClient, world: World
) -> None:
    coop = f"/api/v1/cooperatives/{world.a.id}"
    add_user(client, world.a, "coopa.mixto", ["credit_officer", "credit_committee"])
    mixed_login = login(client, "coopa.mixto")
    key = _key(client, world, mixed_login, {"name": "originacion", "roles": ["credit_officer"]})
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
    r = client.post(f"{coop}/loans/{loan_id}/approve", headers=mixed_login)
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
    key = _key(
        client, world, login(client, "coopa.dueno"), {"name": "export", "roles": ["accountant"]}
    )
    as_key = {"X-API-Key": str(key["key"])}
    assert client.get(f"{coop}/journal-entries", headers=as_key).status_code == 200

    r = client.patch(f"{coop}/users/{owner}", json={"roles": ["auditor"]}, headers=admin)
    assert r.status_code == 200
    # the owner no longer is an accountant: the key holds nothing in the cooperative
    r = client.get(f"{coop}/gl-accounts", headers=as_key)
    assert (r.status_code, r.json()["code"]) == (404, "cooperative_not_found")

    # given back only when the manager approves
    r = client.patch(f"{coop}/users/{owner}", json={"roles": ["accountant"]}, headers=admin)
    assert r.status_code == 202, r.text
    assert client.get(f"{coop}/gl-accounts", headers=as_key).status_code == 404
    decide(client, world.a.id, {"access_request": r.json()}, world.a.headers[Role.manager])
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
