"""Imports: a cooperative's past loaded a file at a time, each all or nothing, its opening
balances against the migration suspense account, which nets to zero with the old trial
balance in."""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support.world import Coop, World, make_coop

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-samples"


@pytest.fixture(scope="module")
def coop(client: TestClient, world: World) -> Coop:
    body = "2090000031"
    c = make_coop(client, world.fed_admin, "COOPIMP", body + str(ruc_check_digit(body)))
    url = f"/api/v1/cooperatives/{c.id}"
    for product in (
        {"code": "AHV", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.0150"},
        {"code": "AHVUSD", "name": "Dólares", "kind": "sight", "currency": "USD", "tea": "0.005"},
    ):
        r = client.post(f"{url}/savings-products", json=product, headers=c.headers[Role.admin])
        assert r.status_code == 201, r.text
    r = client.post(
        f"{url}/loan-products",
        json={
            "code": "CONSUMO",
            "name": "Consumo",
            "credit_type": "consumo",
            "currency": "PEN",
            "tea_min": "0.10",
            "tea_max": "0.40",
            "amount_min": "100.00",
            "amount_max": "300000.00",
            "term_min": 1,
            "term_max": 36,
        },
        headers=c.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    return c


def _today(client: TestClient, coop: Coop) -> date:
    r = client.get(f"/api/v1/cooperatives/{coop.id}", headers=coop.headers[Role.admin])
    return date.fromisoformat(r.json()["business_date"])


def _run(client: TestClient, coop: Coop, files: dict[str, bytes]) -> dict[str, Any]:
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/imports",
        files={k: (f"{k}.csv", v, "text/csv") for k, v in files.items()},
        headers=coop.headers[Role.accountant],
    )
    assert r.status_code == 202, r.text
    location = r.headers["location"]
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = client.get(location, headers=coop.headers[Role.accountant]).json()
        if job["status"] != "running":
            return job
        assert time.monotonic() < deadline
        time.sleep(0.1)


def _loans_csv(today: date) -> bytes:
    late = today - timedelta(days=12)
    return (
        "loan_number,member_number,product_code,amount,disbursed_on,tea,outstanding_principal,"
        "remaining_installments,next_due_date,days_past_due,purpose\n"
        f"C-0010001,00010001,CONSUMO,3000.00,{today - timedelta(days=200)},0.3200,1850.00,7,"
        f"{today + timedelta(days=20)},0,livestock\n"
        f"C-0010002,00010002,CONSUMO,1000.00,{today - timedelta(days=100)},0.2800,700.00,4,"
        f"{late},12,agriculture\n"
    ).encode()


def test_a_bad_row_loads_nothing_of_its_file_and_is_named(
    client: TestClient, coop: Coop, world: World
) -> None:
    bad = (SAMPLES / "savings.csv").read_bytes().replace(b"830.00", b"83O.00")
    bad = bad.replace(b"A-0010004,00010004", b"A-0010004,99999999")
    job = _run(
        client,
        coop,
        {"members": (SAMPLES / "members.csv").read_bytes(), "savings": bad},
    )
    assert job["status"] == "failed"
    assert job["error"] is None, job["error"]
    files = {f["kind"]: f for f in job["files"]}
    assert files["members"]["status"] == "loaded" and files["members"]["loaded"] == 4
    assert files["savings"]["status"] == "refused" and files["savings"]["loaded"] == 0
    reasons = {(e["line"], e["reason"]) for e in job["errors"]}
    assert any(line == 4 and "balance" in reason for line, reason in reasons), reasons
    assert (5, "socio desconocido: 99999999") in reasons
    # nothing of the savings file is there
    url = f"/api/v1/cooperatives/{coop.id}"
    r = client.get(f"{url}/members", params={"q": "Mamani"}, headers=coop.headers[Role.teller])
    [juana] = [m for m in r.json()["items"] if m["member_number"] == "00010001"]
    r = client.get(
        f"{url}/members/{juana['id']}/savings-accounts", headers=coop.headers[Role.teller]
    )
    assert r.json()["items"] == []
    # the good file, sent again, loads; the rest follow and the suspense nets to zero
    today = _today(client, coop)
    job = _run(
        client,
        coop,
        {
            "savings": (SAMPLES / "savings.csv").read_bytes(),
            "shares": (SAMPLES / "shares.csv").read_bytes(),
            "loans": _loans_csv(today),
            "gl_balances": b"gl_code,currency,debit,credit\n1113,PEN,6795.50,\n"
            b"1113,PEN,700.00,\n1123,USD,830.00,\n",
        },
    )
    # the GL file repeats an account: refused, and the suspense stays open
    assert job["status"] == "failed"
    assert job["error"] is None, job["error"]
    assert {f["kind"]: f["status"] for f in job["files"]} == {
        "savings": "loaded",
        "shares": "loaded",
        "loans": "loaded",
        "gl_balances": "refused",
    }
    assert job["suspense"]["PEN"] != "0.00"
    # the old books' other side: banks, and the interest the late loan's installment had
    # earned (its receivable came with the loan, at the schedule's figure)
    r = client.get(f"{url}/loans", headers=coop.headers[Role.credit_officer])
    late = next(x for x in r.json()["items"] if x["number"] == "C-0010002")
    r = client.get(f"{url}/loans/{late['id']}/schedule", headers=coop.headers[Role.teller])
    earned = sum(
        (
            Decimal(i["interest"])
            for i in r.json()["installments"]
            if date.fromisoformat(i["due_date"]) < today
        ),
        Decimal(0),
    )
    assert earned > 0
    gl = f"gl_code,currency,debit,credit\n1113,PEN,6095.50,\n1123,USD,830.00,\n5114,PEN,,{earned}\n"
    job = _run(client, coop, {"gl_balances": gl.encode()})
    assert job["status"] == "succeeded", job
    assert job["suspense"] == {"PEN": "0.00", "USD": "0.00"}
    # balances as the old system had them, each proved by its postings
    r = client.get(
        f"{url}/members/{juana['id']}/savings-accounts", headers=coop.headers[Role.teller]
    )
    [account] = r.json()["items"]
    assert (account["number"], account["balance"]) == ("A-0010001", "1520.40")
    r = client.get(f"{url}/members/{juana['id']}/share-account", headers=coop.headers[Role.teller])
    assert r.json()["balance"] == "1200.00"
    r = client.get(f"{url}/loans", headers=coop.headers[Role.credit_officer])
    loans = {loan["number"]: loan for loan in r.json()["items"]}
    assert loans["C-0010001"]["balance"] == "1850.00"
    assert loans["C-0010002"]["status"] == "active"
    r = client.get(
        f"{url}/loans/{loans['C-0010002']['id']}/schedule", headers=coop.headers[Role.teller]
    )
    assert r.status_code == 200, r.text
    installments = r.json()["installments"]
    assert len(installments) == 4
    assert sum(Decimal(i["principal"]) for i in installments) == Decimal("700.00")
    r = client.get(f"{url}/ledger/verification", headers=coop.headers[Role.accountant])
    assert r.status_code == 200, r.text
    assert r.json()["ok"], r.json()


def test_a_malformed_file_and_header_are_refused_with_their_line(
    client: TestClient, coop: Coop
) -> None:
    job = _run(client, coop, {"members": b"member_number,document_type,surname\n1,DNI,x\n"})
    assert job["files"][0]["status"] == "refused"
    assert {e["line"] for e in job["errors"]} == {1}
    assert any("surname" in e["reason"] for e in job["errors"])
    job = _run(
        client,
        coop,
        {
            "shares": b'member_number,paid_in\n00010001,1.00\n"00010002,2.00\n',
        },
    )
    assert job["files"][0]["status"] == "refused"
    # a rate the account would round is refused, not rounded
    job = _run(
        client,
        coop,
        {
            "savings": b"account_number,member_number,product_code,balance,rate\n"
            b"A-9,00010001,AHV,1.00,0.1234567\n"
        },
    )
    assert (2, "rate con hasta 6 decimales: 0.1234567") in {
        (e["line"], e["reason"]) for e in job["errors"]
    }
    r = client.post(f"/api/v1/cooperatives/{coop.id}/imports", headers=coop.headers[Role.admin])
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/imports", headers=coop.headers[Role.accountant]
    )
    assert (r.status_code, r.json()["code"]) == (422, "import_empty")


def test_a_file_its_own_checks_refuse_is_rolled_back_even_if_it_loaded_meanwhile(
    client: TestClient, coop: Coop
) -> None:
    """A file's own checks (formats, real dates) run on a second connection while the
    first one loads it; a date that is not one (the 31st of November) reads as no date
    and would load, so the load must wait for them and roll back."""
    members = (SAMPLES / "members.csv").read_bytes().replace(b"0001000", b"0002000")
    members = members.replace(b"401234", b"402234").replace(b"20601234561", b"20601234562")
    members = members.replace(b"1965-11-30", b"1965-11-31")
    job = _run(client, coop, {"members": members})
    assert job["status"] == "failed"
    assert job["error"] is None, job["error"]
    assert [(f["status"], f["loaded"]) for f in job["files"]] == [("refused", 0)]
    assert [(e["line"], e["reason"]) for e in job["errors"]] == [
        (3, "birth_date no es una fecha: 1965-11-31")
    ]
    r = client.get(
        f"/api/v1/cooperatives/{coop.id}/members",
        params={"q": "Condori"},
        headers=coop.headers[Role.teller],
    )
    assert [m["member_number"] for m in r.json()["items"]] == ["00010002"]
    # corrected, it loads
    job = _run(client, coop, {"members": members.replace(b"1965-11-31", b"1965-11-30")})
    assert job["status"] == "succeeded", job
