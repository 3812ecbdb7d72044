"""Statements by date range and newest first: a teller reads the last movements without
paging through the whole history."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.support.bank import Bank


def _lines(client: TestClient, bank: Bank, account: str, **params: object) -> list[str]:
    """Every line's amount, page by page."""
    amounts: list[str] = []
    cursor = None
    while True:
        query = {"limit": 2, **params}
        if cursor:
            query["cursor"] = cursor
        r = client.get(
            bank.url(f"/savings-accounts/{account}/transactions"), params=query, headers=bank.teller
        )
        assert r.status_code == 200, r.text
        amounts += [line["amount"] for line in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return amounts


def test_newest_first_and_by_dates(client: TestClient, bank: Bank) -> None:
    account = str(bank.account(client)["id"])
    for amount in ("1.00", "2.00", "3.00", "4.00", "5.00"):
        bank.deposit(client, account, amount)
    r = client.get(bank.url(f"/savings-accounts/{account}"), headers=bank.teller)
    assert r.status_code == 200
    today = date.fromisoformat(
        client.get(f"/api/v1/cooperatives/{bank.coop.id}", headers=bank.admin).json()[
            "business_date"
        ]
    )
    oldest = _lines(client, bank, account)
    assert oldest == ["1.00", "2.00", "3.00", "4.00", "5.00"]
    assert _lines(client, bank, account, order="newest") == oldest[::-1]
    day = today.isoformat()
    assert (
        _lines(client, bank, account, order="newest", **{"from": day, "to": day}) == (oldest[::-1])
    )
    after = (today + timedelta(days=1)).isoformat()
    before = (today - timedelta(days=1)).isoformat()
    assert _lines(client, bank, account, **{"from": after}) == []
    assert _lines(client, bank, account, to=before) == []
    r = client.get(
        bank.url(f"/savings-accounts/{account}/transactions"),
        params={"from": day, "to": before},
        headers=bank.teller,
    )
    assert (r.status_code, r.json()["code"]) == (422, "date_range_invalid")


def test_a_ranged_statement_starts_with_its_opening_balance(client: TestClient, bank: Bank) -> None:
    account = str(bank.account(client)["id"])
    for amount in ("10.00", "5.50"):
        bank.deposit(client, account, amount)
    today = date.fromisoformat(
        client.get(f"/api/v1/cooperatives/{bank.coop.id}", headers=bank.admin).json()[
            "business_date"
        ]
    )

    def opening(**params: object) -> str:
        r = client.get(
            bank.url(f"/savings-accounts/{account}/transactions"),
            params=params,
            headers=bank.teller,
        )
        assert r.status_code == 200, r.text
        return str(r.json()["opening_balance"])

    assert opening() == "0.00"
    assert opening(**{"from": today.isoformat()}) == "0.00"  # both moved that day
    # what was there before a range that starts after them: both, with no line in it
    assert opening(**{"from": (today + timedelta(days=1)).isoformat()}) == "15.50"
