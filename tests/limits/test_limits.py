"""Limits per role, operation and day: the review's teller who deposited 999,999,999,999.99."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key, make_bank
from tests.support.world import World, make_coop


def test_a_teller_cannot_deposit_beyond_their_limit(client: TestClient, bank: Bank) -> None:
    account = bank.account(client)
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "999999999999.99", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert (r.status_code, r.json()["code"]) == (403, "limit_exceeded")
    assert bank.balance(client, account["id"]) == "0.00"
    # within the default limit it goes through
    assert bank.deposit(client, account["id"], "20000.00")["balance"] == "20000.00"


def test_a_cooperative_sets_its_own_daily_limit_and_the_day_adds_up(
    client: TestClient, world: World
) -> None:
    body = "2080000001"
    coop = make_coop(client, world.fed_admin, "COOPLIM", body + str(ruc_check_digit(body)))
    bank = make_bank(client, coop)
    url = f"/api/v1/cooperatives/{coop.id}/operation-limits"
    limit = {
        "role": "teller",
        "operation": "withdrawal",
        "currency": "PEN",
        "per_operation": "100.00",
        "per_day": "150.00",
    }
    assert client.put(url, json=limit, headers=coop.headers[Role.teller]).status_code == 403
    r = client.put(url, json=limit, headers=coop.headers[Role.admin])
    assert r.status_code == 200 and r.json()["source"] == "cooperative"
    listed = client.get(url, headers=coop.headers[Role.teller]).json()["items"]
    mine = [
        x
        for x in listed
        if (x["role"], x["operation"], x["currency"]) == ("teller", "withdrawal", "PEN")
    ]
    assert mine == [{**limit, "source": "cooperative"}]

    account = bank.account(client)
    bank.deposit(client, account["id"], "1000.00")

    def withdraw(amount: str, role: Role = Role.teller) -> tuple[int, str]:
        r = client.post(
            bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
            json={"amount": amount, "branch_id": bank.puno},
            headers={**coop.headers[role], **key()},
        )
        return r.status_code, str(r.json().get("code", ""))

    assert withdraw("100.01") == (403, "limit_exceeded")
    assert withdraw("100.00")[0] == 201
    assert withdraw("50.00")[0] == 201
    assert withdraw("0.01") == (403, "limit_exceeded")  # 150.00 today already
    assert withdraw("500.00", Role.manager)[0] == 201  # the manager's limit is higher
    assert bank.balance(client, account["id"]) == "350.00"
