from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from coopac_core.numbering import is_valid_check_digit
from coopac_core.security.roles import Role
from tests.support import counter
from tests.support.bank import Bank, key
from tests.support.world import World


def test_tellers_day(client: TestClient, bank: Bank) -> None:
    account = bank.account(client)
    assert is_valid_check_digit(str(account["number"]))
    assert account["balance"] == "0.00"
    assert account["available_balance"] == "0.00"
    assert account["status"] == "active"
    assert account["currency"] == "PEN"

    dep = bank.deposit(client, account["id"], "150.50")
    assert dep["amount"] == "150.50"
    assert dep["balance"] == "150.50"
    assert dep["kind"] == "deposit"
    assert isinstance(dep["journal_entry_id"], str)

    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
        json={"amount": "50.25", "branch_id": bank.puno, "description": "Compra de semillas"},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    assert r.json()["balance"] == "100.25"
    assert r.json()["amount"] == "-50.25"
    assert bank.balance(client, account["id"]) == "100.25"

    lines = client.get(
        bank.url(f"/savings-accounts/{account['id']}/transactions"), headers=bank.teller
    ).json()
    assert [(x["kind"], x["amount"], x["balance_after"]) for x in lines["items"]] == [
        ("deposit", "150.50", "150.50"),
        ("withdrawal", "-50.25", "100.25"),
    ]
    assert lines["items"][1]["description"] == "Compra de semillas"
    assert lines["next_cursor"] is None


def test_idempotency_key_required_and_replayed(client: TestClient, bank: Bank) -> None:
    account = bank.account(client)
    url = bank.url(f"/savings-accounts/{account['id']}/deposits")
    body = {"amount": "40.00", "branch_id": bank.puno}
    r = client.post(url, json=body, headers=bank.teller)
    assert r.status_code == 400
    assert r.json()["code"] == "idempotency_key_required"
    assert bank.balance(client, account["id"]) == "0.00"

    k = key()
    first = client.post(url, json=body, headers={**bank.teller, **k})
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    # the teller's link dropped: the front-end retries with the same key (keys reordered)
    again = client.post(
        url, json={"branch_id": bank.puno, "amount": "40.00"}, headers={**bank.teller, **k}
    )
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert bank.balance(client, account["id"]) == "40.00"

    other = client.post(url, json={**body, "amount": "41.00"}, headers={**bank.teller, **k})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert bank.balance(client, account["id"]) == "40.00"


def test_refusal_is_the_keys_answer_too(client: TestClient, bank: Bank) -> None:
    """A refused withdrawal retried after a deposit must not post: the teller was told no."""
    account = bank.account(client)
    k = key()
    url = bank.url(f"/savings-accounts/{account['id']}/withdrawals")
    body = {"amount": "10.00", "branch_id": bank.puno}
    r = client.post(url, json=body, headers={**bank.teller, **k})
    assert r.status_code == 422
    assert r.json()["code"] == "insufficient_funds"
    bank.deposit(client, account["id"], "10.00")
    again = client.post(url, json=body, headers={**bank.teller, **k})
    assert again.status_code == 422
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json() == r.json()
    assert bank.balance(client, account["id"]) == "10.00"
    # a new attempt is a new key
    r = client.post(url, json=body, headers={**bank.teller, **key()})
    assert r.status_code == 201
    assert r.json()["balance"] == "0.00"


@pytest.mark.parametrize("amount", ["0", "0.00", "-5.00", "1.001", "1e3x"])
def test_invalid_amounts_move_nothing(client: TestClient, bank: Bank, amount: str) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "10.00")
    for op in ("deposits", "withdrawals"):
        r = client.post(
            bank.url(f"/savings-accounts/{account['id']}/{op}"),
            json={"amount": amount, "branch_id": bank.puno},
            headers={**bank.teller, **key()},
        )
        assert r.status_code == 422
        assert r.json()["code"] in ("amount_invalid", "validation_error")
        if amount != "1e3x":
            assert r.json()["code"] == "amount_invalid"
    assert bank.balance(client, account["id"]) == "10.00"


def test_float_amounts_are_refused(client: TestClient, bank: Bank) -> None:
    account = bank.account(client)
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": 10.1, "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.amount"


def test_insufficient_funds_moves_nothing(client: TestClient, bank: Bank) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "100.00")
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
        json={"amount": "100.01", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "insufficient_funds"
    assert bank.balance(client, account["id"]) == "100.00"
    lines = client.get(
        bank.url(f"/savings-accounts/{account['id']}/transactions"), headers=bank.teller
    ).json()
    assert len(lines["items"]) == 1


def test_minimum_balance_is_kept(client: TestClient, bank: Bank) -> None:
    account = bank.account(client, bank.min_balance_pen)
    bank.deposit(client, account["id"], "100.00")
    url = bank.url(f"/savings-accounts/{account['id']}/withdrawals")
    r = client.post(
        url, json={"amount": "80.01", "branch_id": bank.puno}, headers={**bank.teller, **key()}
    )
    assert r.json()["code"] == "insufficient_funds"
    r = client.post(
        url, json={"amount": "80.00", "branch_id": bank.puno}, headers={**bank.teller, **key()}
    )
    assert r.status_code == 201
    assert r.json()["balance"] == "20.00"


def test_currency_mismatch(client: TestClient, bank: Bank) -> None:
    pen = bank.account(client)
    usd = bank.account(client, bank.sight_usd)
    assert usd["currency"] == "USD"
    bank.deposit(client, pen["id"], "50.00")
    r = client.post(
        bank.url(f"/savings-accounts/{pen['id']}/deposits"),
        json={"amount": "5.00", "branch_id": bank.puno, "currency": "USD"},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "currency_mismatch"
    r = client.post(
        bank.url("/transfers"),
        json={"from_account_id": pen["id"], "to_account_id": usd["id"], "amount": "5.00"},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "currency_mismatch"
    assert bank.balance(client, pen["id"]) == "50.00"
    # dollars go to the branch's dollar cash account
    dep = bank.deposit(client, usd["id"], "20.00")
    assert dep["currency"] == "USD"


def test_transfer(client: TestClient, bank: Bank) -> None:
    a = bank.account(client)
    b = bank.account(client)
    bank.deposit(client, a["id"], "300.00")
    r = client.post(
        bank.url("/transfers"),
        json={
            "from_account_id": a["id"],
            "to_account_id": b["id"],
            "amount": "120.40",
            "description": "Pago forraje",
        },
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    t = r.json()
    assert t["balance"] == "179.60"
    assert t["to_balance"] == "120.40"
    assert bank.balance(client, b["id"]) == "120.40"
    lines = client.get(
        bank.url(f"/savings-accounts/{b['id']}/transactions"), headers=bank.teller
    ).json()["items"]
    assert [(x["kind"], x["amount"]) for x in lines] == [("transfer", "120.40")]
    assert lines[0]["journal_entry_id"] == t["journal_entry_id"]
    r = client.post(
        bank.url("/transfers"),
        json={"from_account_id": a["id"], "to_account_id": a["id"], "amount": "1.00"},
        headers={**bank.teller, **key()},
    )
    assert r.json()["code"] == "same_account"
    r = client.post(
        bank.url("/transfers"),
        json={"from_account_id": a["id"], "to_account_id": b["id"], "amount": "179.61"},
        headers={**bank.teller, **key()},
    )
    assert r.json()["code"] == "insufficient_funds"


def test_blocked_account(client: TestClient, bank: Bank, world: World) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "30.00")
    url = bank.url(f"/savings-accounts/{account['id']}")
    assert client.patch(url, json={"status": "blocked"}, headers=bank.teller).status_code == 403
    r = client.patch(url, json={"status": "blocked"}, headers=world.a.headers[Role.manager])
    assert r.status_code == 200
    assert r.json()["status"] == "blocked"
    for op in ("deposits", "withdrawals"):
        r = client.post(
            f"{url}/{op}",
            json={"amount": "1.00", "branch_id": bank.puno},
            headers={**bank.teller, **key()},
        )
        assert r.status_code == 422
        assert r.json()["code"] == "account_blocked"
    client.patch(url, json={"status": "active"}, headers=world.a.headers[Role.manager])
    bank.deposit(client, account["id"], "1.00")
    r = client.patch(url, json={"status": "closed"}, headers=world.a.headers[Role.manager])
    assert r.status_code == 409
    assert r.json()["code"] == "account_not_empty"


def test_holds_lower_available_balance(client: TestClient, bank: Bank, world: World) -> None:
    manager = world.a.headers[Role.manager]
    account = bank.account(client)
    bank.deposit(client, account["id"], "100.00")
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/holds"),
        json={"amount": "60.00", "reason": "Embargo judicial Exp. 123-2026"},
        headers=manager,
    )
    assert r.status_code == 201, r.text
    hold = r.json()
    got = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=bank.teller).json()
    assert (got["balance"], got["available_balance"]) == ("100.00", "40.00")
    url = bank.url(f"/savings-accounts/{account['id']}/withdrawals")
    r = client.post(
        url, json={"amount": "40.01", "branch_id": bank.puno}, headers={**bank.teller, **key()}
    )
    assert r.json()["code"] == "insufficient_funds"
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/holds/{hold['id']}/release"), headers=manager
    )
    assert r.status_code == 200
    assert r.json()["status"] == "released"
    r = client.post(
        url, json={"amount": "100.00", "branch_id": bank.puno}, headers={**bank.teller, **key()}
    )
    assert r.status_code == 201
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/holds/{hold['id']}/release"), headers=manager
    )
    assert r.json()["code"] == "hold_released"


def test_teller_handles_cash_only_at_own_branch(
    client: TestClient, bank: Bank, world: World
) -> None:
    account = bank.account(client)
    # the teller's till is at Puno: cash booked at Juliaca is not theirs to handle
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "5.00", "branch_id": world.a.branches["JULIACA"]},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "till_session_required"
    # nor may they open a till there
    juliaca = counter.till_for(client, world.a, "JUL01", "JULIACA")
    r = client.post(
        bank.url(f"/tills/{juliaca['id']}/sessions"),
        json={"counted": []},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 403
    assert r.json()["code"] == "branch_not_allowed"
    # the till decides the branch
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "5.00"},
        headers={**world.a.headers[Role.manager], **key()},
    )
    assert r.status_code == 201
    # roles without cash handling
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "5.00", "branch_id": bank.puno},
        headers={**world.a.headers[Role.accountant], **key()},
    )
    assert r.status_code == 403
    # another cooperative's branch
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "5.00", "branch_id": world.b.branches["PUNO"]},
        headers={**world.a.headers[Role.manager], **key()},
    )
    assert r.status_code == 404
    assert r.json()["code"] == "branch_not_found"


def test_term_deposit_takes_one_placement_and_waits_for_maturity(
    client: TestClient, bank: Bank
) -> None:
    account = bank.account(client, bank.term_pen)
    dep = bank.deposit(client, account["id"], "5000.00")
    assert dep["balance"] == "5000.00"
    got = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=bank.teller).json()
    assert got["kind"] == "term"
    assert got["maturity_date"] is not None
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "1.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.json()["code"] == "term_deposit_placed"
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
        json={"amount": "5000.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.json()["code"] == "term_not_matured"


def test_account_of_other_cooperative_is_404(client: TestClient, bank: Bank, world: World) -> None:
    account = bank.account(client)
    r = client.post(
        f"/api/v1/cooperatives/{world.b.id}/savings-accounts/{account['id']}/deposits",
        json={"amount": "5.00", "branch_id": world.b.branches["PUNO"]},
        headers={**world.b.headers[Role.teller], **key()},
    )
    assert r.status_code == 404
    assert r.json()["code"] == "account_not_found"


def test_amounts_are_exact_decimals(client: TestClient, bank: Bank) -> None:
    account = bank.account(client)
    for _ in range(10):
        bank.deposit(client, account["id"], "0.10")
    assert Decimal(bank.balance(client, account["id"])) == Decimal("1.00")


@pytest.mark.parametrize("amount", ["1e2", "1_000", "１００", " 100", "1" + "0" * 30])
def test_amounts_outside_plain_decimals_are_refused_and_move_nothing(
    client: TestClient, bank: Bank, amount: str
) -> None:
    account = bank.account(client)
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": amount, "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
    assert r.json()["errors"][0]["field"] == "body.amount"
    assert bank.balance(client, account["id"]) == "0.00"
