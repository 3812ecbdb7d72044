"""A loan through close of business, over HTTP: one loan left unpaid for 140 days after its
first due date, closed day by day, read on the trial balance at each step against figures
computed here from its schedule: the accrual, its suspension, the transfer to vencidos,
the provisions at each month end, the write-off by two people and a recovery."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.money import period_rate, round_cents
from coopac_core.security.roles import Role
from tests.support.bank import key, new_dni
from tests.support.cob import close_until
from tests.support.world import Coop, World, make_coop

pytestmark = pytest.mark.heavy

START = date(2025, 1, 10)
AMOUNT = D("1200.00")
MORATORY_TEA = D("0.12")


class Walk:
    """One cooperative, its consumo product and one loan, paid out on ``START``."""

    product: str

    def __init__(self, client: TestClient, coop: Coop) -> None:
        self.c = client
        self.coop = coop

    def url(self, path: str) -> str:
        return f"/api/v1/cooperatives/{self.coop.id}{path}"

    def post(self, path: str, role: Role, json: object = None, money: bool = False) -> Any:
        headers = {**self.coop.headers[role], **(key() if money else {})}
        self.last = self.c.post(self.url(path), json=json, headers=headers)
        return self.last.json()

    def get(self, path: str, role: Role = Role.manager, **params: object) -> Any:
        r = self.c.get(self.url(path), params=params, headers=self.coop.headers[role])
        assert r.status_code == 200, r.text
        return r.json()

    def member(self, **extra: object) -> str:
        body = {
            "document_type": "DNI",
            "document_number": new_dni(),
            "first_names": "Rosa",
            "last_names": "Mamani",
            **extra,
        }
        m = self.post("/members", Role.teller, body)
        assert self.last.status_code == 201, self.last.text
        return str(m["id"])

    def business_date(self) -> date:
        return date.fromisoformat(self.get("")["business_date"])

    def close_to(self, day: date) -> None:
        """Close every day before ``day``: the business date becomes ``day``."""
        close_until(self.c, self.coop, (day - self.business_date()).days)
        assert self.business_date() == day

    def gl(self, code: str, as_of: date) -> D:
        """An account's balance at the end of ``as_of``, debits positive."""
        tb = self.get("/ledger/trial-balance", Role.accountant, as_of=as_of.isoformat())
        return next((D(a["balance"]) for a in tb["accounts"] if a["code"] == code), D("0.00"))

    def verified(self) -> None:
        report = self.get("/ledger/verification", Role.auditor)
        assert report["ok"] is True, report["problems"]

    def loan(self, member: str, **extra: object) -> dict[str, Any]:
        loan = self.post(
            "/loans",
            Role.credit_officer,
            {
                "member_id": member,
                "product_id": self.product,
                "amount": str(AMOUNT),
                "tea": "0.24",
                "term": 6,
                "purpose": "consumption",
                **extra,
            },
        )
        assert self.last.status_code == 201, self.last.text
        self.post(f"/loans/{loan['id']}/submit", Role.credit_officer)
        self.post(f"/loans/{loan['id']}/approve", Role.credit_committee, {"note": "Comité 12"})
        assert self.last.status_code == 200, self.last.text
        out = self.post(
            f"/loans/{loan['id']}/disburse",
            Role.teller,
            {"branch_id": self.coop.branches["PUNO"]},
            money=True,
        )
        assert self.last.status_code == 201, self.last.text
        return dict(out)


def _cooperative(
    client: TestClient, world: World, code: str, ruc_body: str, start: date, credit_type: str
) -> Walk:
    """A cooperative whose books start on ``start``, with one consumo product."""
    coop = make_coop(
        client, world.fed_admin, code, ruc_body + str(ruc_check_digit(ruc_body)), start
    )
    w = Walk(client, coop)
    product = w.post(
        "/loan-products",
        Role.admin,
        {
            "code": "CONSUMO",
            "name": "Consumo",
            "credit_type": credit_type,
            "currency": "PEN",
            "tea_min": "0.10",
            "tea_max": "0.40",
            "amount_min": "100.00",
            "amount_max": "50000.00",
            "term_min": 1,
            "term_max": 36,
            "moratory_tea": str(MORATORY_TEA),
        },
    )
    assert w.last.status_code == 201, w.last.text
    w.product = product["id"]
    return w


@pytest.fixture(scope="module")
def walk(client: TestClient, world: World) -> Walk:
    return _cooperative(client, world, "COOPWALK", "2060000077", START, "consumo_no_revolvente")


class Expected:
    """What the books must say of the loan at the end of a day, from its schedule."""

    def __init__(self, schedule: list[dict[str, Any]]) -> None:
        self.rows = [
            (
                date.fromisoformat(i["due_date"]),
                int(i["days"]),
                D(i["principal"]),
                D(i["interest"]),
            )
            for i in schedule
        ]

    def interest(self, day: date) -> D:
        """Each installment's share of its interest for the days of its period elapsed;
        past its due date, the compensatory interest its unpaid principal keeps earning at
        the loan's TEA (24%), computed whole from the due date."""
        total = D("0.00")
        for due, days, principal, interest in self.rows:
            start = due - timedelta(days=days)
            if start < day:
                total += round_cents(interest * min((day - start).days, days) / days)
            if due < day:
                total += round_cents(principal * period_rate(D("0.24"), (day - due).days))
        return total

    def moratory(self, day: date) -> D:
        """12% TEA on each installment's principal from its due date, computed whole."""
        return sum(
            (
                round_cents(principal * period_rate(MORATORY_TEA, (day - due).days))
                for due, _, principal, _ in self.rows
                if due < day
            ),
            D("0.00"),
        )

    def overdue(self, day: date) -> D:
        """Consumo: each installment 30 days past due is vencido; past 90 days, all of it."""
        first_due = self.rows[0][0]
        if (day - first_due).days > 90:
            return AMOUNT
        return sum(
            (principal for due, _, principal, _ in self.rows if (day - due).days > 30),
            D("0.00"),
        )


def test_a_loan_unpaid_for_140_days_through_the_books(walk: Walk) -> None:
    loan = walk.loan(walk.member())
    # the TCEA agreed, kept on the loan: with no commission nor insurance, the TEA
    assert abs(D(loan["tcea"]) - D("0.24")) < D("0.0001")
    schedule = walk.get(f"/loans/{loan['id']}/schedule")
    assert schedule["tcea"] == loan["tcea"]
    exp = Expected(schedule["installments"])
    first_due = exp.rows[0][0]

    # the first month: interest accrues to income day by day, on no cash at all
    walk.close_to(date(2025, 2, 1))
    jan31 = date(2025, 1, 31)
    assert walk.gl("1418", jan31) == exp.interest(jan31) > 0
    assert walk.gl("5114", jan31) == -exp.interest(jan31)
    # Normal at the month end: the generic provision, 1% of the balance
    assert walk.gl("1419.02", jan31) == D("-12.00")
    assert walk.gl("4312", jan31) == D("12.00")
    walk.verified()

    # unpaid: moratory interest on the overdue principal, CPP at the month end (5%)
    walk.close_to(date(2025, 3, 1))
    feb28 = date(2025, 2, 28)
    assert walk.gl("1418", feb28) == exp.interest(feb28) + exp.moratory(feb28)
    assert walk.gl("5114.02", feb28) == -exp.moratory(feb28) < 0
    assert (walk.gl("1419.02", feb28), walk.gl("1419.01", feb28)) == (D("0.00"), D("-60.00"))
    view = walk.get(f"/loans/{loan['id']}")
    assert (view["category"], view["accounting_status"]) == ("cpp", "current")

    # 30 days past due: the installment moves to vencidos; the interest accrued leaves
    # income for suspense (memorandum accounts), and accrues there from then on
    suspended_on = first_due + timedelta(days=31)
    walk.close_to(suspended_on + timedelta(days=1))
    before = suspended_on - timedelta(days=1)
    assert walk.gl("1415", before) == 0
    assert walk.gl("1418", before) == exp.interest(before) + exp.moratory(before)
    assert walk.gl("1415", suspended_on) == exp.overdue(suspended_on) == exp.rows[0][2]
    assert walk.gl("1411", suspended_on) == AMOUNT - exp.rows[0][2]
    assert walk.gl("1418", suspended_on) == 0
    assert walk.gl("5114", suspended_on) == walk.gl("5114.02", suspended_on) == 0
    uncollected = exp.interest(suspended_on) + exp.moratory(suspended_on)
    assert walk.gl("8114", suspended_on) == uncollected == -walk.gl("8314", suspended_on)
    view = walk.get(f"/loans/{loan['id']}")
    assert view["accounting_status"] == "overdue"
    assert (view["overdue_balance"], view["accrued_interest"]) == (str(exp.rows[0][2]), "0.00")
    walk.verified()

    # each month end: Deficiente 25%, Dudoso 60% (twice), the vencidos growing by
    # installment until 90 days, then the whole balance
    for month_end, specific in (
        (date(2025, 3, 31), D("300.00")),
        (date(2025, 4, 30), D("720.00")),
        (date(2025, 5, 31), D("720.00")),
    ):
        walk.close_to(month_end + timedelta(days=1))
        assert walk.gl("1419.01", month_end) == -specific
        assert walk.gl("4312", month_end) == specific
        assert walk.gl("1415", month_end) == exp.overdue(month_end)
        assert walk.gl("1411", month_end) == AMOUNT - exp.overdue(month_end)
        assert walk.gl("8114", month_end) == exp.interest(month_end) + exp.moratory(month_end)
        assert walk.gl("1418", month_end) == 0
    assert exp.overdue(date(2025, 5, 31)) == AMOUNT
    walk.verified()

    # Pérdida (more than 120 days) but provisioned at 60%: no write-off yet
    walk.close_to(date(2025, 6, 29))
    assert walk.get(f"/loans/{loan['id']}")["debtor_category"] == "perdida"
    walk.post(f"/loans/{loan['id']}/write-off", Role.manager)
    assert (walk.last.status_code, walk.last.json()["code"]) == (409, "write_off_not_provisioned")

    # 140 days past the first due date, a month end: Pérdida, 100% provisioned
    jun30 = first_due + timedelta(days=140)
    assert jun30 == date(2025, 6, 30)
    walk.close_to(jun30 + timedelta(days=1))
    assert walk.gl("1419.01", jun30) == -AMOUNT
    assert walk.gl("4312", jun30) == AMOUNT
    owed_interest = exp.interest(jun30) + exp.moratory(jun30)
    assert walk.gl("8114", jun30) == owed_interest
    walk.verified()

    # castigo: asked by the manager, approved by the committee (not the same person)
    asked = walk.post(f"/loans/{loan['id']}/write-off", Role.manager)
    assert walk.last.status_code == 202, walk.last.text
    assert asked["write_off_requested_by"] == "coopwalk.manager"
    walk.post(f"/loans/{loan['id']}/write-off/approve", Role.manager, money=True)
    assert (walk.last.status_code, walk.last.json()["code"]) == (403, "approver_is_requester")
    out = walk.post(f"/loans/{loan['id']}/write-off/approve", Role.credit_committee, money=True)
    assert walk.last.status_code == 200, walk.last.text
    assert (out["status"], out["balance"]) == ("written_off", "0.00")
    written_off = AMOUNT + owed_interest
    assert D(out["written_off_balance"]) == written_off
    today = jun30 + timedelta(days=1)
    # the allowance is applied: no loan, no provision, no suspense left; the debt is kept
    # in memorandum accounts; the expense stays what the provisions cost
    for code in ("1411", "1415", "1418", "1419.01", "1419.02", "8114", "8314"):
        assert walk.gl(code, today) == 0, code
    assert walk.gl("8113", today) == written_off == -walk.gl("8313", today)
    assert walk.gl("4312", today) == AMOUNT
    walk.verified()

    # a later payment on it: income, and the written-off debt goes down
    walk.post(
        f"/loans/{loan['id']}/recoveries",
        Role.teller,
        {"amount": "300.00", "branch_id": walk.coop.branches["PUNO"]},
    )
    assert walk.last.json()["code"] == "idempotency_key_required"
    rec = walk.post(
        f"/loans/{loan['id']}/recoveries",
        Role.teller,
        {"amount": "300.00", "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert walk.last.status_code == 201, walk.last.text
    assert D(rec["written_off_balance"]) == written_off - D("300.00")
    assert walk.gl("5614", today) == D("-300.00")
    assert walk.gl("8113", today) == written_off - D("300.00")
    walk.post(
        f"/loans/{loan['id']}/recoveries",
        Role.teller,
        {"amount": str(written_off), "branch_id": walk.coop.branches["PUNO"]},
        money=True,
    )
    assert (walk.last.status_code, walk.last.json()["code"]) == (422, "recovery_exceeds_debt")
    walk.verified()


@pytest.fixture(scope="module")
def rules(client: TestClient, world: World) -> Walk:
    """A cooperative of its own for the credit rules (the walk's books stay the walk's)."""
    start = datetime.now(UTC).date() - timedelta(days=400)
    return _cooperative(client, world, "COOPRULES", "2060000078", start, "consumo")


def test_an_overdue_loan_goes_to_judicial_collection(rules: Walk) -> None:
    loan = rules.loan(rules.member())
    rules.post(f"/loans/{loan['id']}/judicial-collection", Role.credit_committee)
    assert (rules.last.status_code, rules.last.json()["code"]) == (409, "judicial_requires_overdue")
    rules.close_to(rules.business_date() + timedelta(days=70))
    view = rules.get(f"/loans/{loan['id']}")
    assert view["accounting_status"] == "overdue" and D(view["overdue_balance"]) > 0
    rules.post(f"/loans/{loan['id']}/judicial-collection", Role.teller)
    assert rules.last.status_code == 403
    out = rules.post(f"/loans/{loan['id']}/judicial-collection", Role.credit_committee)
    assert rules.last.status_code == 200, rules.last.text
    assert out["accounting_status"] == "judicial"
    assert (out["judicial_balance"], out["overdue_balance"]) == (str(AMOUNT), "0.00")
    today = rules.business_date()
    assert rules.gl("1416", today) == AMOUNT
    # a payment lowers what is in court; close of business leaves it there
    paid = rules.post(
        f"/loans/{loan['id']}/repayments",
        Role.teller,
        {"amount": "500.00", "branch_id": rules.coop.branches["PUNO"]},
        money=True,
    )
    assert rules.last.status_code == 201, rules.last.text
    rules.close_to(today + timedelta(days=1))
    view = rules.get(f"/loans/{loan['id']}")
    assert view["accounting_status"] == "judicial"
    assert D(view["judicial_balance"]) == AMOUNT - D(paid["principal"])
    rules.verified()


def test_a_guarantor_stays_bound_and_shares_pay_debts_first(rules: Walk) -> None:
    guarantor, borrower = rules.member(), rules.member()
    for member, amount in ((guarantor, "100.00"), (borrower, "500.00")):
        rules.post(
            f"/members/{member}/share-account/payments",
            Role.teller,
            {"amount": amount, "branch_id": rules.coop.branches["PUNO"]},
            money=True,
        )
        assert rules.last.status_code == 201, rules.last.text
    loan = rules.loan(borrower, guarantor_ids=[guarantor])
    for member in (guarantor, borrower):
        r = rules.c.patch(
            rules.url(f"/members/{member}"),
            json={"status": "withdrawn", "document_reference": "Carta de renuncia 7"},
            headers=rules.coop.headers[Role.manager],
        )
        assert r.status_code == 200, r.text
    refund = {"branch_id": rules.coop.branches["PUNO"]}
    rules.post(f"/members/{guarantor}/share-account/refund", Role.teller, refund, money=True)
    assert (rules.last.status_code, rules.last.json()["code"]) == (
        409,
        "guarantor_of_outstanding_loan",
    )
    assert rules.get(f"/members/{guarantor}/share-account")["balance"] == "100.00"
    # the borrower's shares first pay what they owe: all 500 go to the loan
    out = rules.post(f"/members/{borrower}/share-account/refund", Role.teller, refund, money=True)
    assert rules.last.status_code == 201, rules.last.text
    assert (out["amount"], out["balance"]) == ("-500.00", "0.00")
    after = rules.get(f"/loans/{loan['id']}")
    assert D(after["balance"]) < AMOUNT
    rules.verified()


def test_a_payment_beyond_what_is_due_advances_installments_or_prepays(rules: Walk) -> None:
    def pay(loan: dict[str, Any], amount: D, **extra: object) -> list[dict[str, Any]]:
        rules.post(
            f"/loans/{loan['id']}/repayments",
            Role.teller,
            {"amount": str(amount), "branch_id": rules.coop.branches["PUNO"], **extra},
            money=True,
        )
        assert rules.last.status_code == 201, rules.last.text
        items: list[dict[str, Any]] = rules.get(f"/loans/{loan['id']}/schedule")["installments"]
        return items

    def totals(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
        return [(i["principal"], i["interest"]) for i in items]

    # up to two installments: advanced as they are, nothing recalculated
    loan = rules.loan(rules.member())
    before = rules.get(f"/loans/{loan['id']}/schedule")["installments"]
    two = D(before[0]["total"]) + D(before[1]["total"])
    after = pay(loan, two)
    assert totals(after) == totals(before)
    assert [i["status"] for i in after[:3]] == ["paid", "paid", "pending"]
    # more: a prepayment, principal and interest lower from then on
    loan = rules.loan(rules.member())
    before = rules.get(f"/loans/{loan['id']}/schedule")["installments"]
    three = sum((D(i["total"]) for i in before[:3]), D("0.00"))
    after = pay(loan, three)
    assert D(after[-1]["interest"]) < D(before[-1]["interest"])
    # ... unless the member chooses to advance them
    loan = rules.loan(rules.member())
    before = rules.get(f"/loans/{loan['id']}/schedule")["installments"]
    after = pay(loan, three, excess_as="advance_installments")
    assert totals(after) == totals(before)
    assert [i["status"] for i in after[:4]] == ["paid", "paid", "paid", "pending"]
    rules.verified()


def test_the_credit_policy_is_the_cooperatives(rules: Walk) -> None:
    policy = rules.get("/credit-policy")
    assert policy["overdue_installment_after_days"] == 30
    assert policy["overdue_whole_after_days"]["mediana_empresa"] == 15
    assert policy["advance_max_installments"] == 2
    r = rules.c.put(
        rules.url("/credit-policy"),
        json={"overdue_installment_after_days": 30},
        headers=rules.coop.headers[Role.teller],
    )
    assert r.status_code == 403
    r = rules.c.put(
        rules.url("/credit-policy"),
        json={"mediana_empresa_bands": [30, 20, 120, 365]},
        headers=rules.coop.headers[Role.manager],
    )
    assert r.status_code == 422
    r = rules.c.put(
        rules.url("/credit-policy"),
        json={"overdue_whole_after_days": {"microempresa": 45}},
        headers=rules.coop.headers[Role.manager],
    )
    assert r.status_code == 200, r.text
    policy = rules.get("/credit-policy")
    assert policy["overdue_whole_after_days"]["microempresa"] == 45
    assert policy["overdue_whole_after_days"]["consumo"] == 90
    rules.c.put(rules.url("/credit-policy"), json={}, headers=rules.coop.headers[Role.manager])


def test_a_deposit_pledged_to_a_loan_names_it(rules: Walk) -> None:
    member = rules.member()
    loan = rules.loan(member)
    products = rules.get("/savings-products")["items"]
    if not products:
        rules.post(
            "/savings-products",
            Role.admin,
            {"code": "AHV", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.01"},
        )
        products = rules.get("/savings-products")["items"]
    account = rules.post(
        "/savings-accounts", Role.teller, {"member_id": member, "product_id": products[0]["id"]}
    )
    rules.post(
        f"/savings-accounts/{account['id']}/deposits",
        Role.teller,
        {"amount": "800.00", "branch_id": rules.coop.branches["PUNO"]},
        money=True,
    )
    hold = {"amount": "500.00", "reason": "Garantía del crédito", "loan_id": loan["id"]}
    placed = rules.post(f"/savings-accounts/{account['id']}/holds", Role.manager, hold)
    assert rules.last.status_code == 201, rules.last.text
    assert placed["loan_id"] == loan["id"]
    rules.post(
        f"/savings-accounts/{account['id']}/holds",
        Role.manager,
        {**hold, "loan_id": "00000000-0000-4000-8000-000000000000"},
    )
    assert (rules.last.status_code, rules.last.json()["code"]) == (422, "pledge_invalid")


def test_a_past_portfolio_is_what_was_true_then(rules: Walk) -> None:
    """portfolio?as_of= in the past read today's payment state: a loan paid up today moved
    out of its arrears category in last month's report."""
    loan = rules.loan(rules.member())
    rules.close_to(rules.business_date() + timedelta(days=45))
    then = rules.business_date() - timedelta(days=1)
    before = rules.get("/portfolio", Role.accountant, as_of=then.isoformat())
    view = rules.get(f"/loans/{loan['id']}")
    assert view["days_past_due"] > 8 and D(view["overdue_amount"]) > 0
    rules.post(
        f"/loans/{loan['id']}/repayments",
        Role.teller,
        {"amount": view["overdue_amount"], "branch_id": rules.coop.branches["PUNO"]},
        money=True,
    )
    assert rules.last.status_code == 201, rules.last.text
    assert rules.get(f"/loans/{loan['id']}")["days_past_due"] == 0
    assert rules.get("/portfolio", Role.accountant, as_of=then.isoformat()) == before
    cells = {c["category"]: c for c in before["by_category"]}
    assert cells["normal"]["loans"] + cells["cpp"]["loans"] + cells["deficiente"]["loans"] > 0
    r = rules.c.get(
        rules.url("/portfolio"),
        params={"as_of": (rules.business_date() + timedelta(days=1)).isoformat()},
        headers=rules.coop.headers[Role.accountant],
    )
    assert (r.status_code, r.json()["code"]) == (422, "as_of_in_future")
