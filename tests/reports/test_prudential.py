"""The supervisor's limits over HTTP: a cooperative whose capital is its members' shares lends
to three members; its capital report's figures are worked out here from the trial balance; a
loan that would take one debtor beyond the single-borrower limit is refused unless the
board agreed to it; and its liquidity below the minimum raises the federation's alert."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.world import World

START = date(2025, 6, 20)
RATIO = D("0.0001")


def _ratio(a: D, b: D) -> D:
    return (a / b).quantize(RATIO, rounding=ROUND_HALF_UP)


def _shares(walk: Walk, member: str, amount: str) -> None:
    walk.post(
        f"/members/{member}/share-account/payments",
        Role.teller,
        {"amount": amount, "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text


def _indicator_row(client: TestClient, world: World, period: str) -> dict[str, Any]:
    r = client.get(
        "/api/v1/federation/indicators", params={"period": period}, headers=world.fed_analyst
    )
    assert r.status_code == 200, r.text
    return dict(next(c for c in r.json()["cooperatives"] if c["code"] == "COOPLIMIT"))


def test_capital_limits_and_liquidity(client: TestClient, world: World) -> None:
    walk = _cooperative(client, world, "COOPLIMIT", "2060000811", START, "consumo_no_revolvente")
    founder, director = walk.member(), walk.member()
    for _ in range(3):  # within a teller's limit per operation
        _shares(walk, founder, "16700.00")
    r = client.patch(
        walk.url(f"/members/{director}"),
        json={"related_party": True},
        headers=walk.coop.headers[Role.teller],
    )
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = client.patch(
        walk.url(f"/members/{director}"),
        json={"related_party": True},
        headers=walk.coop.headers[Role.manager],
    )
    assert r.status_code == 200 and r.json()["related_party"] is True, r.text
    borrower = walk.member()
    walk.loan(borrower, amount="1500.00")
    walk.loan(director, amount="1000.00")
    walk.close_to(date(2025, 7, 1))
    walk.post("/periods/2025-06/close", Role.accountant)
    assert walk.last.status_code == 200, walk.last.text

    # the capital report, worked out from the trial balance of 30 June
    tb = walk.get("/ledger/trial-balance", Role.accountant, as_of="2025-06-30")
    gl = {a["code"]: D(a["balance"]) for a in tb["accounts"]}

    def total(*prefixes: str) -> D:
        return sum((v for c, v in gl.items() if c.startswith(prefixes)), D("0.00"))

    results = -total("38", "39", "4", "5")
    basic = -total("31", "32", "33") + min(results, D(0))
    generic = -total("1419.02")
    # cash and banks weigh nothing here (the cooperative keeps no bank deposits), the
    # generic provisions neither, every other asset its whole balance
    rwa = sum(
        (v for c, v in gl.items() if c[0] == "1" and not c.startswith(("11", "1419.02"))),
        D("0.00"),
    )
    effective = basic + min(generic, (rwa * D("0.0125")).quantize(D("0.01")))
    capital = walk.get("/reports/capital", Role.accountant, period="2025-06")
    assert D(capital["basic_equity"]) == basic and basic > D("50000")
    assert D(capital["risk_weighted_assets"]) == rwa == D("2500.00") + total("1418")
    assert D(capital["effective_equity"]) == effective
    assert D(capital["capital_ratio"]) == _ratio(effective, rwa)
    assert capital["related_parties_exposure"] == "1000.00"
    limits = {lim["name"]: lim for lim in capital["limits"]}
    assert D(limits["single_borrower"]["value"]) == _ratio(D("1500.00"), effective)
    assert not any(lim["breached"] for lim in limits.values()), limits
    assert [e["exposure"] for e in capital["largest_exposures"]] == ["1500.00", "1000.00"]

    # a loan beyond 10% of the effective equity of June, the last month closed
    big = walk.post(
        "/loans",
        Role.credit_officer,
        {"member_id": borrower, "product_id": walk.product, "amount": "4000.00", "tea": "0.24",
         "term": 6, "purpose": "consumption"},
    )  # fmt: skip
    walk.post(f"/loans/{big['id']}/submit", Role.credit_officer)
    walk.post(f"/loans/{big['id']}/approve", Role.credit_committee, {"note": "Comité 14"})
    assert (walk.last.status_code, walk.last.json()["code"]) == (422, "concentration_limit")
    assert walk.get(f"/loans/{big['id']}")["status"] == "submitted"
    walk.post(
        f"/loans/{big['id']}/approve",
        Role.credit_committee,
        {"note": "Comité 14", "board_agreement": "Acuerdo CA 031-2025"},
    )
    assert walk.last.status_code == 200, walk.last.text
    assert walk.last.json()["status"] == "approved"

    # liquidity: cash over the members' deposits and borrowings, per currency; with a
    # minimum above it, the federation sees the cooperative below
    month = walk.get("/reports/liquidity", Role.accountant, period="2025-06")
    pen = next(line for line in month["lines"] if line["currency"] == "PEN")
    assert D(pen["liquid_assets"]) == total("111")
    assert D(pen["short_term_liabilities"]) == -total("211", "241")
    day = walk.get("/reports/liquidity", Role.accountant, day="2025-06-30")
    assert day["lines"] == month["lines"]
    r = client.get(
        walk.url("/reports/liquidity"),
        params={"day": "2025-07-01"},
        headers=walk.coop.headers[Role.accountant],
    )
    assert (r.status_code, r.json()["code"]) == (409, "day_not_closed")
    row = _indicator_row(client, world, "2025-06")
    assert row["liquidity_pen"] == pen["ratio"]
    assert not any(a["indicator"].startswith("liquidity_") for a in row["alerts"])

    # dollars a member saved, lent almost whole to another: 5% liquid where 20% is the
    # minimum, and the federation's indicators raise it at the month end
    saver = walk.member()
    account = walk.post(
        "/savings-accounts", Role.teller, {"member_id": saver, "product_id": _sight(walk)}
    )
    walk.post(
        f"/savings-accounts/{account['id']}/deposits",
        Role.teller,
        {"amount": "1000.00", "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text
    walk.loan(walk.member(), product_id=_dollar_loans(walk), amount="950.00")
    walk.close_to(date(2025, 7, 3))
    today = walk.get("/reports/liquidity", Role.accountant, day="2025-07-02")
    usd = next(line for line in today["lines"] if line["currency"] == "USD")
    rate = D(walk.get("")["exchange_rate"])
    assert D(usd["liquid_assets"]) == (D("50.00") * rate).quantize(D("0.01"))
    assert D(usd["short_term_liabilities"]) == (D("1000.00") * rate).quantize(D("0.01"))
    assert (D(usd["ratio"]), D(usd["minimum"]), usd["below"]) == (D("0.0500"), D("0.20"), True)
    walk.close_to(date(2025, 8, 1))
    row = _indicator_row(client, world, "2025-07")
    alert = next(a for a in row["alerts"] if a["indicator"] == "liquidity_usd")
    assert alert["breach"] == "below" and D(alert["min"]) == D("0.20")
    assert D(row["liquidity_usd"]) < D("0.20")
    walk.verified()


def _sight(walk: Walk) -> str:
    product = walk.post(
        "/savings-products",
        Role.admin,
        {"code": "AHORRO", "name": "Ahorro", "kind": "sight", "currency": "USD", "tea": "0.00"},
    )
    assert walk.last.status_code == 201, walk.last.text
    return str(product["id"])


def _dollar_loans(walk: Walk) -> str:
    product = walk.post(
        "/loan-products",
        Role.admin,
        {"code": "DOLARES", "name": "Consumo en dólares", "credit_type": "consumo_no_revolvente",
         "currency": "USD", "tea_min": "0.10", "tea_max": "0.40", "amount_min": "100.00",
         "amount_max": "50000.00", "term_min": 1, "term_max": 36},
    )  # fmt: skip
    assert walk.last.status_code == 201, walk.last.text
    return str(product["id"])
