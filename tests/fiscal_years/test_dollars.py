"""Dollars in soles over HTTP: a cooperative buys a member's dollars and pays interest on a
dollar savings account; close of business revalues the dollars at two month ends at the
accounting rate set for them, the interest in dollars is taken at the rate of its day, and
the year closes its dollar results into the year's result in soles, all proved by
verify-ledger."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.world import World

START = date(2025, 10, 20)
CENT = D("0.01")


def _set_rate(walk: Walk, rate: str) -> dict[str, Any]:
    r = walk.c.put(
        walk.url("/exchange-rates/accounting"),
        json={"rate": rate},
        headers=walk.coop.headers[Role.accountant],
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def _usd(walk: Walk, code: str, as_of: date) -> D:
    """A dollar account's balance at the end of ``as_of``, in dollars, debits positive."""
    tb = walk.get("/ledger/trial-balance", Role.accountant, as_of=as_of.isoformat(), currency="USD")
    return next((D(a["balance"]) for a in tb["accounts"] if a["code"] == code), D("0.00"))


def _revaluation(walk: Walk, day: date) -> dict[str, D]:
    """The revaluation entry of ``day``: its lines by account code (debits positive)."""
    items = walk.get("/journal-entries", Role.accountant, kind="exchange_revaluation", limit=50)[
        "items"
    ]
    (entry,) = [e for e in items if e["business_date"] == day.isoformat()]
    return {p["gl_account_code"]: D(p["debit"]) - D(p["credit"]) for p in entry["postings"]}


def test_dollars_are_revalued_at_each_month_end_and_closed_in_soles(
    client: TestClient, world: World
) -> None:
    walk = _cooperative(client, world, "COOPDOLAR", "2060000511", START, "consumo_no_revolvente")
    assert walk.get("/exchange-rates/accounting", Role.accountant)["source"] == "cooperative"
    r = walk.c.put(
        walk.url("/exchange-rates/accounting"),
        json={"rate": "3.7000"},
        headers=walk.coop.headers[Role.teller],
    )
    assert r.status_code == 403
    set_ = _set_rate(walk, "3.7000")
    assert (set_["rate"], set_["source"], set_["set_on"]) == ("3.7000", "accounting", "2025-10-20")
    # the member sells 1,000 dollars at the board (mid 3.7000): the position holds them
    r = walk.c.post(
        walk.url("/exchange-rates"),
        json={"buy": "3.6900", "sell": "3.7100"},
        headers=walk.coop.headers[Role.manager],
    )
    assert r.status_code == 201, r.text
    member = walk.member()
    walk.post(
        "/exchanges",
        Role.teller,
        {"kind": "sell_usd", "amount_usd": "1000.00", "member_id": member},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text
    # and saves 5,000 dollars at 3%: its interest is a dollar expense, day by day
    product = walk.post(
        "/savings-products",
        Role.admin,
        {
            "code": "AHUSD",
            "name": "Ahorro dólares",
            "kind": "sight",
            "currency": "USD",
            "tea": "0.03",
        },
    )
    account = walk.post(
        "/savings-accounts", Role.teller, {"member_id": member, "product_id": product["id"]}
    )
    walk.post(
        f"/savings-accounts/{account['id']}/deposits",
        Role.teller,
        {"amount": "5000.00", "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text

    # October ends at 3.8000: the position (1,000 dollars that cost 3,700.00) gains 100.00;
    # the interest of 20-30 October, taken at 3.70, is owed at 3.80
    october = date(2025, 10, 31)
    walk.close_to(october)
    _set_rate(walk, "3.8000")
    walk.close_to(october + timedelta(days=1))
    interest_at_370 = _usd(walk, "4121", october - timedelta(days=1))
    interest_oct = _usd(walk, "4121", october)
    assert interest_at_370 > 0
    owed_oct = (
        D("3.80") * (D("-1000.00") + interest_oct)
        - (D("3.70") * interest_at_370 + D("3.80") * (interest_oct - interest_at_370))
        + D("3700.00")
    ).quantize(CENT, ROUND_HALF_UP)
    assert owed_oct == (D("-100.00") + D("0.10") * interest_at_370).quantize(CENT, ROUND_HALF_UP)
    lines = _revaluation(walk, october)
    assert lines == {"1919": -owed_oct, "5118": owed_oct}  # a gain: a credit to 51x8
    walk.verified()

    # November ends at 3.7500: the position and the year's dollar interest lose 0.05 each
    november = date(2025, 11, 30)
    walk.close_to(november)
    _set_rate(walk, "3.7500")
    walk.close_to(november + timedelta(days=1))
    interest_nov = _usd(walk, "4121", november)
    interest_at_380 = _usd(walk, "4121", november - timedelta(days=1)) - interest_at_370
    soles = D("3.70") * interest_at_370 + D("3.80") * interest_at_380
    soles += D("3.75") * (interest_nov - interest_at_370 - interest_at_380)
    total = D("3.75") * (D("-1000.00") + interest_nov) - soles + D("3700.00")
    owed_nov = total.quantize(CENT, ROUND_HALF_UP) - owed_oct
    lines = _revaluation(walk, november)
    assert owed_nov > 0  # the dollar fell: a loss
    assert lines == {"1919": -owed_nov, "4118": owed_nov}
    # the reports: the position worth nothing in soles, the interest at the rate of its day
    sheet = walk.get("/reports/balance-sheet", Role.accountant, period="2025-11")
    assets = next(s for s in sheet["sections"] if s["key"] == "assets")
    position = [
        D(a["current"])
        for g in assets["groups"]
        for a in g["accounts"]
        if a["code"] in ("1919", "1929")
    ]
    assert sum(position, D("0.00")) == 0
    income = walk.get("/reports/income-statement", Role.accountant, period="2025-11")
    expenses = next(s for s in income["sections"] if s["key"] == "expenses")
    (usd_interest,) = [
        D(a["current"]) for g in expenses["groups"] for a in g["accounts"] if a["code"] == "4121"
    ]
    assert usd_interest == soles.quantize(CENT, ROUND_HALF_UP)
    walk.verified()

    # the year closes its dollar results into 39x1 in soles at the rate of their day
    walk.close_to(date(2026, 1, 2))
    for period in ("2025-10", "2025-11", "2025-12"):
        walk.post(f"/periods/{period}/close", Role.accountant, money=True)
        assert walk.last.status_code == 200, walk.last.text
    opened = walk.get("/fiscal-years/2025", Role.accountant)
    closed = walk.post("/fiscal-years/2025/close", Role.accountant, money=True)
    assert walk.last.status_code == 200, walk.last.text
    assert (closed["result_usd"], closed["result_usd_in_soles"]) == (
        opened["result_usd"],
        opened["result_usd_in_soles"],
    )
    assert D(closed["result_usd_in_soles"]) < D(closed["result_usd"]) * D("3.70")
    assert D(closed["result"]) == D(closed["result_pen"]) + D(closed["result_usd_in_soles"])
    december = date(2025, 12, 31)
    assert walk.gl("3911", december) == -D(closed["result"])
    assert _usd(walk, "3921", december) == 0 and _usd(walk, "4121", december) == 0
    walk.verified()
    # January's revaluation finds nothing the close counted twice (a céntimo of rounding)
    walk.close_to(date(2026, 2, 2))
    items = walk.get("/journal-entries", Role.accountant, kind="exchange_revaluation", limit=50)
    if "2026-01-31" in {e["business_date"] for e in items["items"]}:
        assert abs(_revaluation(walk, date(2026, 1, 31))["1919"]) <= CENT
    walk.verified()


def test_a_members_exchanges_count_in_the_monthly_cash_register(
    client: TestClient, world: World
) -> None:
    walk = _cooperative(client, world, "COOPCAMBIO", "2060000521", START, "consumo_no_revolvente")
    r = walk.c.post(
        walk.url("/exchange-rates"),
        json={"buy": "3.6900", "sell": "3.7100"},
        headers=walk.coop.headers[Role.manager],
    )
    assert r.status_code == 201, r.text
    splitter, other = walk.member(), walk.member()
    done = []
    # one over USD 10,000, then four under it that take the month to USD 50,000 (a split);
    # and someone else's two that add up to USD 10,000 in a day
    operations = [(splitter, "12000.00")] + [(splitter, "9500.00")] * 4
    operations += [(other, "5000.00")] * 2
    for member, usd in operations:
        out = walk.post(
            "/exchanges",
            Role.teller,
            {"kind": "sell_usd", "amount_usd": usd, "member_id": member},
            money=True,
        )
        assert walk.last.status_code == 201, walk.last.text
        done.append(out)
    receipt = walk.get(f"/receipts/{done[0]['receipt_number']}", Role.teller)
    assert receipt["member"]["id"] == splitter
    walk.close_to(date(2025, 11, 1))
    register = walk.get("/reports/cash-operations", Role.accountant, period="2025-10")
    lines = [op for op in register["operations"] if op["kind"] == "exchange"]
    # each exchange once, by its dollars, and its person's
    assert [(op["member_id"], op["currency"], op["amount"], op["reasons"]) for op in lines] == [
        (splitter, "USD", "12000.00", ["single", "daily", "monthly"])
    ] + [(splitter, "USD", "9500.00", ["daily", "monthly"])] * 4 + [
        (other, "USD", "5000.00", ["daily"])
    ] * 2
    walk.verified()
