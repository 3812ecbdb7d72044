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
from httpx import Response
from sqlalchemy import Engine, text

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support.bank import key
from tests.support.world import Coop, World, add_user, login, make_coop

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-samples"


@pytest.fixture(scope="module")
def coop(client: TestClient, world: World) -> Coop:
    body = "2090000031"
    c = make_coop(client, world.fed_admin, "COOPIMP", body + str(ruc_check_digit(body)))
    url = f"/api/v1/cooperatives/{c.id}"
    # it serves clients who are not members too (the samples have one)
    r = client.patch(url, json={"operates_with_non_members": True}, headers=world.fed_admin)
    assert r.status_code == 200, r.text
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


def _prepare(
    client: TestClient, coop: Coop, files: dict[str, bytes], role: Role = Role.accountant
) -> dict[str, Any]:
    """One person gives the files; the job, once its check is done."""
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/imports",
        files={k: (f"{k}.csv", v, "text/csv") for k, v in files.items()},
        headers=coop.headers[role],
    )
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "checking"
    return _wait(client, coop, r.headers["location"])


def _wait(client: TestClient, coop: Coop, location: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = client.get(location, headers=coop.headers[Role.accountant]).json()
        if job["status"] != "checking":
            return job
        assert time.monotonic() < deadline
        time.sleep(0.1)


def _decide(
    client: TestClient,
    coop: Coop,
    job: dict[str, Any],
    verb: str = "approve",
    headers: dict[str, str] | None = None,
) -> Response:
    r: Response = client.post(
        f"/api/v1/cooperatives/{coop.id}/imports/{job['id']}/{verb}",
        json={"note": "Cuadrado con el balance del sistema anterior"},
        headers=headers or coop.headers[Role.manager],
    )
    return r


def _run(client: TestClient, coop: Coop, files: dict[str, bytes]) -> dict[str, Any]:
    """Prepared by the accountant and, once checked, approved by the manager."""
    job = _prepare(client, coop, files)
    if job["status"] != "awaiting_approval":
        return job
    r = _decide(client, coop, job)
    assert r.status_code == 200, r.text
    approved: dict[str, Any] = r.json()
    return approved


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


def test_a_bad_row_loads_nothing_of_the_job_and_is_named(
    client: TestClient, coop: Coop, world: World
) -> None:
    bad = (SAMPLES / "savings.csv").read_bytes().replace(b"830.00", b"83O.00")
    bad = bad.replace(b"A-0010004,00010004", b"A-0010004,99999999")
    members = (SAMPLES / "members.csv").read_bytes()
    job = _run(client, coop, {"members": members, "savings": bad})
    assert (job["status"], job["error"], job["approval"]) == ("failed", None, None)
    files = {f["kind"]: f for f in job["files"]}
    assert files["members"]["status"] == "checked" and files["members"]["loaded"] == 4
    assert files["savings"]["status"] == "refused" and files["savings"]["loaded"] == 0
    reasons = {(e["line"], e["reason"]) for e in job["errors"]}
    assert any(line == 4 and "balance" in reason for line, reason in reasons), reasons
    assert (5, "socio desconocido: 99999999") in reasons
    # nothing of the job is there, not even the members, whose file was good
    url = f"/api/v1/cooperatives/{coop.id}"
    r = client.get(f"{url}/members", params={"q": "Mamani"}, headers=coop.headers[Role.teller])
    assert r.json()["items"] == []
    # the members alone move no money: checked, approved by another person, loaded
    job = _run(client, coop, {"members": members})
    assert job["status"] == "succeeded", job
    assert job["approval"]["status"] == "approved"
    assert job["approval"]["requested_by"] == "coopimp.accountant"
    assert job["approval"]["decided_by"] == "coopimp.manager"
    r = client.get(f"{url}/members", params={"q": "Mamani"}, headers=coop.headers[Role.teller])
    [juana] = [m for m in r.json()["items"] if m["member_number"] == "00010001"]
    # the money without the old system's trial balance: the suspense would not net to zero
    today = _today(client, coop)
    money = {
        "savings": (SAMPLES / "savings.csv").read_bytes(),
        "shares": (SAMPLES / "shares.csv").read_bytes(),
        "loans": _loans_csv(today),
    }
    job = _prepare(client, coop, money)
    assert (job["status"], job["error_code"], job["approval"]) == (
        "failed",
        "import_unbalanced",
        None,
    )
    assert {f["status"] for f in job["files"]} == {"checked"}
    suspense = Decimal(job["suspense"]["PEN"])
    assert suspense != 0 and job["suspense"]["USD"] == "830.00"
    r = _decide(client, coop, job)
    assert (r.status_code, r.json()["code"]) == (422, "import_unbalanced")
    assert r.json()["suspense"] == job["suspense"]
    # with a GL file that repeats an account: refused, named, nothing loaded
    repeated = b"gl_code,currency,debit,credit\n1113,PEN,6795.50,\n1113,PEN,700.00,\n"
    job = _prepare(client, coop, {**money, "gl_balances": repeated + b"1123,USD,830.00,\n"})
    assert job["status"] == "failed"
    assert {f["kind"]: f["status"] for f in job["files"]} == {
        "savings": "checked",
        "shares": "checked",
        "loans": "checked",
        "gl_balances": "refused",
    }
    r = client.get(
        f"{url}/members/{juana['id']}/savings-accounts", headers=coop.headers[Role.teller]
    )
    assert r.json()["items"] == []
    # the old books' other side: banks, and the interest the late loan's installment had
    # earned (its receivable comes with the loan): what nets the suspense to zero
    earned = Decimal("6095.50") - suspense
    gl = f"gl_code,currency,debit,credit\n1113,PEN,6095.50,\n1123,USD,830.00,\n5114,PEN,,{earned}\n"
    job = _prepare(client, coop, {**money, "gl_balances": gl.encode()})
    assert job["status"] == "awaiting_approval", job
    assert job["suspense"] == {"PEN": "0.00", "USD": "0.00"}
    assert job["approval"]["status"] == "pending"
    # the person who prepared it does not approve it
    r = _decide(client, coop, job, headers=coop.headers[Role.accountant])
    assert (r.status_code, r.json()["code"]) == (403, "approver_is_requester")
    r = _decide(client, coop, job)
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "succeeded", job
    assert job["suspense"] == {"PEN": "0.00", "USD": "0.00"}
    assert {f["status"] for f in job["files"]} == {"loaded"}
    r = _decide(client, coop, job)
    assert (r.status_code, r.json()["code"]) == (409, "import_not_awaiting_approval")
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
    # what nets the suspense is what the late installment had earned, by its schedule
    assert earned == sum(
        (Decimal(i["interest"]) for i in installments if date.fromisoformat(i["due_date"]) < today),
        Decimal(0),
    )
    assert earned > 0
    r = client.get(f"{url}/ledger/verification", headers=coop.headers[Role.accountant])
    assert r.status_code == 200, r.text
    assert r.json()["ok"], r.json()
    # an opening balance is not reversed: the suspense would not net
    r = client.get(
        f"{url}/journal-entries",
        params={"kind": "opening_balance"},
        headers=coop.headers[Role.accountant],
    )
    entry = r.json()["items"][0]
    r = client.post(
        f"{url}/journal-entries/{entry['id']}/reversal",
        json={"description": "Se cargó dos veces"},
        headers={**coop.headers[Role.accountant], **key()},
    )
    assert (r.status_code, r.json()["code"]) == (409, "reversal_not_supported"), r.text


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
    # the same file with semicolons or tabs: read the same, to the same line's refusal
    for sep in (b";", b"\t"):
        savings = (
            b"account_number,member_number,product_code,balance,rate\n"
            b"A-9,00010001,AHV,1.00,0.1234567\n"
        ).replace(b",", sep)
        job = _run(client, coop, {"savings": savings})
        assert {(e["line"], e["reason"]) for e in job["errors"]} >= {
            (2, "rate con hasta 6 decimales: 0.1234567")
        }, job["errors"]
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
    members = members.replace(b"401234", b"402234").replace(b"20601234565", b"20601234573")
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


def test_one_person_creates_no_money_with_an_import(
    client: TestClient, world: World, owner_engine: Engine
) -> None:
    """The attack: an accountant of a cooperative already operating imports a savings
    account (or a bank balance) with no counterpart, and approves it alone."""
    body = "2090000032"
    c = make_coop(client, world.fed_admin, "COOPIMQ", body + str(ruc_check_digit(body)))
    url = f"/api/v1/cooperatives/{c.id}"
    r = client.post(
        f"{url}/savings-products",
        json={"code": "AHV", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.01"},
        headers=c.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    # a cooperative of members only takes no client who is not one (Ley 30822)
    members = (SAMPLES / "members.csv").read_bytes()
    job = _run(client, c, {"members": members})
    assert job["status"] == "failed"
    assert [(e["line"], e["reason"]) for e in job["errors"]] == [
        (5, "member_required: la cooperativa opera solo con sus socios: 00010004 no es socio")
    ]
    members = members.replace(b",false\n", b",true\n")
    assert _run(client, c, {"members": members})["status"] == "succeeded"
    one = b"account_number,member_number,product_code,balance\nIMP-0001,00010004,AHV,15000.00\n"
    made = client.post(
        f"{url}/api-keys",
        json={"name": "migracion", "roles": ["accountant"], "scopes": ["imports"]},
        headers=c.headers[Role.accountant],
    )
    assert made.status_code == 201, made.text
    by_key = {"X-API-Key": made.json()["key"]}
    for files, headers, pen in (
        ({"savings": one}, c.headers[Role.accountant], "15000.00"),
        ({"savings": one}, by_key, "15000.00"),
        (
            {"gl_balances": b"gl_code,currency,debit,credit\n1113,PEN,50000.00,\n"},
            c.headers[Role.accountant],
            "-50000.00",
        ),
    ):
        r = client.post(
            f"{url}/imports",
            files={k: (f"{k}.csv", v, "text/csv") for k, v in files.items()},
            headers=headers,
        )
        assert r.status_code == 202, r.text
        job = _wait(client, c, r.headers["location"])
        assert (job["status"], job["error_code"], job["suspense"]["PEN"]) == (
            "failed",
            "import_unbalanced",
            pen,
        ), job
        r = _decide(client, c, job)
        assert (r.status_code, r.json()["code"]) == (422, "import_unbalanced")
    # balanced, it still needs the manager: the cooperative already operates
    balanced = {
        "savings": one,
        "gl_balances": b"gl_code,currency,debit,credit\n1113,PEN,15000.00,\n",
    }
    job = _prepare(client, c, balanced)
    assert job["status"] == "awaiting_approval", job
    add_user(client, c, "coopimq.contador2", ["accountant"])
    r = _decide(client, c, job, headers=login(client, "coopimq.contador2"))
    assert (r.status_code, r.json()["code"]) == (403, "import_needs_manager")
    r = _decide(client, c, job, headers={"X-API-Key": made.json()["key"]})
    assert r.status_code == 403, r.text
    r = client.get(f"{url}/members", params={"q": "Huanca"}, headers=c.headers[Role.teller])
    [rosa] = r.json()["items"]
    accounts = f"{url}/members/{rosa['id']}/savings-accounts"
    assert client.get(accounts, headers=c.headers[Role.teller]).json()["items"] == []
    r = _decide(client, c, job)
    assert (r.status_code, r.json()["status"]) == (200, "succeeded"), r.text
    r = client.get(accounts, headers=c.headers[Role.teller])
    assert [(a["number"], a["balance"]) for a in r.json()["items"]] == [("IMP-0001", "15000.00")]
    r = client.get(f"{url}/ledger/verification", headers=c.headers[Role.accountant])
    assert r.json()["ok"], r.json()
    # the suspense moved outside an import: verify-ledger says so
    with owner_engine.begin() as conn:
        conn.execute(text("SELECT set_config('coopac.tenant', :c, true)"), {"c": c.id})
        gl: dict[str, Any] = dict(
            conn.execute(
                text(
                    "SELECT code, id FROM gl_account WHERE cooperative_id = :c AND code IN "
                    "('1918', '1113')"
                ),
                {"c": c.id},
            ).all()
        )
        entry = conn.execute(
            text(
                "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, value_date, "
                "actor_name) SELECT :c, gen_random_uuid(), 'manual', business_date, "
                "business_date, 'test' FROM cooperative WHERE id = :c RETURNING id"
            ),
            {"c": c.id},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
                "business_date, value_date) SELECT :c, :e, g, 'PEN', a, business_date, "
                "business_date FROM cooperative, (VALUES (CAST(:s AS uuid), 100.00), "
                "(CAST(:b AS uuid), -100.00)) v(g, a) WHERE id = :c"
            ),
            {"c": c.id, "e": entry, "s": gl["1918"], "b": gl["1113"]},
        )
    r = client.get(f"{url}/ledger/verification", headers=c.headers[Role.accountant])
    assert not r.json()["ok"]
    assert any("migration suspense (19x8) PEN: 100.00" in p for p in r.json()["problems"]), r.json()
