"""The rate board and exchange at the counter: each entry balances per currency through
the position account, and the spread is income."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key
from tests.support.world import World, make_coop


def _gl(client: TestClient, bank: Bank, code: str, currency: str) -> Decimal:
    r = client.get(
        bank.url("/ledger/trial-balance"),
        params={"currency": currency},
        headers=bank.coop.headers[Role.accountant],
    )
    assert r.status_code == 200, r.text
    return next(
        (Decimal(a["balance"]) for a in r.json()["accounts"] if a["code"] == code),
        Decimal("0.00"),
    )


def test_the_rate_board_and_an_exchange_balanced_per_currency(
    client: TestClient, world: World, bank: Bank
) -> None:
    # no board published: nothing is exchanged
    member_b = client.post(
        f"/api/v1/cooperatives/{world.b.id}/members",
        json={
            "document_type": "DNI",
            "document_number": "45000123",
            "first_names": "Rosa",
            "last_names": "Huanca",
        },
        headers=world.b.headers[Role.teller],
    ).json()
    r = client.post(
        f"/api/v1/cooperatives/{world.b.id}/exchanges",
        json={"kind": "sell_usd", "amount_usd": "10.00", "member_id": member_b["id"]},
        headers={**world.b.headers[Role.teller], **key()},
    )
    assert (r.status_code, r.json()["code"]) == (409, "exchange_rate_missing")
    # the supervisor publishes; a teller does not
    r = client.post(
        bank.url("/exchange-rates"), json={"buy": "3.7300", "sell": "3.7600"}, headers=bank.teller
    )
    assert r.status_code == 403
    r = client.post(
        bank.url("/exchange-rates"),
        json={"buy": "3.7600", "sell": "3.7300"},
        headers=world.a.supervisor,
    )
    assert r.status_code == 422
    r = client.post(
        bank.url("/exchange-rates"),
        json={"buy": "3.7300", "sell": "3.7600"},
        headers=world.a.supervisor,
    )
    assert r.status_code == 201, r.text
    board = client.get(bank.url("/exchange-rates/current"), headers=bank.teller).json()
    assert (board["buy"], board["sell"]) == ("3.7300", "3.7600")
    income_before = _gl(client, bank, "5612", "PEN")
    position_usd = _gl(client, bank, "1929", "USD")
    account = bank.account(client)
    member = account["member_id"]
    # the member sells 100 dollars: 373.00 soles at the buy rate; 1.50 earned on the mid rate
    r = client.post(
        bank.url("/exchanges"),
        json={"kind": "sell_usd", "amount_usd": "100.00", "member_id": member},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    sold = r.json()
    assert (sold["amount_pen"], sold["rate"], sold["spread_income"]) == ("373.00", "3.7300", "1.50")
    # and buys 50 back: 188.00 soles at the sell rate; 0.75 earned
    r = client.post(
        bank.url("/exchanges"),
        json={"kind": "buy_usd", "amount_usd": "50.00", "member_id": member},
        headers={**bank.teller, **key()},
    )
    assert (r.status_code, r.json()["amount_pen"], r.json()["spread_income"]) == (
        201,
        "188.00",
        "0.75",
    )
    # and deposits 20 dollars into their soles account: 74.60 soles
    r = client.post(
        bank.url("/exchanges"),
        json={
            "kind": "deposit_usd",
            "amount_usd": "20.00",
            "member_id": member,
            "account_id": account["id"],
        },
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    assert bank.balance(client, account["id"]) == "74.60"
    # each entry balances per currency (the database proves it) and the receipt shows both
    entry = client.get(
        bank.url(f"/journal-entries/{sold['journal_entry_id']}"),
        headers=world.a.headers[Role.auditor],
    ).json()
    for currency in ("PEN", "USD"):
        lines = [p for p in entry["postings"] if p["currency"] == currency]
        assert sum(Decimal(p["debit"]) for p in lines) == sum(Decimal(p["credit"]) for p in lines)
    receipt = client.get(
        bank.url(f"/receipts/{sold['receipt_number']}"), headers=bank.teller
    ).json()
    assert receipt["till_movements"] == [
        {"currency": "PEN", "amount": "-373.00"},
        {"currency": "USD", "amount": "100.00"},
    ]
    assert _gl(client, bank, "5612", "PEN") == income_before - Decimal("2.55")  # credit
    assert _gl(client, bank, "1929", "USD") == position_usd - Decimal("70.00")
    r = client.get(bank.url("/ledger/verification"), headers=world.a.headers[Role.auditor])
    assert r.json()["ok"], r.text


def test_a_board_far_from_the_last_waits_for_a_second_person(
    client: TestClient, world: World
) -> None:
    """The attack: a manager published buy 0.0001, sell 99.9999 alone."""
    body = "2060000013"
    coop = make_coop(client, world.fed_admin, "COOPFX", body + str(ruc_check_digit(body)))
    url = f"/api/v1/cooperatives/{coop.id}"
    manager, supervisor = coop.headers[Role.manager], coop.supervisor

    def publish(buy: str, sell: str) -> Any:
        return client.post(
            f"{url}/exchange-rates", json={"buy": buy, "sell": sell}, headers=manager
        )

    def board() -> tuple[str, str]:
        got = client.get(f"{url}/exchange-rates/current", headers=manager).json()
        return got["buy"], got["sell"]

    assert publish("3.7300", "3.7600").status_code == 201
    r = publish("0.0001", "99.9999")
    assert r.status_code == 202, r.text
    asked = r.json()
    assert (asked["status"], asked["requested_by"]) == ("pending", "coopfx.manager")
    assert "diferencial" in asked["reason"]
    assert board() == ("3.7300", "3.7600")  # nothing published yet
    approve = f"{url}/exchange-rate-requests/{asked['id']}/approve"
    r = client.post(approve, json={}, headers=manager)
    assert (r.status_code, r.json()["code"]) == (403, "approver_is_requester")
    r = client.post(
        f"{url}/exchange-rate-requests/{asked['id']}/reject",
        json={"note": "No corresponde al mercado"},
        headers=supervisor,
    )
    assert (r.status_code, r.json()["status"]) == (200, "rejected")
    assert board() == ("3.7300", "3.7600")
    # within 5% of the last board: at once; beyond it, once another person approves
    assert publish("3.8800", "3.9100").status_code == 201
    # nor walked there in steps: each board is held to the day's reference, not the last one
    r = publish("4.0300", "4.0600")
    assert r.status_code == 202 and "3.7300" in r.json()["reason"], r.text
    r = client.post(
        f"{url}/exchange-rate-requests/{r.json()['id']}/reject", json={}, headers=supervisor
    )
    assert r.status_code == 200, r.text
    r = publish("4.2000", "4.2500")
    assert r.status_code == 202 and "compra" in r.json()["reason"], r.text
    r = client.post(
        f"{url}/exchange-rate-requests/{r.json()['id']}/approve",
        json={"note": "Devaluación confirmada con la SBS"},
        headers=supervisor,
    )
    assert r.status_code == 201, r.text
    assert (r.json()["buy"], r.json()["sell"]) == ("4.2000", "4.2500")
    assert board() == ("4.2000", "4.2500")
