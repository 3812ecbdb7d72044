"""Periods and reports over HTTP: two cooperatives with savings, loans and arrears closed
across three month ends; the federation's indicators against each one's trial balance of
the same day; the accountant's close of a month; every report in every format."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from coopac_core.db import Database
from coopac_core.federation.indicators import DEFAULT_TARGETS
from coopac_core.security.roles import Role
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.bank import key
from tests.support.world import World

START = date(2025, 1, 20)
END = date(2025, 4, 2)  # three month ends closed: January, February, March


class Books(Walk):
    savers: list[str]
    big_saver: str
    borrower: str
    good_loan: str
    late_borrower: str

    def savings(self) -> None:
        product = self.post(
            "/savings-products",
            Role.admin,
            {"code": "AHORRO", "name": "Ahorro", "kind": "sight", "currency": "PEN",
             "tea": "0.03"},
        )  # fmt: skip
        assert self.last.status_code == 201, self.last.text
        self.savers = []
        self.accounts: list[str] = []
        for amount in ("1500.00", "7000.00", "40000.00"):
            member = self.member(sex="F")
            account = self.post(
                "/savings-accounts", Role.teller, {"member_id": member, "product_id": product["id"]}
            )
            assert self.last.status_code == 201, self.last.text
            self.post(  # the manager: S/ 40,000 is over a teller's limit
                f"/savings-accounts/{account['id']}/deposits",
                Role.manager,
                {"amount": amount, "branch_id": self.coop.branches["PUNO"]},
                money=True,
            )
            assert self.last.status_code == 201, self.last.text
            self.savers.append(member)
            self.accounts.append(account["id"])
        self.big_saver = self.savers[1]

    def trial(self, as_of: date) -> dict[str, D]:
        tb = self.get("/ledger/trial-balance", Role.accountant, as_of=as_of.isoformat())
        return {a["code"]: D(a["balance"]) for a in tb["accounts"]}

    def report(self, name: str, role: Role = Role.accountant, **params: object) -> Any:
        r = self.c.get(self.url(f"/reports/{name}"), params=params, headers=self.coop.headers[role])
        assert r.status_code == 200, r.text
        return r


def _books(client: TestClient, world: World, code: str, ruc: str) -> Books:
    walk = _cooperative(client, world, code, ruc, START, "consumo_no_revolvente")
    books = Books(client, walk.coop)
    books.product = walk.product
    books.savings()
    if code == "COOPREPA":  # one deposit through the mobile app: a digital channel
        r = client.post(
            books.url(f"/savings-accounts/{books.accounts[0]}/deposits"),
            json={"amount": "10.00"},
            headers={**walk.coop.headers[Role.teller], "X-Channel": "mobile", **key()},
        )
        assert r.status_code == 201, r.text
    books.borrower = books.member(sex="M")
    books.good_loan = str(books.loan(books.borrower)["id"])
    books.late_borrower = books.member(sex="F")
    books.loan(books.late_borrower)
    return books


@pytest.fixture(scope="module")
def two(client: TestClient, world: World) -> tuple[Books, Books]:
    a = _books(client, world, "COOPREPA", "2060000101")
    b = _books(client, world, "COOPREPB", "2060000102")
    for books in (a, b):
        # the first borrower pays each installment on its due date; the other never pays
        loan = books.good_loan
        for inst in books.get(f"/loans/{loan}/schedule")["installments"][:2]:
            books.close_to(date.fromisoformat(inst["due_date"]))
            books.post(
                f"/loans/{loan}/repayments",
                Role.teller,
                {"amount": inst["total"], "branch_id": books.coop.branches["PUNO"]},
                money=True,
            )
            assert books.last.status_code == 201, books.last.text
        books.close_to(END)
    return a, b


@pytest.fixture(autouse=True)
def federation_defaults(client: TestClient, world: World) -> None:
    """The federation's settings are the whole deployment's (the fuzzing test sends any):
    each test here starts from the shipped defaults."""
    r = client.put(
        "/api/v1/federation/settings",
        json={
            "indicator_targets": _defaults(),
            "cash_thresholds": {"single_usd": "10000.00", "monthly_usd": "50000.00"},
        },
        headers=world.fed_admin,
    )
    assert r.status_code == 200, r.text


def _fed(client: TestClient, world: World, path: str, **params: object) -> Any:
    r = client.get(f"/api/v1/federation{path}", params=params, headers=world.fed_analyst)
    assert r.status_code == 200, r.text
    return r


def test_each_month_end_is_taken_provisional(two: tuple[Books, Books]) -> None:
    a, _ = two
    periods = a.get("/periods", Role.accountant)["items"]
    assert [p["period"] for p in periods] == ["2025-03", "2025-02", "2025-01"]
    assert {p["status"] for p in periods} == {"provisional"}
    assert periods[0]["period_end"] == "2025-03-31"
    by_sex = a.get("/periods/2025-03", Role.auditor)["breakdown"]["by_sex"]
    assert (by_sex["F"]["savers"], by_sex["F"]["borrowers"], by_sex["M"]["borrowers"]) == (3, 1, 1)


def test_indicators_agree_with_the_ledger(
    client: TestClient, world: World, two: tuple[Books, Books]
) -> None:
    body = _fed(client, world, "/indicators", period="2025-03").json()
    rows = {r["code"]: r for r in body["cooperatives"]}
    assert {"COOPREPA", "COOPREPB"} <= rows.keys()
    for books in two:
        row = rows[books.coop.code]
        tb = books.trial(date(2025, 3, 31))

        def total(*codes: str, tb: dict[str, D] = tb) -> D:
            return sum((tb.get(c, D(0)) for c in codes), D(0))

        assets = sum((v for c, v in tb.items() if c[0] == "1"), D(0))
        assert D(row["total_assets"]) == assets
        assert D(row["deposits"]) == -total("2111", "2112", "2113") > 0
        assert D(row["gross_loans"]) == total("1411", "1414", "1415", "1416") > 0
        assert D(row["overdue_loans"]) == total("1415", "1416") > 0
        assert D(row["provisions"]) == -total("1419.01", "1419.02") > 0
        assert D(row["overdue_ratio"]) == (
            D(row["overdue_loans"]) / D(row["gross_loans"])
        ).quantize(D("0.0001"))
        assert row["borrowers"] == 2 and row["savers"] == 3
        assert row["period_status"] == "provisional"
        # the federation's default target: delinquency at most 5%
        assert "overdue_ratio" in {a["indicator"] for a in row["alerts"]}
    totals = body["totals"]
    assert D(totals["deposits"]) == sum(D(r["deposits"]) for r in body["cooperatives"])
    assert totals["cooperatives"] == len(body["cooperatives"])
    # how much goes through digital channels: January's operations, one of them by mobile
    january = {
        r["code"]: r
        for r in _fed(client, world, "/indicators", period="2025-01").json()["cooperatives"]
    }
    a, b = (january[books.coop.code] for books in two)
    # three deposits, a share payment per member, a loan disbursed per borrower; + mobile
    assert a["operations"] == b["operations"] + 1
    assert D(a["digital_share"]) == (D(1) / D(a["operations"])).quantize(D("0.0001"))
    assert D(b["digital_share"]) == 0


def test_only_the_federation_reads_it(
    client: TestClient, world: World, two: tuple[Books, Books]
) -> None:
    a, _ = two
    for role in (Role.manager, Role.accountant, Role.auditor):
        r = client.get(
            "/api/v1/federation/indicators", params={"period": "2025-03"},
            headers=a.coop.headers[role],
        )  # fmt: skip
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "forbidden"
    r = client.get("/api/v1/federation/indicators", params={"period": "2999-01"},
                   headers=world.fed_analyst)  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "period_in_future"


def test_the_series_in_three_formats(
    client: TestClient, world: World, two: tuple[Books, Books]
) -> None:
    params = {"indicator": "overdue_ratio", "from": "2025-01", "to": "2025-03"}
    body = _fed(client, world, "/indicators/series", **params).json()
    line = next(c for c in body["cooperatives"] if c["code"] == "COOPREPA")
    assert [p["period"] for p in line["points"]] == ["2025-01", "2025-02", "2025-03"]
    rows = list(csv.DictReader(io.StringIO(
        _fed(client, world, "/indicators/series", format="csv", **params).text
    )))  # fmt: skip
    # headers in Spanish: the json's keys are English
    mine = [r for r in rows if r["Cooperativa"] == "COOPREPA"]
    assert [r["Morosidad"] for r in mine] == [p["value"] or "" for p in line["points"]]
    xlsx = _fed(client, world, "/indicators/series", format="xlsx", **params)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert any(row[0] == "COOPREPA" for row in sheet.iter_rows(values_only=True))


def test_a_closed_month_refuses_an_entry(
    db: Database, world: World, two: tuple[Books, Books]
) -> None:
    a, _ = two
    r = a.c.post(a.url("/periods/2025-01/close"), headers=world.fed_admin)
    assert (
        r.status_code == 403
    )  # the federation reads a cooperative's books; it does not close them
    a.post("/periods/2025-02/close", Role.accountant)
    assert a.last.status_code == 409 and a.last.json()["code"] == "previous_period_open"
    a.post("/periods/2025-01/close", Role.teller)
    assert a.last.status_code == 403
    closed = a.post("/periods/2025-01/close", Role.accountant)
    assert a.last.status_code == 200, a.last.text
    assert closed["status"] == "closed" and closed["closed_by"] == "cooprepa.accountant"
    a.post("/periods/2025-01/close", Role.manager)
    assert a.last.status_code == 409 and a.last.json()["code"] == "period_already_closed"
    entry = {
        "business_date": "2025-01-31",
        "description": "Comisión bancaria",
        "lines": [{"account": "4111", "debit": "10.00"}, {"account": "1113", "credit": "10.00"}],
    }
    a.post("/journal-entries", Role.accountant, entry, money=True)
    assert a.last.status_code == 409 and a.last.json()["code"] == "period_closed"
    # nor can the database be made to: a closed month's rows do not change
    with db.session(a.coop.id) as session, pytest.raises(DBAPIError):
        session.execute(
            text("UPDATE period_gl_balance SET balance = 0 WHERE cooperative_id = :c "
                 "AND period = '2025-01'"),
            {"c": a.coop.id},
        )  # fmt: skip
    assert a.get("/periods/2025-01", Role.auditor)["status"] == "closed"


def test_an_adjustment_in_an_open_month_is_taken_again(two: tuple[Books, Books]) -> None:
    a, _ = two
    before = a.report("balance-sheet", period="2025-03").json()["totals"]["assets"]["current"]
    entry = {
        "business_date": "2025-02-28",
        "description": "Préstamo bancario recibido",
        "lines": [{"account": "1113", "debit": "500.00"}, {"account": "2511", "credit": "500.00"}],
    }
    asked = a.post("/journal-entries", Role.accountant, entry, money=True)
    assert a.last.status_code == 202, a.last.text
    assert asked["status"] == "pending" and asked["journal_entry_id"] is None
    # one person alone moves nothing: not the one who asked, nor a teller
    a.post(f"/adjustment-requests/{asked['id']}/approve", Role.accountant, money=True)
    assert a.last.status_code == 403 and a.last.json()["code"] == "approver_is_requester"
    a.post(f"/adjustment-requests/{asked['id']}/approve", Role.teller, money=True)
    assert a.last.status_code == 403
    same = a.report("balance-sheet", period="2025-03").json()["totals"]["assets"]["current"]
    assert same == before
    out = a.post(f"/adjustment-requests/{asked['id']}/approve", Role.manager, money=True)
    assert a.last.status_code == 201, a.last.text
    assert out["kind"] == "adjustment" and out["business_date"] == "2025-02-28"
    assert a.get(f"/adjustment-requests/{asked['id']}", Role.auditor)["status"] == "approved"
    a.post(f"/adjustment-requests/{asked['id']}/reject", Role.manager)
    assert a.last.status_code == 409 and a.last.json()["code"] == "adjustment_request_decided"
    after = a.report("balance-sheet", period="2025-03").json()["totals"]["assets"]["current"]
    assert D(after) == D(before) + 500
    assert a.get("/periods/2025-02", Role.accountant)["refreshed_at"] is not None
    a.post("/journal-entries", Role.teller, entry, money=True)
    assert a.last.status_code == 403
    entry["lines"] = [{"account": "2112", "debit": "5.00"}, {"account": "1113", "credit": "5.00"}]
    a.post("/journal-entries", Role.accountant, entry, money=True)
    assert a.last.status_code == 422 and a.last.json()["code"] == "control_account"
    # asked in an open month, the month closed before the approval: refused then too
    entry["lines"] = [{"account": "4111", "debit": "5.00"}, {"account": "1113", "credit": "5.00"}]
    late = a.post("/journal-entries", Role.accountant, entry, money=True)
    assert a.last.status_code == 202, a.last.text
    a.post("/periods/2025-01/close", Role.manager)  # months close in order (may be already)
    a.post("/periods/2025-02/close", Role.manager)
    assert a.last.status_code == 200, a.last.text
    a.post(f"/adjustment-requests/{late['id']}/approve", Role.manager, money=True)
    assert a.last.status_code == 409 and a.last.json()["code"] == "period_closed"
    a.post(f"/adjustment-requests/{late['id']}/reject", Role.manager, {"note": "Mes cerrado"})
    assert a.last.status_code == 200 and a.last.json()["status"] == "rejected"


def test_the_financial_statements(two: tuple[Books, Books]) -> None:
    a, _ = two
    sheet = a.report("balance-sheet", period="2025-03").json()
    totals = sheet["totals"]
    assert totals["assets"]["current"] == totals["liabilities_and_equity"]["current"]
    assert totals["assets"]["previous"] == totals["liabilities_and_equity"]["previous"]
    assert sheet["previous_period"] == "2025-02"
    tb = a.trial(date(2025, 3, 31))
    assert D(totals["assets"]["current"]) == sum((v for c, v in tb.items() if c[0] == "1"), D(0))
    income = a.report("income-statement", period="2025-03").json()
    net = D(income["totals"]["net_income"]["current"])
    assert net == -sum((v for c, v in tb.items() if c[0] in "45"), D(0))
    year_result = next(
        line for s in sheet["sections"] if s["key"] == "equity" for g in s["groups"]
        for line in g["accounts"] if line["name"] == "Resultado del ejercicio"
    )  # fmt: skip
    assert D(year_result["current"]) == net
    pdf = a.report("income-statement", period="2025-03", format="pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    words = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Resultado del ejercicio" in words and f"{net:,.2f}" in words
    pdf = a.report("balance-sheet", period="2025-03", format="pdf")
    words = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"{D(totals['assets']['current']):,.2f}" in words
    book = openpyxl.load_workbook(io.BytesIO(a.report("balance-sheet", period="2025-03",
                                                       format="xlsx").content))  # fmt: skip
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "Total activo" in values
    rows = list(csv.reader(io.StringIO(a.report("balance-sheet", period="2025-03",
                                                format="csv").text)))  # fmt: skip
    assert rows[0][:4] == ["Sección", "Grupo", "Cuenta", "Nombre"]
    assert ["", "", "", "Total activo", totals["assets"]["current"],
            totals["assets"]["previous"]] in rows  # fmt: skip


def test_the_classification_annex_and_the_debtors(two: tuple[Books, Books]) -> None:
    a, _ = two
    tb = a.trial(date(2025, 3, 31))
    gross = sum((tb.get(c, D(0)) for c in ("1411", "1414", "1415", "1416")), D(0))
    annex = a.report("classification", period="2025-03").json()
    assert D(annex["totals"]["total"]["balance"]) == gross
    assert annex["totals"]["total"]["debtors"] == 2
    assert D(annex["totals"]["total"]["provision_booked"]) == D(annex["allowance_in_ledger"])
    assert D(annex["allowance_in_ledger"]) == -(tb["1419.01"] + tb["1419.02"])
    late = [c for c, cell in annex["rows"][0]["categories"].items() if cell["debtors"]]
    assert "normal" in late and len(late) == 2  # one on time, one behind
    lines = list(csv.DictReader(io.StringIO(a.report("debtors", period="2025-03",
                                                     format="csv").text)))  # fmt: skip
    assert sum(D(line["saldo"]) for line in lines) == gross
    assert sum(D(line["saldo_vencido"]) for line in lines) == tb["1415"] > 0
    # one line per debtor (one credit type, one currency each): the late one's in 14x5
    assert len(lines) == len({line["numero_documento"] for line in lines}) == 2
    assert sorted(line["cuenta_contable"] for line in lines) == ["1411", "1415"]
    xlsx = a.report("classification", period="2025-03", format="xlsx")
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active is not None


def test_insured_deposits_and_large_cash(two: tuple[Books, Books]) -> None:
    a, _ = two
    insured = a.report("insured-deposits", Role.auditor, period="2025-03").json()
    assert insured["cover"] == "5000.00"  # Nivel 2A
    tb = a.trial(date(2025, 3, 31))
    t = insured["totals"]
    assert D(t["deposits"]) == -tb["2112"]
    by_member = {m["member_id"]: m for m in insured["members"]}
    big = by_member[a.big_saver]
    assert D(big["deposits"]) > D("7000.00")  # with three months of interest paid in
    assert big["insured"] == "5000.00"
    assert D(big["uninsured"]) == D(big["total"]) - 5000
    assert D(t["insured"]) + D(t["uninsured"]) == D(t["total"])
    cash = a.report("cash-operations", period="2025-01").json()
    # S/ 40,000 in one deposit is over USD 10,000 at 3.75
    assert [(op["kind"], op["amount"], op["reasons"]) for op in cash["operations"]] == [
        ("deposit", "40000.00", ["single"])
    ]
    assert a.report("cash-operations", period="2025-02").json()["operations"] == []
    r = a.c.get(a.url("/reports/debtors"), headers=a.coop.headers[Role.teller])
    assert r.status_code == 403
    r = a.c.get(a.url("/reports/balance-sheet"), params={"period": "2025-04"},
                headers=a.coop.headers[Role.accountant])  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "period_in_future"


def test_federation_settings(client: TestClient, world: World, two: tuple[Books, Books]) -> None:
    r = client.put(
        "/api/v1/federation/settings",
        json={"indicator_targets": {"overdue_ratio": {"max": "0.99"}}},
        headers=world.fed_analyst,
    )
    assert r.status_code == 403
    r = client.put(
        "/api/v1/federation/settings",
        json={"indicator_targets": {"overdue_ratio": {"max": "0.99"}}},
        headers=world.fed_admin,
    )
    assert r.status_code == 200, r.text
    body = _fed(client, world, "/indicators", period="2025-03").json()
    row = next(c for c in body["cooperatives"] if c["code"] == "COOPREPA")
    assert row["alerts"] == []  # the only target now is a delinquency of 99%


def _defaults() -> dict[str, dict[str, str]]:
    return {
        k.value: v.model_dump(mode="json", exclude_none=True) for k, v in DEFAULT_TARGETS.items()
    }
