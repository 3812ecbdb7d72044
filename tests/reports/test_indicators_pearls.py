"""The figures a review found off, over HTTP: a cooperative that started in June, with a
debtor of two credit types, a saver and a loan left unpaid. Its classification annex counts
each debtor once; the federation's ROA is annualised over the months it operated;
institutional capital counts the year's result; P1 and P2 follow the loans' ages; and an
accountant's csv opens in Excel in a Peruvian locale, with no -0.00 anywhere."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.world import World

START = date(2025, 6, 20)
RATIO = D("0.0001")


def _trial(walk: Walk, as_of: date) -> dict[str, D]:
    tb = walk.get("/ledger/trial-balance", Role.accountant, as_of=as_of.isoformat())
    return {a["code"]: D(a["balance"]) for a in tb["accounts"]}


def _indicators(client: TestClient, world: World, code: str, period: str) -> dict[str, Any]:
    r = client.get(
        "/api/v1/federation/indicators", params={"period": period}, headers=world.fed_analyst
    )
    assert r.status_code == 200, r.text
    return dict(next(c for c in r.json()["cooperatives"] if c["code"] == code))


def test_the_indicators_a_review_found_off(client: TestClient, world: World) -> None:
    walk = _cooperative(client, world, "COOPPEARL", "2060000611", START, "consumo_no_revolvente")
    micro = walk.post(
        "/loan-products",
        Role.admin,
        {
            "code": "MICRO",
            "name": "Microempresa",
            "credit_type": "microempresa",
            "currency": "PEN",
            "tea_min": "0.10",
            "tea_max": "0.40",
            "amount_min": "100.00",
            "amount_max": "50000.00",
            "term_min": 1,
            "term_max": 36,
        },
    )
    assert walk.last.status_code == 201, walk.last.text
    both = walk.member()
    walk.loan(both)
    walk.loan(both, product_id=micro["id"])
    walk.loan(walk.member())  # left unpaid: in arrears by the end of July
    saver = walk.member()
    product = walk.post(
        "/savings-products",
        Role.admin,
        {"code": "AHORRO", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.03"},
    )
    account = walk.post(
        "/savings-accounts", Role.teller, {"member_id": saver, "product_id": product["id"]}
    )
    walk.post(
        f"/savings-accounts/{account['id']}/deposits",
        Role.teller,
        {"amount": "9000.00", "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text
    walk.close_to(date(2025, 8, 1))

    # the annex: two debtors, one of them in two credit types
    annex = walk.get("/reports/classification", Role.accountant, period="2025-07")
    assert sum(r["total"]["debtors"] for r in annex["rows"]) == 3
    assert annex["totals"]["total"]["debtors"] == 2
    assert sum(c["debtors"] for c in annex["totals"]["categories"].values()) == 2

    # the federation's figures, from the ledger of 31 July
    row = _indicators(client, world, "COOPPEARL", "2025-07")
    tb = _trial(walk, date(2025, 7, 31))
    assets = sum((v for c, v in tb.items() if c[0] == "1"), D(0))
    result = -sum((v for c, v in tb.items() if c[0] in "45"), D(0))
    institutional = -sum((v for c, v in tb.items() if c[:2] in ("33", "39")), D(0)) + result
    assert D(row["institutional_capital_ratio"]) == (institutional / assets).quantize(RATIO)
    # June and July: two months, not seven
    assert D(row["roa"]) == (result * 12 / 2 / assets).quantize(RATIO)
    # every loan is in arrears (none was paid), none over 12 months: P1 has nothing to cover
    gross = D(row["gross_loans"])
    assert row["p1"] is None
    assert D(row["p2"]) == (D(row["provisions"]) / gross).quantize(RATIO)

    # the annex as an accountant opens it in Excel: semicolons, decimal commas, a BOM
    r = client.get(
        walk.url("/reports/classification"),
        params={"period": "2025-07", "format": "csv", "dialect": "excel-es"},
        headers=walk.coop.headers[Role.accountant],
    )
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows[0]) > 3
    amounts = [cell for line in rows[1:] for cell in line if cell.replace(",", "").isdigit()]
    assert amounts and all("." not in a for a in amounts)
    assert any("," in a for a in amounts)
    plain = client.get(
        walk.url("/reports/classification"),
        params={"period": "2025-07", "format": "csv"},
        headers=walk.coop.headers[Role.accountant],
    )
    for body in (r.content.decode("utf-8-sig"), plain.text, str(annex)):
        assert "-0.00" not in body and "-0,00" not in body
    walk.verified()
