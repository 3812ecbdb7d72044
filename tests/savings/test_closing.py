"""Closing a sight account with its member: the interest it accrued to the day is paid in
before everything is paid out, never left in 21x8 owed to nobody; closing one by hand with
interest unpaid is refused."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.fiscal_years.test_fiscal_years import _balance
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.bank import key
from tests.support.world import World, add_user, login

START = date(2025, 6, 2)


def _account(walk: Walk, member: str, product: str) -> str:
    account = walk.post(
        "/savings-accounts", Role.teller, {"member_id": member, "product_id": product}
    )
    assert walk.last.status_code == 201, walk.last.text
    return str(account["id"])


def _deposit(walk: Walk, account: str, amount: str, role: Role = Role.teller) -> None:
    walk.post(
        f"/savings-accounts/{account}/deposits",
        role,
        {"amount": amount, "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text


def test_closing_a_sight_account_pays_its_interest_to_the_day(
    client: TestClient, world: World
) -> None:
    walk = _cooperative(client, world, "COOPCIERRE", "2060000501", START, "consumo_no_revolvente")
    product = walk.post(
        "/savings-products",
        Role.admin,
        {"code": "AHORRO", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.06"},
    )["id"]
    member = walk.member()
    saved, other, emptied = (_account(walk, member, product) for _ in range(3))
    _deposit(walk, saved, "100000.00", Role.manager)
    _deposit(walk, emptied, "2000.00")
    walk.close_to(date(2025, 6, 12))
    # ten days on 100,000 at 6% a year, each day kept to ten decimals, rounded once
    day = (D("100000.00") * (D("1.06") ** (D(1) / D(360)) - 1)).quantize(D("1e-10"))
    interest = (10 * day).quantize(D("0.01"), ROUND_HALF_UP)
    assert walk.get(f"/savings-accounts/{saved}")["accrued_interest"] == str(interest)
    payable = _balance(walk, "2118", date(2025, 6, 11))  # interest payable, a credit
    # S/ 100,161 out: over a teller's limit for one operation, the manager's
    walk.post(
        f"/savings-accounts/{saved}/cancellation", Role.teller, {"to_account_id": other}, money=True
    )
    assert (walk.last.status_code, walk.last.json()["code"]) == (403, "limit_exceeded")
    out = walk.post(
        f"/savings-accounts/{saved}/cancellation",
        Role.manager,
        {"to_account_id": other},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text
    assert (out["principal"], out["interest"], out["paid_out"]) == (
        "100000.00",
        str(interest),
        str(D("100000.00") + interest),
    )
    closed = walk.get(f"/savings-accounts/{saved}")
    assert (closed["status"], closed["balance"], closed["accrued_interest"]) == (
        "closed",
        "0.00",
        "0.00",
    )
    assert walk.get(f"/savings-accounts/{other}")["balance"] == out["paid_out"]
    assert _balance(walk, "2118", date(2025, 6, 12)) == payable + interest
    # emptied by a withdrawal, an account still holds what it earned: closing it by hand
    # would forfeit it
    walk.post(
        f"/savings-accounts/{emptied}/withdrawals",
        Role.teller,
        {"amount": "2000.00", "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text
    r = walk.c.patch(
        walk.url(f"/savings-accounts/{emptied}"),
        json={"status": "closed"},
        headers=walk.coop.headers[Role.manager],
    )
    assert (r.status_code, r.json()["code"]) == (409, "interest_unpaid")
    out = walk.post(
        f"/savings-accounts/{emptied}/cancellation",
        Role.teller,
        {"branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text
    assert out["principal"] == "0.00" and D(out["interest"]) > 0
    assert out["paid_out"] == out["interest"]
    # into another account of theirs is a debit other than in cash: the member's own
    # branch's (a Puno member here), as a transfer
    add_user(client, walk.coop, "coopcierre.cajero.juliaca", ["teller"], branch="JULIACA")
    juliaca = login(client, "coopcierre.cajero.juliaca")
    r = client.post(
        walk.url(f"/savings-accounts/{other}/cancellation"),
        json={"to_account_id": saved},
        headers={**juliaca, **key()},
    )
    assert (r.status_code, r.json()["code"]) == (403, "member_of_other_branch"), r.text
    assert walk.get(f"/savings-accounts/{other}")["status"] == "active"
    walk.verified()
