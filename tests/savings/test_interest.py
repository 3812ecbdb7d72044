"""Interest on savings through close of business, to the céntimo against a computation done
here by hand from the issue's formula: a day's interest on that day's closing balance,
B × ((1 + TEA)^(1/360) − 1), kept unrounded, paid in (half-up) on the month's last day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key, make_bank
from tests.support.cob import close_until
from tests.support.world import World, make_coop

TEA = Decimal("0.05")


def _month_start() -> date:
    """The first day of last month in Lima: its month end is closable today."""
    today = datetime.now(ZoneInfo("America/Lima")).date()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@pytest.fixture(scope="module")
def interest_bank(client: TestClient, world: World) -> Bank:
    body = "2060000004"
    coop = make_coop(
        client, world.fed_admin, "COOPINT", body + str(ruc_check_digit(body)), _month_start()
    )
    return make_bank(client, coop)


def _by_hand(balances: list[Decimal]) -> Decimal:
    """Each day's interest from the formula, at 40 digits, kept to 10 decimals."""
    with localcontext() as ctx:
        ctx.prec = 40
        factor = (1 + TEA) ** (Decimal(1) / Decimal(360)) - 1
        return sum(
            ((b * factor).quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP) for b in balances),
            Decimal(0),
        )


def _account(client: TestClient, bank: Bank) -> Any:
    r = client.post(
        bank.url("/savings-products"),
        json={
            "code": "AHINT",
            "name": "Ahorro con interés",
            "kind": "sight",
            "currency": "PEN",
            "tea": str(TEA),
        },
        headers=bank.admin,
    )
    assert r.status_code == 201, r.text
    return bank.account(client, product=r.json()["id"])


def test_a_month_of_interest_to_the_centimo(client: TestClient, interest_bank: Bank) -> None:
    bank = interest_bank
    start = _month_start()
    month_end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    account = _account(client, bank)
    url = bank.url(f"/savings-accounts/{account['id']}")
    bank.deposit(client, account["id"], "1000.00")  # on day 1
    close_until(client, bank.coop, 9)  # days 1 to 9 close on 1000.00
    r = client.post(
        f"{url}/withdrawals",
        json={"amount": "300.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    close_until(client, bank.coop, 10)  # days 10 to 19 on 700.00
    got = client.get(url, headers=bank.teller).json()
    so_far = _by_hand([Decimal("1000.00")] * 9 + [Decimal("700.00")] * 10)
    assert got["accrued_interest"] == str(so_far.quantize(Decimal("0.01"), ROUND_HALF_UP))
    assert got["balance"] == "700.00"  # nothing paid in before the month's end
    bank.deposit(client, account["id"], "500.50")  # on day 20
    rest = (month_end - start).days + 1 - 19
    close_until(client, bank.coop, rest)  # day 20 to the month's end on 1200.50
    accrued = _by_hand(
        [Decimal("1000.00")] * 9 + [Decimal("700.00")] * 10 + [Decimal("1200.50")] * rest
    )
    paid = accrued.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert paid > 0
    got = client.get(url, headers=bank.teller).json()
    assert got["balance"] == str(Decimal("1200.50") + paid)
    lines = client.get(f"{url}/transactions", headers=bank.teller).json()["items"]
    interest = [x for x in lines if x["kind"] == "interest"]
    assert [(x["amount"], x["value_date"]) for x in interest] == [
        (str(paid), month_end.isoformat())
    ]
    # interest is not undone with a mirror entry: the accruals behind it would disagree
    r = client.post(
        bank.url(f"/journal-entries/{interest[0]['journal_entry_id']}/reversal"),
        headers={**bank.coop.headers[Role.accountant], **key()},
    )
    assert (r.status_code, r.json()["code"]) == (409, "reversal_not_supported")
    # what rounding left stays accrued, and the books prove the interest owed
    # (a rounding that leaves nothing is shown "0.00", never "-0.00")
    left = (accrued - paid).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert got["accrued_interest"] == f"{left + 0:f}"
    report = client.get(bank.url("/ledger/verification"), headers=bank.coop.headers[Role.auditor])
    assert report.json()["ok"] is True, report.json()["problems"]
    runs = client.get(
        bank.url("/close-of-business/runs"), headers=bank.coop.headers[Role.manager]
    ).json()["items"]
    assert runs[0]["business_date_to"] == month_end.isoformat()
    steps = {s["name"]: s for s in runs[0]["steps"]}
    assert steps["savings_capitalisation"]["status"] == "succeeded"
    assert steps["savings_capitalisation"]["processed"] >= 1


def test_an_account_its_holder_leaves_alone_falls_dormant_and_a_deposit_wakes_it(
    client: TestClient, world: World
) -> None:
    body = "2060000007"
    start = datetime.now(ZoneInfo("America/Lima")).date() - timedelta(days=35)
    coop = make_coop(client, world.fed_admin, "COOPDORM", body + str(ruc_check_digit(body)), start)
    bank = make_bank(client, coop)
    r = client.post(
        bank.url("/savings-products"),
        json={
            "code": "AHDOR",
            "name": "Ahorro que se duerme",
            "kind": "sight",
            "currency": "PEN",
            "tea": "0.01",
            "dormant_after_days": 30,
        },
        headers=bank.admin,
    )
    assert r.status_code == 201, r.text
    sleepy = bank.account(client, product=r.json()["id"])
    busy = bank.account(client, product=r.json()["id"])
    payer = bank.account(client, product=r.json()["id"])
    for account in (sleepy, busy, payer):
        bank.deposit(client, account["id"], "50.00")
    # a product that pays nothing on a day that closes below 500.00
    r = client.post(
        bank.url("/savings-products"),
        json={
            "code": "AHMIN500",
            "name": "Ahorro con mínimo para intereses",
            "kind": "sight",
            "currency": "PEN",
            "tea": "0.05",
            "min_balance_for_interest": "500.00",
        },
        headers=bank.admin,
    )
    assert r.status_code == 201, r.text
    below, above = (
        bank.account(client, product=r.json()["id"]),
        bank.account(client, product=r.json()["id"]),
    )
    bank.deposit(client, below["id"], "499.99")
    bank.deposit(client, above["id"], "500.00")
    close_until(client, coop, 20)
    got = {
        a["id"]: client.get(bank.url(f"/savings-accounts/{a['id']}"), headers=bank.teller).json()
        for a in (below, above)
    }
    assert (got[below["id"]]["balance"], got[below["id"]]["accrued_interest"]) == (
        "499.99",
        "0.00",
    )
    # paid in at a month's end or still accrued: together what 20 days on 500.00 earn
    earned = (
        Decimal(got[above["id"]]["balance"]) - 500 + Decimal(got[above["id"]]["accrued_interest"])
    )
    assert abs(earned - _by_hand([Decimal("500.00")] * 20)) <= Decimal("0.01")
    bank.deposit(client, busy["id"], "5.00")  # its holder came back on day 21
    # and this one's holder paid shares from it: a debit by the holder is a movement too
    r = client.post(
        bank.url(f"/members/{payer['member_id']}/share-account/payments"),
        json={"amount": "5.00", "from_account_id": payer["id"]},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    close_until(client, coop, 11)  # day 31 after the last movement of the first
    status = {
        a["id"]: client.get(bank.url(f"/savings-accounts/{a['id']}"), headers=bank.teller).json()[
            "status"
        ]
        for a in (sleepy, busy, payer)
    }
    assert status == {sleepy["id"]: "dormant", busy["id"]: "active", payer["id"]: "active"}
    # interest still accrues on a dormant account (the money is the member's)
    got = client.get(bank.url(f"/savings-accounts/{sleepy['id']}"), headers=bank.teller).json()
    assert got["accrued_interest"] != "0.00" or got["balance"] != "50.00"
    bank.deposit(client, sleepy["id"], "1.00")
    got = client.get(bank.url(f"/savings-accounts/{sleepy['id']}"), headers=bank.teller).json()
    assert got["status"] == "active"
