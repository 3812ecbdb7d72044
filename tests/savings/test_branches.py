"""A member belongs to a branch: the attack was a teller at Juliaca transferring between two
Puno members, with neither of them there."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support import counter
from tests.support.bank import Bank, key
from tests.support.world import World, add_user, login


def test_a_teller_transfers_only_out_of_their_own_branchs_members(
    client: TestClient, world: World, bank: Bank
) -> None:
    source, target = bank.account(client), bank.account(client)  # members of Puno
    member = client.get(bank.url(f"/members/{source['member_id']}"), headers=bank.teller).json()
    assert member["branch_id"] == bank.puno  # registered by Puno's teller
    bank.deposit(client, source["id"], "300.00")
    add_user(client, world.a, "coopa.cajero.juliaca", ["teller"], branch="JULIACA")
    juliaca = login(client, "coopa.cajero.juliaca")
    transfer = {"from_account_id": source["id"], "to_account_id": target["id"], "amount": "120.00"}
    r = client.post(bank.url("/transfers"), json=transfer, headers={**juliaca, **key()})
    assert (r.status_code, r.json()["code"]) == (403, "member_of_other_branch")
    assert (bank.balance(client, source["id"]), bank.balance(client, target["id"])) == (
        "300.00",
        "0.00",
    )
    # nor may they move the member to their branch first
    r = client.patch(
        bank.url(f"/members/{source['member_id']}"),
        json={"branch_id": world.a.branches["JULIACA"]},
        headers=juliaca,
    )
    assert r.status_code == 403
    # the member's own branch, and the manager, may
    r = client.post(bank.url("/transfers"), json=transfer, headers={**bank.teller, **key()})
    assert r.status_code == 201, r.text
    manager = world.a.headers[Role.manager]
    r = client.post(bank.url("/transfers"), json=transfer, headers={**manager, **key()})
    assert r.status_code == 201, r.text
    assert bank.balance(client, target["id"]) == "240.00"
    # cash with the member at the counter is served at any branch, at its own till
    counter.open_counter(client, world.a, Role.teller, juliaca, code="JULBR", branch="JULIACA")
    r = client.post(
        bank.url(f"/savings-accounts/{source['id']}/withdrawals"),
        json={"amount": "10.00", "branch_id": world.a.branches["JULIACA"]},
        headers={**juliaca, **key()},
    )
    assert r.status_code == 201, r.text
    # the manager moves a member between branches
    r = client.patch(
        bank.url(f"/members/{source['member_id']}"),
        json={"branch_id": world.a.branches["JULIACA"]},
        headers=manager,
    )
    assert (r.status_code, r.json()["branch_id"]) == (200, world.a.branches["JULIACA"])
    r = client.post(
        bank.url("/transfers"), json={**transfer, "amount": "50.00"}, headers={**juliaca, **key()}
    )
    assert r.status_code == 201, r.text
    assert bank.balance(client, source["id"]) == "0.00"
