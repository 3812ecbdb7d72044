"""Closing a fiscal year over HTTP: a cooperative with savings interest and a loan's interest
across the year end; its December closed, then its year: every income and expense account
into 39x1 by one entry of 31 December, the trial balance of that day and January's books
without results of the year before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from coopac_core.security.roles import Role
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.world import World

START = date(2025, 11, 20)


def _saver(walk: Walk) -> None:
    product = walk.post(
        "/savings-products",
        Role.admin,
        {"code": "AHORRO", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.03"},
    )
    assert walk.last.status_code == 201, walk.last.text
    account = walk.post(
        "/savings-accounts", Role.teller, {"member_id": walk.member(), "product_id": product["id"]}
    )
    walk.post(
        f"/savings-accounts/{account['id']}/deposits",
        Role.teller,
        {"amount": "5000.00", "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text


def _results(walk: Walk, as_of: date) -> dict[str, D]:
    """Income and expense accounts with a balance at the end of ``as_of`` (debits positive)."""
    tb = walk.get("/ledger/trial-balance", Role.accountant, as_of=as_of.isoformat())
    return {
        a["code"]: D(a["balance"])
        for a in tb["accounts"]
        if a["code"][0] in "45" and D(a["balance"]) != 0
    }


def _balance(walk: Walk, code: str, as_of: date) -> D:
    tb = walk.get("/ledger/trial-balance", Role.accountant, as_of=as_of.isoformat())
    return next((D(a["balance"]) for a in tb["accounts"] if a["code"] == code), D("0.00"))


def test_a_year_is_closed_into_its_result_once_december_is(
    client: TestClient, world: World, owner_engine: Engine
) -> None:
    walk = _cooperative(client, world, "COOPANIO", "2060000301", START, "consumo_no_revolvente")
    _saver(walk)
    walk.loan(walk.member())
    walk.close_to(date(2026, 1, 2))
    december = date(2025, 12, 31)
    # the year cannot be closed while its December is open
    walk.post("/fiscal-years/2025/close", Role.accountant, money=True)
    assert (walk.last.status_code, walk.last.json()["code"]) == (409, "period_open")
    for period in ("2025-11", "2025-12"):
        walk.post(f"/periods/{period}/close", Role.accountant, money=True)
        assert walk.last.status_code == 200, walk.last.text
    before = _results(walk, december)
    assert {code[:2] for code in before} >= {"41", "51"}  # savings interest, loan interest
    result = -sum(before.values(), D("0.00"))
    opened = walk.get("/fiscal-years/2025", Role.auditor)
    assert (opened["status"], opened["result_pen"]) == ("open", str(result))
    # the accountant's: not a teller's, not the federation's
    walk.post("/fiscal-years/2025/close", Role.teller, money=True)
    assert walk.last.status_code == 403
    closed = walk.post("/fiscal-years/2025/close", Role.accountant, money=True)
    assert walk.last.status_code == 200, walk.last.text
    assert (closed["status"], closed["result_pen"], closed["result_usd"]) == (
        "closed",
        str(result),
        "0.00",
    )
    assert closed["closes_on"] == "2025-12-31" and closed["closed_by"] == "coopanio.accountant"
    # the trial balance of 31 December shows the entry: no result left, the year's in 39x1
    assert _results(walk, december) == {}
    assert _balance(walk, "3911", december) == -result
    entry = walk.get(f"/journal-entries/{closed['closing_entry_id']}", Role.accountant)
    assert (entry["kind"], entry["business_date"]) == ("year_close", "2025-12-31")
    assert len(entry["postings"]) == len(before) + 1
    # once only, and never undone by a mirror
    walk.post(
        f"/journal-entries/{closed['closing_entry_id']}/reversal", Role.accountant, money=True
    )
    assert (walk.last.status_code, walk.last.json()["code"]) == (409, "reversal_not_supported")
    walk.post("/fiscal-years/2025/close", Role.accountant, money=True)
    assert (walk.last.status_code, walk.last.json()["code"]) == (409, "fiscal_year_closed")
    assert walk.get("/fiscal-years/2025", Role.auditor) == closed
    # January starts from zero: its results are its own; the year's stays in equity
    walk.close_to(date(2026, 2, 2))
    january = walk.get("/fiscal-years/2026", Role.accountant)
    assert january["status"] == "open"
    assert -sum(_results(walk, date(2026, 2, 1)).values(), D("0.00")) == D(january["result_pen"])
    sheet = walk.get("/reports/balance-sheet", Role.accountant, period="2026-01")
    equity = next(s for s in sheet["sections"] if s["key"] == "equity")
    lines = {a["name"]: D(a["current"]) for g in equity["groups"] for a in g["accounts"]}
    assert lines["Resultado neto del ejercicio (PEN)"] == result
    assert lines["Resultados acumulados de ejercicios anteriores"] == D("0.00")
    walk.verified()
    # the proof fails when the year's recorded result is not what its entry closed
    for delta in ("1", "-1"):
        with owner_engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE fiscal_year SET result_pen = result_pen + CAST(:d AS numeric) "
                    "WHERE cooperative_id = :c AND year = 2025"
                ),
                {"c": walk.coop.id, "d": delta},
            )
        if delta == "1":
            problems = walk.get("/ledger/verification", Role.auditor)["problems"]
            assert any(p.startswith("fiscal year 2025: result") for p in problems), problems
    walk.verified()
    r = client.get(walk.url("/fiscal-years/2027"), headers=walk.coop.headers[Role.accountant])
    assert (r.status_code, r.json()["code"]) == (404, "fiscal_year_not_found")


def test_a_year_closes_before_the_months_after_it(client: TestClient, world: World) -> None:
    walk = _cooperative(
        client, world, "COOPTARDE", "2060000302", date(2025, 12, 10), "consumo_no_revolvente"
    )
    _saver(walk)
    walk.close_to(date(2026, 2, 2))
    for period in ("2025-12", "2026-01"):
        walk.post(f"/periods/{period}/close", Role.accountant, money=True)
        assert walk.last.status_code == 200, walk.last.text
    walk.post("/fiscal-years/2025/close", Role.accountant, money=True)
    assert (walk.last.status_code, walk.last.json()["code"]) == (409, "later_period_closed")
    assert walk.get("/fiscal-years/2025", Role.accountant)["status"] == "open"
