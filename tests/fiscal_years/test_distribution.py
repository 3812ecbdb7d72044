"""The general assembly's distribution over HTTP, figures computed here: a year closed with
three members (one saves, one borrows and pays, one only holds shares), its surplus to the
reserve, interest on each member's shares by the months they were there, the funds, and the
rest returned in proportion to the interest each paid or received; and a loss the reserve
covers."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from typing import Any

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from coopac_core.security.roles import Role
from tests.fiscal_years.test_fiscal_years import _balance
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.world import World

CENT = D("0.01")


def _r(x: D) -> D:
    return x.quantize(CENT, ROUND_HALF_UP)


def _shares(walk: Walk, member: str, amount: str) -> None:
    walk.post(
        f"/members/{member}/share-account/payments",
        Role.teller,
        {"amount": amount, "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text


def _share_balance(walk: Walk, member: str) -> D:
    return D(walk.get(f"/members/{member}/share-account", Role.teller)["balance"])


def _close_year(walk: Walk, year: int) -> dict[str, Any]:
    for month in (11, 12):
        walk.post(f"/periods/{year}-{month:02d}/close", Role.accountant, money=True)
        assert walk.last.status_code == 200, walk.last.text
    closed = walk.post(f"/fiscal-years/{year}/close", Role.accountant, money=True)
    assert walk.last.status_code == 200, walk.last.text
    return dict(closed)


def test_a_surplus_is_distributed_to_the_centimo(
    client: TestClient, world: World, owner_engine: Engine
) -> None:
    walk = _cooperative(
        client, world, "COOPREMA", "2060000401", date(2025, 11, 20), "consumo_no_revolvente"
    )
    saver, borrower, holder = walk.member(), walk.member(), walk.member()
    for member, amount in ((saver, "1000.00"), (borrower, "500.00"), (holder, "300.00")):
        _shares(walk, member, amount)
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
        {"amount": "2000.00", "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    loan = walk.loan(borrower)
    first = walk.get(f"/loans/{loan['id']}/schedule")["installments"][0]
    walk.close_to(date.fromisoformat(first["due_date"]))
    paid = walk.post(
        f"/loans/{loan['id']}/repayments",
        Role.teller,
        {"amount": first["total"], "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text
    walk.close_to(date(2026, 1, 2))
    result = D(_close_year(walk, 2025)["result_pen"])
    assert result > 0
    # each member's basis, from what the test itself did: shares held at two month ends
    # (November and December); the saver's interest paid in, the borrower's interest paid
    received = D(walk.get(f"/savings-accounts/{account['id']}")["balance"]) - D("2000.00")
    assert received > 0
    operations = {saver: received, borrower: D(paid["interest"]) + D(paid["moratory"])}
    share_months = {saver: D("2000.00"), borrower: D("1000.00"), holder: D("600.00")}
    rate, percent = D("0.01"), D(25)
    education, social = _r(result * D("0.05")), _r(result * D("0.02"))
    interest = {m: _r(s * rate / 12) for m, s in share_months.items()}
    reserve = _r(result * percent / 100)
    rest = result - reserve - sum(interest.values()) - education - social
    weight = sum(operations.values())
    returns = {m: _r(rest * operations.get(m, D(0)) / weight) for m in share_months}
    reserve += rest - sum(returns.values())
    agreement = {
        "reserve_percent": "25",
        "share_interest_rate": "0.01",
        "education_fund": str(education),
        "social_fund": str(social),
        "agreement": "Acta de asamblea general ordinaria del 28-03-2026",
    }
    # the law's floor and the statute's cap
    walk.post(
        "/fiscal-years/2025/distribution", Role.accountant, {**agreement, "reserve_percent": "15"}
    )
    assert (walk.last.status_code, walk.last.json()["code"]) == (422, "reserve_below_minimum")
    walk.post(
        "/fiscal-years/2025/distribution",
        Role.accountant,
        {**agreement, "share_interest_rate": "0.5"},
    )
    assert (walk.last.status_code, walk.last.json()["code"]) == (422, "share_interest_above_cap")
    walk.post(
        "/fiscal-years/2025/distribution", Role.accountant, {"cover_loss": True, "agreement": "x"}
    )
    assert (walk.last.status_code, walk.last.json()["code"]) == (422, "no_loss_to_cover")
    walk.post("/fiscal-years/2025/distribution", Role.teller, agreement)
    assert walk.last.status_code == 403
    asked = walk.post("/fiscal-years/2025/distribution", Role.accountant, agreement)
    assert walk.last.status_code == 202, walk.last.text
    figures = {
        k: D(asked[k])
        for k in ("reserve", "share_interest", "education_fund", "social_fund", "returns")
    }
    assert figures == {
        "reserve": reserve,
        "share_interest": sum(interest.values()),
        "education_fund": education,
        "social_fund": social,
        "returns": sum(returns.values()),
    }
    assert sum(figures.values()) == result  # to the céntimo
    walk.post("/fiscal-years/2025/distribution", Role.manager, agreement)
    assert (walk.last.status_code, walk.last.json()["code"]) == (
        409,
        "distribution_already_requested",
    )
    # what each member would receive, before anyone approves
    listed = walk.get("/fiscal-years/2025/distribution/members", Role.accountant)
    assert listed["status"] == "pending"
    by_member = {
        i["member_id"]: (D(i["share_interest"]), D(i["member_return"])) for i in listed["items"]
    }
    assert by_member == {m: (interest[m], returns[m]) for m in share_months}
    before = {m: _share_balance(walk, m) for m in share_months}
    # one person alone moves nothing
    walk.post("/fiscal-years/2025/distribution/approve", Role.accountant, money=True)
    assert (walk.last.status_code, walk.last.json()["code"]) == (403, "approver_is_requester")
    assert {m: _share_balance(walk, m) for m in share_months} == before
    done = walk.post("/fiscal-years/2025/distribution/approve", Role.manager, money=True)
    assert walk.last.status_code == 200, walk.last.text
    assert done["status"] == "approved" and done["journal_entry_id"]
    for m in share_months:
        assert _share_balance(walk, m) == before[m] + interest[m] + returns[m]
    today = date(2026, 1, 2)
    assert _balance(walk, "3911", today) == D("0.00")
    assert _balance(walk, "3311", today) == -reserve
    assert _balance(walk, "2511.02", today) == -education
    assert _balance(walk, "2511.03", today) == -social
    year = walk.get("/fiscal-years/2025", Role.auditor)
    assert year["status"] == "distributed"
    agreed = year["distribution"]
    assert agreed["agreement"]["agreement"] == agreement["agreement"]
    assert (D(agreed["reserve"]), agreed["members"], agreed["journal_entry_id"]) == (
        reserve,
        3,
        done["journal_entry_id"],
    )
    walk.post("/fiscal-years/2025/distribution", Role.accountant, agreement)
    assert (walk.last.status_code, walk.last.json()["code"]) == (409, "fiscal_year_distributed")
    # the list as credited, in three formats
    listed = walk.get("/fiscal-years/2025/distribution/members", Role.accountant)
    assert listed["status"] == "distributed" and len(listed["items"]) == 3
    r = client.get(
        walk.url("/fiscal-years/2025/distribution/members"),
        params={"format": "csv"},
        headers=walk.coop.headers[Role.accountant],
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = [row for row in csv.reader(io.StringIO(r.text)) if row]
    assert (
        sum(1 for row in rows if row and row[0] in {i["member_number"] for i in listed["items"]})
        == 3
    )
    r = client.get(
        walk.url("/fiscal-years/2025/distribution/members"),
        params={"format": "xlsx"},
        headers=walk.coop.headers[Role.accountant],
    )
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None and sheet.max_row >= 4
    walk.verified()
    # the proof fails when a member's part and its line disagree
    with owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE surplus_share SET member_return = member_return + 1 "
                "WHERE cooperative_id = :c AND member_id = :m"
            ),
            {"c": walk.coop.id, "m": saver},
        )
    problems = walk.get("/ledger/verification", Role.auditor)["problems"]
    assert any(f"member {saver} owed" in p for p in problems), problems
    with owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE surplus_share SET member_return = member_return - 1 "
                "WHERE cooperative_id = :c AND member_id = :m"
            ),
            {"c": walk.coop.id, "m": saver},
        )
    walk.verified()


def test_a_loss_is_covered_from_the_reserve(client: TestClient, world: World) -> None:
    walk = _cooperative(
        client, world, "COOPPERD", "2060000402", date(2025, 11, 20), "consumo_no_revolvente"
    )
    member = walk.member()
    product = walk.post(
        "/savings-products",
        Role.admin,
        {"code": "AHORRO", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.05"},
    )
    account = walk.post(
        "/savings-accounts", Role.teller, {"member_id": member, "product_id": product["id"]}
    )
    walk.post(
        f"/savings-accounts/{account['id']}/deposits",
        Role.teller,
        {"amount": "3000.00", "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    walk.close_to(date(2026, 1, 2))
    loss = -D(_close_year(walk, 2025)["result_pen"])  # savings interest, no income
    assert loss > 0
    cover = {"cover_loss": True, "agreement": "Acta de asamblea general del 28-03-2026"}
    walk.post("/fiscal-years/2025/distribution", Role.accountant, {"agreement": "x"})
    assert (walk.last.status_code, walk.last.json()["code"]) == (422, "loss_to_cover")
    walk.post("/fiscal-years/2025/distribution", Role.accountant, cover)
    assert (walk.last.status_code, walk.last.json()["code"]) == (422, "reserve_insufficient")
    # a reserve the cooperative brought (an adjustment, under four eyes)
    asked = walk.post(
        "/journal-entries",
        Role.accountant,
        {
            "description": "Reserva cooperativa de ejercicios anteriores",
            "lines": [
                {"account": "1113", "debit": "500.00"},
                {"account": "3311", "credit": "500.00"},
            ],
        },
        money=True,
    )
    assert walk.last.status_code == 202, walk.last.text
    walk.post(f"/adjustment-requests/{asked['id']}/approve", Role.manager, money=True)
    assert walk.last.status_code == 201, walk.last.text
    asked = walk.post("/fiscal-years/2025/distribution", Role.accountant, cover)
    assert walk.last.status_code == 202, walk.last.text
    walk.post("/fiscal-years/2025/distribution/approve", Role.manager, money=True)
    assert walk.last.status_code == 200, walk.last.text
    today = date(2026, 1, 2)
    assert _balance(walk, "3911", today) == D("0.00")
    assert _balance(walk, "3311", today) == -(D("500.00") - loss)
    assert walk.get("/fiscal-years/2025", Role.auditor)["status"] == "distributed"
    walk.verified()
