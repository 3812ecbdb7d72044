from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.bank import Bank, key
from tests.support.world import World


def test_share_payments_cash_and_from_savings(client: TestClient, bank: Bank) -> None:
    member = bank.member(client)
    url = bank.url(f"/members/{member['id']}/share-account")
    r = client.post(
        f"{url}/payments",
        json={"amount": "50.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    assert r.json()["balance"] == "50.00"
    assert r.json()["kind"] == "share_payment"

    saving = bank.account(client, member_id=member["id"])
    bank.deposit(client, saving["id"], "100.00")
    r = client.post(
        f"{url}/payments",
        json={"amount": "30.00", "from_account_id": saving["id"]},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    assert r.json()["balance"] == "80.00"
    assert bank.balance(client, saving["id"]) == "70.00"
    statement = client.get(f"{url}/transactions", headers=bank.teller).json()["items"]
    assert [(x["amount"], x["balance_after"]) for x in statement] == [
        ("50.00", "50.00"),
        ("30.00", "80.00"),
    ]

    # only from the member's own savings, and never more than is available
    stranger = bank.account(client)
    bank.deposit(client, stranger["id"], "10.00")
    r = client.post(
        f"{url}/payments",
        json={"amount": "5.00", "from_account_id": stranger["id"]},
        headers={**bank.teller, **key()},
    )
    assert r.json()["code"] == "account_owner_mismatch"
    r = client.post(
        f"{url}/payments",
        json={"amount": "70.01", "from_account_id": saving["id"]},
        headers={**bank.teller, **key()},
    )
    assert r.json()["code"] == "insufficient_funds"
    r = client.post(
        f"{url}/payments",
        json={"amount": "5.00", "from_account_id": saving["id"], "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.json()["code"] == "validation_error"


def test_share_capital_is_equity_in_the_ledger(
    client: TestClient, bank: Bank, world: World
) -> None:
    member = bank.member(client)
    client.post(
        bank.url(f"/members/{member['id']}/share-account/payments"),
        json={"amount": "25.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    tb = client.get(
        bank.url("/ledger/trial-balance"), headers=world.a.headers[Role.accountant]
    ).json()
    share_line = next(a for a in tb["accounts"] if a["code"] == "3111")
    assert share_line["code"].startswith("3")  # class 3: Patrimonio
    assert share_line["credits"] != "0.00"
    assert not any(
        a["code"].startswith("2") and "aportaciones" in a["name"].lower() for a in tb["accounts"]
    )


def test_withdrawn_member_gets_shares_back(client: TestClient, bank: Bank) -> None:
    member = bank.member(client)
    url = bank.url(f"/members/{member['id']}/share-account")
    client.post(
        f"{url}/payments",
        json={"amount": "120.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    r = client.post(
        f"{url}/refund", json={"branch_id": bank.puno}, headers={**bank.teller, **key()}
    )
    assert r.status_code == 409
    assert r.json()["code"] == "member_not_withdrawn"

    bank.record_status(client, member["id"], "withdrawn")
    r = client.post(
        f"{url}/refund", json={"branch_id": bank.puno}, headers={**bank.teller, **key()}
    )
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == "-120.00"
    assert r.json()["balance"] == "0.00"
    account = client.get(url, headers=bank.teller).json()
    assert account["status"] == "closed"
    r = client.post(
        f"{url}/refund", json={"branch_id": bank.puno}, headers={**bank.teller, **key()}
    )
    assert r.json()["code"] == "nothing_to_refund"
    r = client.post(
        f"{url}/payments",
        json={"amount": "1.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.json()["code"] == "member_not_active"


def test_refund_to_savings(client: TestClient, bank: Bank) -> None:
    member = bank.member(client)
    saving = bank.account(client, member_id=member["id"])
    url = bank.url(f"/members/{member['id']}/share-account")
    client.post(
        f"{url}/payments",
        json={"amount": "60.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    bank.record_status(client, member["id"], "withdrawn")
    r = client.post(
        f"{url}/refund", json={"to_account_id": saving["id"]}, headers={**bank.teller, **key()}
    )
    assert r.status_code == 201, r.text
    assert bank.balance(client, saving["id"]) == "60.00"


def test_a_refund_into_an_unplaced_term_account_places_the_refund(
    client: TestClient, bank: Bank
) -> None:
    r = client.post(
        bank.url("/savings-products"),
        json={
            "code": "PFREF",
            "name": "Plazo fijo de la devolución",
            "kind": "term",
            "currency": "PEN",
            "tea": "0.0600",
            "term_days": 90,
        },
        headers=bank.admin,
    )
    assert r.status_code == 201, r.text
    member = bank.member(client)
    term = bank.account(client, product=r.json()["id"], member_id=member["id"])
    url = bank.url(f"/members/{member['id']}/share-account")
    r = client.post(
        f"{url}/payments",
        json={"amount": "75.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    bank.record_status(client, member["id"], "withdrawn")
    r = client.post(
        f"{url}/refund", json={"to_account_id": term["id"]}, headers={**bank.teller, **key()}
    )
    assert r.status_code == 201, r.text
    placed = client.get(bank.url(f"/savings-accounts/{term['id']}"), headers=bank.teller).json()
    # the placement is the money the refund put in, at the product's rate, from today
    assert (placed["balance"], placed["placed_amount"], placed["rate"]) == (
        "75.00",
        "75.00",
        "0.060000",
    )
    assert placed["placed_on"] is not None and placed["maturity_date"] is not None
