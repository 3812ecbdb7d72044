"""The life of a loan over HTTP, in a cooperative of its own (its business date moves)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError

from coopac_core.db import Database
from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.money import period_rate, round_cents
from coopac_core.security.roles import Role
from tests.support.bank import key, new_dni
from tests.support.cob import close_in_process
from tests.support.world import Coop, World, add_user, login, make_coop

pytestmark = pytest.mark.heavy


@pytest.fixture(scope="module")
def lc(client: TestClient, world: World) -> Coop:
    body = "2060000001"
    # Its books start three years back: the tests close days up to today (never past it).
    start = datetime.now(UTC).date() - timedelta(days=3 * 365)
    return make_coop(client, world.fed_admin, "COOPLOAN", body + str(ruc_check_digit(body)), start)


class Api:
    def __init__(self, client: TestClient, coop: Coop, db: Database) -> None:
        self.c = client
        self.coop = coop
        self.db = db

    def url(self, path: str) -> str:
        return f"/api/v1/cooperatives/{self.coop.id}{path}"

    def h(self, role: Role) -> dict[str, str]:
        return self.coop.headers[role]

    def post(
        self, path: str, role: Role, json: object = None, money: bool = False
    ) -> dict[str, object]:
        headers = {**self.h(role), **(key() if money else {})}
        r = self.c.post(self.url(path), json=json, headers=headers)
        self.last = r
        body: dict[str, object] = r.json()
        return body

    def get(self, path: str, role: Role = Role.manager, **params: object) -> dict[str, object]:
        r = self.c.get(self.url(path), params=params, headers=self.h(role))
        assert r.status_code == 200, r.text
        body: dict[str, object] = r.json()
        return body

    def member(self, is_member: bool = True) -> str:
        m = self.post(
            "/members",
            Role.teller,
            {
                "document_type": "DNI",
                "document_number": new_dni(),
                "first_names": "Ana",
                "last_names": "Quispe",
                "is_member": is_member,
            },
        )
        return str(m["id"])

    def savings(self, member_id: str) -> str:
        products = self.get("/savings-products")["items"]
        assert isinstance(products, list)
        if not products:
            self.post(
                "/savings-products",
                Role.admin,
                {
                    "code": "AHV",
                    "name": "Ahorro",
                    "kind": "sight",
                    "currency": "PEN",
                    "tea": "0.01",
                },
            )
            products = self.get("/savings-products")["items"]
            assert isinstance(products, list)
        acct = self.post(
            "/savings-accounts",
            Role.teller,
            {"member_id": member_id, "product_id": products[0]["id"]},
        )
        return str(acct["id"])

    def close_days(self, days: int) -> str:
        """Days behind the loans (the close itself is tests/loans/test_close_of_business)."""
        return close_in_process(self.c, self.db, self.coop, days)


@pytest.fixture(scope="module")
def api(client: TestClient, lc: Coop, db: Database) -> Api:
    a = Api(client, lc, db)
    a.post(
        "/loan-products",
        Role.admin,
        {
            "code": "CONSUMO",
            "name": "Crédito de consumo",
            "credit_type": "consumo",
            "currency": "PEN",
            "tea_min": "0.10",
            "tea_max": "0.40",
            "amount_min": "100.00",
            "amount_max": "300000.00",
            "term_min": 1,
            "term_max": 36,
            "commission_rate": "0.0100",
            "insurance_monthly_rate": "0.0008",
            "moratory_tea": "0.12",
        },
    )
    assert a.last.status_code == 201, a.last.text
    a.post(
        "/loan-products",
        Role.admin,
        {
            "code": "AGRO",
            "name": "Agropecuario de campaña",
            "credit_type": "microempresa",
            "is_agricultural": True,
            "currency": "PEN",
            "tea_min": "0.18",
            "tea_max": "0.36",
            "amount_min": "500.00",
            "amount_max": "20000.00",
            "term_min": 1,
            "term_max": 12,
            "method": "single_payment",
            "frequency": "dates",
            "guarantors_required": 1,
        },
    )
    assert a.last.status_code == 201, a.last.text
    return a


def _product(api: Api, code: str) -> str:
    items = api.get("/loan-products")["items"]
    assert isinstance(items, list)
    return str(next(p["id"] for p in items if p["code"] == code))


def _apply(
    api: Api, member: str, amount: str = "3000.00", term: int = 6, **extra: object
) -> dict[str, object]:
    body = {
        "member_id": member,
        "product_id": _product(api, "CONSUMO"),
        "amount": amount,
        "tea": "0.24",
        "term": term,
        "purpose": "consumption",
        **extra,
    }
    loan = api.post("/loans", Role.credit_officer, body)
    assert api.last.status_code == 201, api.last.text
    return loan


def _active_loan(
    api: Api, amount: str = "3000.00", term: int = 6, member: str | None = None, **extra: object
) -> tuple[dict[str, object], str]:
    member = member or api.member()
    account = api.savings(member)
    loan = _apply(api, member, amount, term, **extra)
    api.post(f"/loans/{loan['id']}/submit", Role.credit_officer)
    api.post(
        f"/loans/{loan['id']}/approve",
        Role.credit_committee,
        {"note": "Capacidad de pago verificada"},
    )
    assert api.last.status_code == 200, api.last.text
    out = api.post(
        f"/loans/{loan['id']}/disburse", Role.teller, {"savings_account_id": account}, money=True
    )
    assert api.last.status_code == 201, api.last.text
    return out, account


def test_workflow_refusals(api: Api) -> None:
    member = api.member()
    loan = _apply(api, member)
    assert loan["status"] == "draft"
    assert loan["category"] == "normal" and loan["days_past_due"] == 0
    api.post(f"/loans/{loan['id']}/approve", Role.credit_committee)
    assert api.last.status_code == 409 and api.last.json()["code"] == "invalid_loan_status"
    api.post(
        f"/loans/{loan['id']}/disburse",
        Role.teller,
        {"branch_id": api.coop.branches["PUNO"]},
        money=True,
    )
    assert api.last.json()["code"] == "invalid_loan_status"
    api.post(f"/loans/{loan['id']}/submit", Role.credit_officer)
    assert api.last.status_code == 200
    # a credit officer does not decide
    api.post(f"/loans/{loan['id']}/approve", Role.credit_officer)
    assert api.last.status_code == 403
    rejected = api.post(
        f"/loans/{loan['id']}/reject", Role.credit_committee, {"note": "Sobreendeudado"}
    )
    assert rejected["status"] == "rejected"
    assert rejected["decided_by"] == "cooploan.credit_committee"
    # each transition is audited
    events = api.get("/audit-events", Role.admin, action="loan.reject")["items"]
    assert isinstance(events, list) and any(e["resource_id"] == loan["id"] for e in events)


def test_approver_cannot_be_creator_and_limits_apply(api: Api) -> None:
    member = api.member()
    body = {
        "member_id": member,
        "product_id": _product(api, "CONSUMO"),
        "amount": "1000.00",
        "tea": "0.24",
        "term": 3,
        "purpose": "health",
    }
    own = api.post("/loans", Role.manager, body)
    api.post(f"/loans/{own['id']}/submit", Role.manager)
    api.post(f"/loans/{own['id']}/approve", Role.manager)
    assert api.last.status_code == 403 and api.last.json()["code"] == "approver_is_creator"
    big = _apply(api, member, amount="60000.00", term=24)
    api.post(f"/loans/{big['id']}/submit", Role.credit_officer)
    api.post(f"/loans/{big['id']}/approve", Role.credit_committee)
    assert api.last.status_code == 403 and api.last.json()["code"] == "approval_limit_exceeded"
    approved = api.post(f"/loans/{big['id']}/approve", Role.manager)
    assert approved["status"] == "approved", api.last.text


def test_application_rules(api: Api) -> None:
    member = api.member()
    api.post(
        "/loans",
        Role.credit_officer,
        {
            "member_id": member,
            "product_id": _product(api, "CONSUMO"),
            "amount": "50.00",
            "tea": "0.24",
            "term": 6,
            "purpose": "other",
        },
    )
    assert api.last.json()["code"] == "amount_out_of_range"
    api.post(
        "/loans",
        Role.credit_officer,
        {
            "member_id": member,
            "product_id": _product(api, "CONSUMO"),
            "amount": "500.00",
            "tea": "0.50",
            "term": 6,
            "purpose": "other",
        },
    )
    assert api.last.json()["code"] == "tea_out_of_range"
    client_only = api.member(is_member=False)
    application = {
        "member_id": client_only,
        "product_id": _product(api, "CONSUMO"),
        "amount": "500.00",
        "tea": "0.24",
        "term": 6,
        "purpose": "business",
    }
    # A COOPAC operates only with its members (Ley 30822)...
    api.post("/loans", Role.credit_officer, application)
    assert (api.last.status_code, api.last.json()["code"]) == (422, "member_required")
    api.savings(api.member())  # the cooperative's savings product exists
    products = api.get("/savings-products")["items"]
    assert isinstance(products, list)
    api.post(
        "/savings-accounts",
        Role.teller,
        {"member_id": client_only, "product_id": products[0]["id"]},
    )
    assert (api.last.status_code, api.last.json()["code"]) == (422, "member_required")
    # ...unless it is a UNICA-style group, which lends to non-members a member backs
    _operates_with_non_members(api, True)
    api.post("/loans", Role.credit_officer, application)
    assert api.last.json()["code"] == "guarantors_required"
    backed = api.post(
        "/loans",
        Role.credit_officer,
        {
            "member_id": client_only,
            "product_id": _product(api, "CONSUMO"),
            "amount": "500.00",
            "tea": "0.24",
            "term": 6,
            "purpose": "business",
            "guarantor_ids": [member],
        },
    )
    assert api.last.status_code == 201, api.last.text
    assert backed["guarantor_ids"] == [member]
    _operates_with_non_members(api, False)


def _operates_with_non_members(api: Api, value: bool) -> None:
    r = api.c.patch(
        f"/api/v1/cooperatives/{api.coop.id}",
        json={"operates_with_non_members": value},
        headers=api.h(Role.admin),
    )
    assert (r.status_code, r.json()["operates_with_non_members"]) == (200, value), r.text


def test_disbursement_to_savings_keeps_the_books(api: Api) -> None:
    loan, account = _active_loan(api, "3000.00", 6)
    assert loan["status"] == "active"
    assert loan["balance"] == "3000.00"
    assert loan["commission"] == "30.00"
    acct = api.get(f"/savings-accounts/{account}")
    assert acct["balance"] == "2970.00"
    schedule = api.get(f"/loans/{loan['id']}/schedule")["installments"]
    assert isinstance(schedule, list) and len(schedule) == 6
    assert sum(Decimal(i["principal"]) for i in schedule) == Decimal("3000.00")
    lines = api.get(f"/loans/{loan['id']}/transactions")["items"]
    assert isinstance(lines, list)
    assert [(x["kind"], x["amount"], x["balance_after"]) for x in lines] == [
        ("loan_disbursement", "3000.00", "3000.00")
    ]
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True


def test_repayments_arrears_moratory_and_payoff(api: Api) -> None:
    loan, account = _active_loan(api, "1200.00", 3)
    lid = loan["id"]
    schedule = api.get(f"/loans/{lid}/schedule")["installments"]
    assert isinstance(schedule, list)
    first, second = schedule[0], schedule[1]
    # what a front-end keeps for offline work shows the loan and what falls due first
    snap: Any = api.get(f"/members/{loan['member_id']}/snapshot", Role.teller)
    assert [(x["id"], x["next_due"]["number"]) for x in snap["loans"]] == [(lid, 1)]
    assert snap["loans"][0]["next_due"]["owed"] == first["total"]
    today = date.fromisoformat(str(api.get("")["business_date"]))
    # pay the first installment exactly on its due date, from savings
    api.close_days((date.fromisoformat(first["due_date"]) - today).days)
    paid = api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {"amount": first["total"], "from_account_id": account},
        money=True,
    )
    assert api.last.status_code == 201, api.last.text
    assert (paid["principal"], paid["interest"], paid["insurance"], paid["moratory"]) == (
        first["principal"],
        first["interest"],
        first["insurance"],
        "0.00",
    )
    assert Decimal(str(paid["balance"])) == Decimal("1200.00") - Decimal(first["principal"])

    # 40 days after the second due date: deficiente (31-60 days for consumo)
    due2 = date.fromisoformat(second["due_date"])
    api.close_days((due2 - date.fromisoformat(first["due_date"])).days + 40)
    view = api.get(f"/loans/{lid}")
    assert view["days_past_due"] == 40
    assert view["category"] == "deficiente" and view["debtor_category"] == "deficiente"
    # the third installment may be due too by now; pay a small amount: insurance first
    small = api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {"amount": "1.00", "branch_id": api.coop.branches["PUNO"]},
        money=True,
    )
    assert api.last.status_code == 201, api.last.text
    # insurance first, then (no fees) moratory interest
    insurance_part = min(Decimal("1.00"), Decimal(second["insurance"]))
    assert Decimal(str(small["insurance"])) == insurance_part
    assert Decimal(str(small["moratory"])) == Decimal("1.00") - insurance_part
    assert (small["interest"], small["principal"]) == ("0.00", "0.00")

    # moratory on overdue principal only, at 12% TEA: 40 days on the second installment,
    # and on the third from its due date
    third = schedule[2]
    days3 = (
        date.fromisoformat(str(api.get("")["business_date"]))
        - date.fromisoformat(third["due_date"])
    ).days
    expected_moratory = round_cents(Decimal(second["principal"]) * period_rate(Decimal("0.12"), 40))
    if days3 > 0:
        expected_moratory += round_cents(
            Decimal(third["principal"]) * period_rate(Decimal("0.12"), days3)
        )
    installments = api.get(f"/loans/{lid}/schedule")["installments"]
    assert isinstance(installments, list)
    owed = api.get(f"/loans/{lid}")["overdue_amount"]
    # more than is owed is refused and moves nothing
    too_much = Decimal(str(owed)) + Decimal(str(api.get(f"/loans/{lid}")["balance"])) + 1
    api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {"amount": str(too_much), "branch_id": api.coop.branches["PUNO"]},
        money=True,
    )
    assert api.last.status_code == 422 and api.last.json()["code"] == "overpayment"
    big = api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {"amount": str(owed), "branch_id": api.coop.branches["PUNO"]},
        money=True,
    )
    assert api.last.status_code == 201, api.last.text
    assert Decimal(str(big["moratory"])) + Decimal(str(small["moratory"])) == expected_moratory
    assert api.get(f"/loans/{lid}")["days_past_due"] == 0
    assert api.get(f"/loans/{lid}")["overdue_amount"] == "0.00"

    # paying the rest (if any) closes the loan
    balance = Decimal(str(api.get(f"/loans/{lid}")["balance"]))
    if balance > 0:
        final = api.post(
            f"/loans/{lid}/repayments",
            Role.teller,
            {"amount": str(balance), "branch_id": api.coop.branches["PUNO"]},
            money=True,
        )
        assert api.last.status_code == 201, api.last.text
        assert final["status"] == "paid_off"
    assert api.get(f"/loans/{lid}")["status"] == "paid_off"
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True


def test_prepayment_reduces_term_or_installment(api: Api) -> None:
    for mode in ("reduce_installment", "reduce_term"):
        loan, _ = _active_loan(api, "6000.00", 6)
        before = api.get(f"/loans/{loan['id']}/schedule")["installments"]
        assert isinstance(before, list)
        r = api.post(
            f"/loans/{loan['id']}/repayments",
            Role.teller,
            {"amount": "3000.00", "branch_id": api.coop.branches["PUNO"], "prepayment": mode},
            money=True,
        )
        assert api.last.status_code == 201, api.last.text
        assert r["principal"] == "3000.00" and r["balance"] == "3000.00"
        after = api.get(f"/loans/{loan['id']}/schedule")["installments"]
        assert isinstance(after, list)
        open_after = [i for i in after if i["status"] != "paid"]
        total_principal = sum(Decimal(i["principal"]) for i in after)
        assert total_principal == Decimal("6000.00")
        if mode == "reduce_installment":
            assert len(open_after) == 6
            assert Decimal(after[-1]["total"]) < Decimal(before[-1]["total"])
        else:
            assert len(open_after) < 6
        assert api.get("/ledger/verification", Role.auditor)["ok"] is True


def test_portfolio_categories_provisions_and_write_off(api: Api) -> None:
    member = api.member()
    healthy, _ = _active_loan(api, "2000.00", 12, member=member)
    secured, _ = _active_loan(
        api,
        "4000.00",
        12,
        collateral=[
            {
                "description": "Hipoteca de terreno agrícola",
                "value": "20000.00",
                "guarantee": "preferred",
            }
        ],
    )
    # nothing paid for 130 days: Pérdida for consumo (> 120 days)
    api.close_days(130 + 31)
    view = api.get(f"/loans/{healthy['id']}")
    assert view["category"] == "perdida"
    portfolio = api.get("/portfolio", Role.accountant)
    by_category = portfolio["by_category"]
    assert isinstance(by_category, list)
    cells = {c["category"]: c for c in by_category}
    assert cells["perdida"]["loans"] >= 2
    assert Decimal(str(portfolio["par30"])) > 0
    assert Decimal(str(portfolio["overdue_ratio"])) > 0
    # provisions: no guarantee 100%, preferred guarantee 60% of the balance in Pérdida
    sec = api.get(f"/loans/{secured['id']}")
    assert sec["guarantee"] == "preferred"
    assert Decimal(str(cells["perdida"]["provision"])) >= Decimal("2000.00") + Decimal(
        "0.60"
    ) * Decimal(str(sec["balance"]))
    assert api.get("/portfolio", Role.auditor)["currency"] == "PEN"

    # castigo needs the month end's provisions to cover the balance (the walk through 140
    # days in test_close_of_business shows the refusal before)
    today = date.fromisoformat(str(api.get("/")["business_date"]))
    api.close_days(((today.replace(day=28) + timedelta(days=4)).replace(day=1) - today).days)
    assert api.get(f"/loans/{healthy['id']}")["provision"] == view["balance"]
    # the provision is on lines that name the loan (verify-ledger proves each loan's)
    provisions = [
        _parts_of(e, healthy["id"]) for e in _loan_entries(api, healthy["id"], "loan_provision")
    ]
    assert all(set(p) <= {"loan_specific", "loan_generic"} for p in provisions)
    assert sum(Decimal(v) for p in provisions for v in p.values()) == -Decimal(str(view["balance"]))
    # two people: the manager asks, the same manager cannot approve, the committee does
    asked = api.post(f"/loans/{healthy['id']}/write-off", Role.manager)
    assert (api.last.status_code, asked["write_off_requested_by"]) == (202, "cooploan.manager")
    assert asked["status"] == "active"
    api.post(f"/loans/{healthy['id']}/write-off/approve", Role.manager, money=True)
    assert (api.last.status_code, api.last.json()["code"]) == (403, "approver_is_requester")
    out = api.post(f"/loans/{healthy['id']}/write-off/approve", Role.credit_committee, money=True)
    assert api.last.status_code == 200, api.last.text
    assert out["status"] == "written_off"
    assert out["balance"] == "0.00"
    assert Decimal(str(out["written_off_balance"])) >= Decimal(str(view["balance"]))
    (written_off,) = _loan_entries(api, healthy["id"], "loan_write_off")
    parts = _parts_of(written_off, healthy["id"])
    assert (parts["loan_specific"], parts["loan_written_off"]) == (
        view["balance"],
        out["written_off_balance"],
    )
    report = api.get("/ledger/verification", Role.auditor)
    assert report["ok"] is True, report["problems"]
    # undone the same day, with a second person: the loan is back, as it was
    (entry,) = _loan_entries(api, healthy["id"], "loan_write_off")
    _reverse_with_approval(api, entry["id"])
    back = api.get(f"/loans/{healthy['id']}")
    assert (back["status"], back["balance"]) == ("active", view["balance"])
    assert back["category"] == "perdida"
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True
    # the approval stays what it was, decided; writing it off again is asked for again
    assert back["write_off_requested_by"] is None
    api.post(f"/loans/{healthy['id']}/write-off/approve", Role.credit_committee, money=True)
    assert (api.last.status_code, api.last.json()["code"]) == (409, "write_off_not_requested")
    api.post(f"/loans/{healthy['id']}/write-off", Role.manager)
    assert api.last.status_code == 202, api.last.text
    api.post(f"/loans/{healthy['id']}/write-off/approve", Role.credit_committee, money=True)
    assert api.last.status_code == 200, api.last.text


def test_a_page_of_loans_costs_the_same_queries_whatever_its_length(api: Api, db: Database) -> None:
    """One borrower with many loans: the list reads installments, products, guarantors
    and the debtor's other loans once per page, not once per loan."""
    member = api.member()
    for _ in range(2):
        _active_loan(api, member=member)

    def statements(limit: int) -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = api.get("/loans", member_id=member, limit=limit)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert isinstance(page["items"], list) and len(page["items"]) == min(limit, 6)
        return len(seen)

    few = statements(2)
    for _ in range(4):
        _active_loan(api, member=member)
    assert statements(6) == few


def _loan_entries(api: Api, loan_id: object, kind: str) -> list[dict[str, object]]:
    items = api.get("/journal-entries", Role.accountant, kind=kind, limit=200)["items"]
    assert isinstance(items, list)
    return [e for e in items if any(p["account_id"] == loan_id for p in e["postings"])]


def _parts_of(entry: dict[str, object], loan_id: object) -> dict[str, str]:
    """The lines of an entry that keep the loan's balances beside its principal, by part
    (debits positive)."""
    postings = entry["postings"]
    assert isinstance(postings, list)
    return {
        p["account_kind"]: p["debit"] if p["debit"] != "0.00" else "-" + p["credit"]
        for p in postings
        if p["account_id"] == loan_id and p["account_kind"] != "loan"
    }


def _reverse_with_approval(api: Api, entry_id: object) -> None:
    """The accountant asks, the manager approves: the entries were the teller's."""
    request = api.post(f"/journal-entries/{entry_id}/reversal", Role.accountant, money=True)
    assert api.last.status_code == 202, api.last.text
    api.post(f"/reversal-requests/{request['id']}/approve", Role.manager, money=True)
    assert api.last.status_code == 201, api.last.text


def test_reversing_a_loans_operations_restores_it_newest_first(api: Api) -> None:
    """The attack left a loan active with balance 0 and six pending installments."""
    loan, account = _active_loan(api, "1200.00", 6)
    schedule = api.get(f"/loans/{loan['id']}/schedule")
    for amount in ("150.00", "100.00"):
        api.post(
            f"/loans/{loan['id']}/repayments",
            Role.teller,
            {"amount": amount, "from_account_id": account},
            money=True,
        )
        assert api.last.status_code == 201, api.last.text
    first, second = sorted(
        _loan_entries(api, loan["id"], "loan_repayment"), key=lambda e: int(str(e["seq"]))
    )
    # newest first: the first repayment waits for the second to be undone
    api.post(f"/journal-entries/{first['id']}/reversal", Role.accountant, money=True)
    assert (api.last.status_code, api.last.json()["code"]) == (409, "reversal_out_of_order")
    _reverse_with_approval(api, second["id"])
    _reverse_with_approval(api, first["id"])
    assert api.get(f"/loans/{loan['id']}/schedule") == schedule
    assert api.get(f"/loans/{loan['id']}")["balance"] == "1200.00"
    # the disbursement: the loan is approved again, without a schedule, its money back
    (disbursement,) = _loan_entries(api, loan["id"], "loan_disbursement")
    _reverse_with_approval(api, disbursement["id"])
    after = api.get(f"/loans/{loan['id']}")
    assert (after["status"], after["balance"]) == ("approved", "0.00")
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True
    # ... and may be paid out again, the right way
    api.post(
        f"/loans/{loan['id']}/disburse", Role.teller, {"savings_account_id": account}, money=True
    )
    assert api.last.status_code == 201, api.last.text
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True


def test_verify_ledger_checks_loan_records(api: Api, owner_engine: Engine) -> None:
    loan, _ = _active_loan(api)
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True
    # a loan whose schedule no longer owes its balance is caught
    with owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE loan_installment SET principal_paid = principal "
                "WHERE loan_id = :l AND number = 1"
            ),
            {"l": loan["id"]},
        )
    report = api.get("/ledger/verification", Role.auditor)
    assert report["ok"] is False
    problems = report["problems"]
    assert isinstance(problems, list)
    assert any(str(loan["number"]) in p for p in problems)
    with owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE loan_installment SET principal_paid = 0 WHERE loan_id = :l AND number = 1"
            ),
            {"l": loan["id"]},
        )
    # so is a balance kept beside the principal that its lines do not put there
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE loan SET provision_generic = 10 WHERE id = :l"), {"l": loan["id"]}
        )
    problems = api.get("/ledger/verification", Role.auditor)["problems"]
    assert isinstance(problems, list)
    assert (
        f"loan {loan['number']}: generic provision 10.00 but its lines put 0.00 there" in problems
    )
    with owner_engine.begin() as conn:
        conn.execute(text("UPDATE loan SET provision_generic = 0 WHERE id = :l"), {"l": loan["id"]})
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True


def test_another_branchs_teller_does_not_pay_a_loan_out_of_the_members_savings(
    api: Api, client: TestClient
) -> None:
    """The attack: a teller at Juliaca debited a Puno member's savings to pay that member's
    loan and shares, while /transfers refused the same. Debits other than cash at the
    counter are the member's own branch's."""
    loan, account = _active_loan(api, "1000.00", 3)  # a member of Puno, who has the money
    add_user(client, api.coop, "cooploan.cajero.juliaca", ["teller"], branch="JULIACA")
    juliaca = login(client, "cooploan.cajero.juliaca")
    before = api.get(f"/savings-accounts/{account}")["balance"]
    for path, body in (
        (f"/loans/{loan['id']}/repayments", {"amount": "50.00", "from_account_id": account}),
        (
            f"/members/{api.get(f'/savings-accounts/{account}')['member_id']}/share-account/payments",
            {"amount": "20.00", "from_account_id": account},
        ),
    ):
        r = client.post(api.url(path), json=body, headers={**juliaca, **key()})
        assert (r.status_code, r.json()["code"]) == (403, "member_of_other_branch"), r.text
    assert api.get(f"/savings-accounts/{account}")["balance"] == before
    # the member's own branch may
    api.post(
        f"/loans/{loan['id']}/repayments",
        Role.teller,
        {"amount": "50.00", "from_account_id": account},
        money=True,
    )
    assert api.last.status_code == 201, api.last.text


_PART_LINES = """
INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, account_kind,
                     account_id, business_date, value_date)
SELECT g.cooperative_id, CAST(:e AS uuid), g.id, 'PEN', CASE g.code WHEN '4312' THEN 10 ELSE -10 END,
       CASE g.code WHEN '4312' THEN NULL ELSE 'loan_generic' END,
       CASE g.code WHEN '4312' THEN NULL ELSE CAST(:l AS uuid) END, c.business_date, c.business_date
FROM gl_account g JOIN cooperative c ON c.id = g.cooperative_id
WHERE g.cooperative_id = :c AND g.code IN ('4312', :on)
"""


def test_a_loans_kept_balance_moves_only_with_a_line_on_its_own_account(
    api: Api, db: Database
) -> None:
    """As the service's role: a line naming a loan's generic provision moves it when it is
    on 14x9.02 (here rolled back), and is refused on any other account."""
    loan, _ = _active_loan(api)
    params = {"c": api.coop.id, "l": loan["id"]}
    for account, refused in (("1419.01", True), ("5114", True), ("1419.02", False)):
        with db.engine.connect() as conn, conn.begin() as tx:
            conn.execute(text("SELECT set_config('coopac.tenant', :c, true)"), params)
            entry = conn.execute(
                text(
                    "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, "
                    "value_date, actor_name) SELECT id, gen_random_uuid(), 'adjustment', "
                    "business_date, business_date, 'x' FROM cooperative WHERE id = :c "
                    "RETURNING id"
                ),
                params,
            ).scalar_one()
            insert = text(_PART_LINES)
            if refused:
                with pytest.raises(DBAPIError, match=r"loan accounts \(or their parts\)"):
                    conn.execute(insert, {**params, "e": entry, "on": account})
            else:
                conn.execute(insert, {**params, "e": entry, "on": account})
                kept = conn.execute(
                    text("SELECT provision_generic FROM loan WHERE id = :l"), params
                ).scalar_one()
                assert kept == Decimal("10.00")
            tx.rollback()
    assert api.get(f"/loans/{loan['id']}")["provision"] == "0.00"


def _rate(days: int) -> Decimal:
    """The test's own period rate at the loans' TEA of 24%."""
    return Decimal("1.24") ** (Decimal(days) / Decimal(360)) - 1


def test_a_prepayment_charges_interest_to_the_day_and_a_payoff_quote_pays_the_loan_off(
    api: Api,
) -> None:
    loan, _ = _active_loan(api, "10000.00", 12)
    lid = loan["id"]
    schedule = api.get(f"/loans/{lid}/schedule")["installments"]
    assert isinstance(schedule, list)
    first_due = date.fromisoformat(schedule[0]["due_date"])
    today = date.fromisoformat(str(api.get("/")["business_date"]))
    api.close_days((first_due - today).days)
    paid = api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {"amount": schedule[0]["total"], "branch_id": api.coop.branches["PUNO"]},
        money=True,
    )
    assert api.last.status_code == 201, api.last.text
    owed = Decimal(str(paid["balance"]))
    api.close_days(14)
    # 2,000 of principal prepaid 14 days after the last due date, with its interest
    interest = (Decimal("2000.00") * _rate(14)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    out = api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {
            "amount": str(Decimal("2000.00") + interest),
            "branch_id": api.coop.branches["PUNO"],
            "excess_as": "prepayment",
        },
        money=True,
    )
    assert api.last.status_code == 201, api.last.text
    assert (out["principal"], out["interest"]) == ("2000.00", str(interest))
    assert Decimal(str(out["balance"])) == owed - Decimal("2000.00")
    # the payoff today: the rest of the principal and its interest since the due date
    quote = api.get(f"/loans/{lid}/payoff")
    rest = owed - Decimal("2000.00")
    rest_interest = (rest * _rate(14)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (quote["principal"], quote["interest"], quote["moratory"]) == (
        str(rest),
        str(rest_interest),
        "0.00",
    )
    assert quote["total"] == str(rest + rest_interest)
    # a later day's quote has more interest; an earlier day's is refused
    later = api.get(f"/loans/{lid}/payoff", date=(first_due + timedelta(days=20)).isoformat())
    assert Decimal(str(later["interest"])) > rest_interest
    r = api.c.get(
        api.url(f"/loans/{lid}/payoff"),
        params={"date": first_due.isoformat()},
        headers=api.h(Role.teller),
    )
    assert (r.status_code, r.json()["code"]) == (422, "payoff_date_in_past")
    r = api.c.get(
        api.url(f"/loans/{lid}/payoff"), params={"date": "9999-12-31"}, headers=api.h(Role.teller)
    )
    assert (r.status_code, r.json()["code"]) == (422, "payoff_date_too_far")
    # paid exactly, the loan is closed with nothing left and nothing refunded
    out = api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {"amount": quote["total"], "branch_id": api.coop.branches["PUNO"]},
        money=True,
    )
    assert api.last.status_code == 201, api.last.text
    assert (out["status"], out["balance"], out["amount"]) == ("paid_off", "0.00", quote["total"])
    r = api.c.get(api.url(f"/loans/{lid}/payoff"), headers=api.h(Role.teller))
    assert (r.status_code, r.json()["code"]) == (409, "invalid_loan_status")
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True


def test_overdue_principal_keeps_earning_its_interest_until_it_is_paid(api: Api) -> None:
    loan, _ = _active_loan(api, "3000.00", 6)
    lid = loan["id"]
    schedule = api.get(f"/loans/{lid}/schedule")["installments"]
    assert isinstance(schedule, list)
    first = schedule[0]
    first_due = date.fromisoformat(first["due_date"])
    today = date.fromisoformat(str(api.get("/")["business_date"]))
    api.close_days((first_due - today).days + 10)  # the first installment 10 days late
    principal = Decimal(first["principal"])
    cents = Decimal("0.01")
    late = (principal * _rate(10)).quantize(cents, ROUND_HALF_UP)
    rest = Decimal("3000.00") - principal
    quote = api.get(f"/loans/{lid}/payoff")
    # its interest, the interest its principal kept earning, and the prepaid rest's
    assert Decimal(str(quote["interest"])) == (
        Decimal(first["interest"]) + late + (rest * _rate(10)).quantize(cents, ROUND_HALF_UP)
    )
    assert Decimal(str(quote["moratory"])) > 0
    out = api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {"amount": quote["total"], "branch_id": api.coop.branches["PUNO"]},
        money=True,
    )
    assert api.last.status_code == 201, api.last.text
    assert (out["status"], out["interest"], out["moratory"]) == (
        "paid_off",
        quote["interest"],
        quote["moratory"],
    )
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True


def test_the_moratory_rate_is_the_cooperatives_capped_by_its_product(
    api: Api, owner_engine: Engine
) -> None:
    def rate_of_a_new_loan() -> Decimal:
        loan = _apply(api, api.member())
        with owner_engine.connect() as conn:
            return Decimal(
                conn.execute(
                    text("SELECT moratory_tea FROM loan WHERE id = :l"), {"l": loan["id"]}
                ).scalar_one()
            )

    try:
        for asked, kept in (("0.05", Decimal("0.05")), ("0.50", Decimal("0.12"))):
            r = api.c.put(
                api.url("/credit-policy"), json={"moratory_tea": asked}, headers=api.h(Role.manager)
            )
            assert r.status_code == 200, r.text
            assert rate_of_a_new_loan() == kept  # the CONSUMO product's is 12%
    finally:
        api.c.put(api.url("/credit-policy"), json={}, headers=api.h(Role.manager))
    assert rate_of_a_new_loan() == Decimal("0.12")


def test_a_current_loan_is_reprogrammed_without_capitalising_interest(api: Api) -> None:
    loan, _ = _active_loan(api, "3000.00", 6)
    lid = loan["id"]
    schedule = api.get(f"/loans/{lid}/schedule")["installments"]
    assert isinstance(schedule, list)
    first_due = date.fromisoformat(schedule[0]["due_date"])
    today = date.fromisoformat(str(api.get("/")["business_date"]))
    api.close_days((first_due - today).days)
    api.post(
        f"/loans/{lid}/repayments",
        Role.teller,
        {"amount": schedule[0]["total"], "branch_id": api.coop.branches["PUNO"]},
        money=True,
    )
    assert api.last.status_code == 201, api.last.text
    balance = api.get(f"/loans/{lid}")["balance"]
    api.close_days(5)
    new_first = first_due + timedelta(days=75)
    body = {"first_due_date": new_first.isoformat(), "installments": 8, "reason": "Helada"}
    api.post(f"/loans/{lid}/reschedule", Role.credit_officer, body)
    assert api.last.status_code == 403  # the committee's (or the manager's) decision
    api.post(
        f"/loans/{lid}/reschedule",
        Role.credit_committee,
        {**body, "first_due_date": first_due.isoformat()},
    )
    assert (api.last.status_code, api.last.json()["code"]) == (422, "schedule_invalid")
    out = api.post(f"/loans/{lid}/reschedule", Role.credit_committee, body)
    assert api.last.status_code == 200, api.last.text
    assert out["balance"] == balance  # no interest capitalised
    after = api.get(f"/loans/{lid}/schedule")["installments"]
    assert isinstance(after, list)
    open_ = [i for i in after if i["status"] != "paid"]
    assert open_[0]["due_date"] == new_first.isoformat() and len(open_) == 8
    assert [i["due_date"] for i in open_] == sorted(i["due_date"] for i in open_)
    assert sum(Decimal(i["principal"]) for i in open_) == Decimal(str(balance))
    # the first new installment's interest runs from the last due date, on what is owed
    days = (new_first - first_due).days
    owed = Decimal(str(balance))
    assert Decimal(open_[0]["interest"]) == (owed * _rate(days)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    assert api.get("/ledger/verification", Role.auditor)["ok"] is True
    # a loan in arrears is refinanced, not reprogrammed
    late, _ = _active_loan(api, "1000.00", 3)
    late_schedule = api.get(f"/loans/{late['id']}/schedule")["installments"]
    assert isinstance(late_schedule, list)
    due = date.fromisoformat(late_schedule[0]["due_date"])
    api.close_days((due - date.fromisoformat(str(api.get("/")["business_date"]))).days + 2)
    api.post(f"/loans/{late['id']}/reschedule", Role.credit_committee, body)
    assert (api.last.status_code, api.last.json()["code"]) == (409, "loan_not_current")


def _gl_line(entry: dict[str, object], code: str) -> Decimal:
    """The entry's amount on ``code`` (debits positive)."""
    postings = entry["postings"]
    assert isinstance(postings, list)
    return sum(
        (
            Decimal(p["debit"]) - Decimal(p["credit"])
            for p in postings
            if p["gl_account_code"] == code
        ),
        Decimal("0.00"),
    )


def test_a_loan_in_arrears_is_refinanced_by_two_people_into_refinanced_loans(api: Api) -> None:
    loan, _ = _active_loan(api, "3000.00", 6)
    lid = loan["id"]
    schedule = api.get(f"/loans/{lid}/schedule")["installments"]
    assert isinstance(schedule, list)
    first_due = date.fromisoformat(schedule[0]["due_date"])
    today = date.fromisoformat(str(api.get("/")["business_date"]))
    api.close_days((first_due - today).days + 40)  # 40 days behind: Deficiente (consumo)
    old = api.get(f"/loans/{lid}")
    assert (old["category"], old["accounting_status"]) == ("deficiente", "overdue")
    today = date.fromisoformat(str(api.get("/")["business_date"]))
    insurance_due = sum(
        (Decimal(i["insurance"]) for i in schedule if date.fromisoformat(i["due_date"]) <= today),
        Decimal("0.00"),
    )
    body = {"installments": 12, "reason": "Sequía: paga con la campaña siguiente"}
    api.post(f"/loans/{lid}/refinance", Role.credit_officer, body)
    assert api.last.status_code == 403  # the committee's (or the manager's) decision
    api.post(f"/loans/{lid}/refinance", Role.credit_committee, {**body, "tea": "0.90"})
    assert (api.last.status_code, api.last.json()["code"]) == (422, "tea_out_of_range")
    api.post(f"/loans/{lid}/refinance", Role.credit_committee, body)
    assert api.last.status_code == 202, api.last.text
    api.post(f"/loans/{lid}/refinance", Role.manager, body)
    assert (api.last.status_code, api.last.json()["code"]) == (409, "refinance_already_requested")
    api.post(f"/loans/{lid}/refinance/approve", Role.credit_committee, money=True)
    assert (api.last.status_code, api.last.json()["code"]) == (403, "approver_is_requester")
    new = api.post(f"/loans/{lid}/refinance/approve", Role.manager, money=True)
    assert api.last.status_code == 200, api.last.text

    # the new loan: all the old one owed, in 14x4; what it capitalised deferred
    capitalised = Decimal(str(new["deferred_interest"]))
    assert capitalised > 0
    assert Decimal(str(new["amount"])) == Decimal(str(old["balance"])) + capitalised + insurance_due
    assert (new["refinanced_from_id"], new["balance"], new["amount"]) == (
        lid,
        new["amount"],
        new["balance"],
    )
    assert (new["status"], new["term"], new["category"]) == ("active", 12, "deficiente")
    settled = api.get(f"/loans/{lid}")
    assert (settled["status"], settled["balance"], settled["closed_on"]) == (
        "refinanced",
        "0.00",
        today.isoformat(),
    )
    (entry,) = _loan_entries(api, lid, "loan_refinance")
    assert _gl_line(entry, "1414") == Decimal(str(new["amount"]))
    assert _gl_line(entry, "2911.02") == -capitalised
    assert _gl_line(entry, "1415") == -Decimal(str(old["overdue_balance"]))
    report = api.get("/ledger/verification", Role.auditor)
    assert report["ok"] is True, report["problems"]
    # a refinance is not undone by a reversal
    api.post(f"/journal-entries/{entry['id']}/reversal", Role.accountant, money=True)
    assert (api.last.status_code, api.last.json()["code"]) == (409, "reversal_not_supported")

    # its interest is income when collected; its category no better than the debtor's was
    api.close_days(5)
    view = api.get(f"/loans/{new['id']}")
    assert (view["days_past_due"], view["category"]) == (0, "deficiente")
    assert Decimal(str(view["suspended_interest"])) > 0 and view["accrued_interest"] == "0.00"
    portfolio = api.get("/portfolio", Role.accountant)
    assert Decimal(str(portfolio["refinanced_balance"])) >= Decimal(str(new["balance"]))
    assert Decimal(str(portfolio["high_risk_ratio"])) > Decimal(str(portfolio["overdue_ratio"]))

    # paid on time for the credit policy's number of installments, it is classified by days
    r = api.c.put(
        api.url("/credit-policy"),
        json={"refinance_regular_installments": 1},
        headers=api.h(Role.manager),
    )
    assert r.status_code == 200, r.text
    try:
        new_schedule = api.get(f"/loans/{new['id']}/schedule")["installments"]
        assert isinstance(new_schedule, list)
        due = date.fromisoformat(new_schedule[0]["due_date"])
        api.close_days((due - date.fromisoformat(str(api.get("/")["business_date"]))).days)
        paid = api.post(
            f"/loans/{new['id']}/repayments",
            Role.teller,
            {"amount": new_schedule[0]["total"], "branch_id": api.coop.branches["PUNO"]},
            money=True,
        )
        assert api.last.status_code == 201, api.last.text
        balance = Decimal(str(paid["balance"]))
        left = (capitalised * balance / Decimal(str(new["amount"]))).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        (repaid,) = _loan_entries(api, new["id"], "loan_repayment")
        assert _gl_line(repaid, "2911.02") == capitalised - left
        assert api.get(f"/loans/{new['id']}")["deferred_interest"] == str(left)
        assert api.get(f"/loans/{new['id']}")["category"] == "normal"
        api.close_days(1)
        assert api.get(f"/loans/{new['id']}")["category"] == "normal"
        assert api.get("/ledger/verification", Role.auditor)["ok"] is True
    finally:
        api.c.put(api.url("/credit-policy"), json={}, headers=api.h(Role.manager))
