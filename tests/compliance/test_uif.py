"""The UIF's work over HTTP: a report of an unusual operation that only the compliance
officer can see, read and decide (every reading kept, and kept from the audit trail that
others read); screening lists that hold an admission and a cash deposit until the officer
decides, matching a document exactly and names whatever their accents and order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.counter import key
from tests.support.world import World, add_role_user

START = date(2025, 6, 20)
OTHERS = (Role.teller, Role.manager, Role.auditor, Role.admin, Role.accountant)


def _get(walk: Walk, path: str, headers: dict[str, str], **params: object) -> Any:
    return walk.c.get(walk.url(path), params=params, headers=headers)


def test_a_suspicious_operation_is_seen_by_the_compliance_officer_alone(
    client: TestClient, world: World
) -> None:
    walk = _cooperative(client, world, "COOPUIF", "2060000911", START, "consumo_no_revolvente")
    add_role_user(client, walk.coop, Role.compliance_officer)
    member = walk.member()
    filed = walk.post(
        "/suspicious-operations",
        Role.teller,
        {"member_id": member, "description": "Deposita cada día S/ 9,500 sin actividad que lo explique"},
    )  # fmt: skip
    assert walk.last.status_code == 201, walk.last.text
    assert set(filed) == {"id", "reported_at", "message"}
    report = filed["id"]
    walk.post("/suspicious-operations", Role.teller, {"description": "corto"})
    assert walk.last.status_code == 422

    # nobody else sees it, nor that it exists: the same refusal with or without a report
    for role in OTHERS:
        headers = walk.coop.headers[role]
        for path in (f"/suspicious-operations/{report}", "/suspicious-operations"):
            r = _get(walk, path, headers)
            assert (r.status_code, r.json()["code"]) == (403, "forbidden"), (role, path)
        r = _get(walk, f"/suspicious-operations/{report}x", headers)
        assert r.status_code in (403, 422)
    r = _get(walk, f"/suspicious-operations/{report}", world.fed_admin)
    assert r.status_code == 403
    trail = _get(walk, "/audit-events", walk.coop.headers[Role.admin], limit=200).json()
    assert not any("suspicious" in e["action"] for e in trail["items"])

    officer = walk.coop.headers[Role.compliance_officer]
    listed = _get(walk, "/suspicious-operations", officer, status="open").json()
    assert [r["id"] for r in listed["items"]] == [report]
    read = _get(walk, f"/suspicious-operations/{report}", officer).json()
    assert (read["status"], read["member_id"], read["reported_by"]) == (
        "open",
        member,
        "coopuif.teller",
    )
    assert [a["action"] for a in read["accesses"]] == [
        "suspicious_operation.file", "suspicious_operation.list", "suspicious_operation.read"
    ]  # fmt: skip
    done = walk.post(
        f"/suspicious-operations/{report}/submit",
        Role.compliance_officer,
        {"submitted_on": "2025-06-21", "uif_reference": "ROS-2025-000123"},
    )
    assert walk.last.status_code == 200, walk.last.text
    assert (done["status"], done["uif_reference"]) == ("submitted", "ROS-2025-000123")
    walk.post(
        f"/suspicious-operations/{report}/dismiss", Role.compliance_officer, {"reason": "x y z"}
    )
    assert (walk.last.status_code, walk.last.json()["code"]) == (409, "suspicious_report_decided")
    walk.post(f"/suspicious-operations/{report}/submit", Role.manager, {"submitted_on": "2025-06-21", "uif_reference": "R"})  # fmt: skip
    assert walk.last.status_code == 403


LISTS = (
    "numero_documento;nombres;lista;fecha\n"
    "40111222;Quispe Rojas, Alberto;PEP;2025-01-15\n"
    ";José Ñuñez Peña;OFAC;15/03/2024\n"
)


def _load(walk: Walk, body: str, role: Role = Role.compliance_officer) -> Any:
    return walk.c.post(
        walk.url("/screening-lists"),
        content=body.encode(),
        headers={**walk.coop.headers[role], "Content-Type": "text/csv"},
    )


def _balance(walk: Walk, account: str) -> D:
    return D(walk.get(f"/savings-accounts/{account}", Role.teller)["balance"])


def test_a_screening_hit_holds_an_admission_and_a_deposit(client: TestClient, world: World) -> None:
    walk = _cooperative(client, world, "COOPLISTA", "2060001011", START, "consumo_no_revolvente")
    add_role_user(client, walk.coop, Role.compliance_officer)
    assert _load(walk, LISTS, Role.teller).status_code == 403
    r = _load(walk, "documento,nombres\n1,Ana\n")
    assert (r.status_code, r.json()["code"]) == (422, "screening_list_invalid")
    r = _load(walk, LISTS)
    assert r.status_code == 201, r.text
    assert {(x["list_name"], x["entries"]) for x in r.json()["lists"]} == {("PEP", 1), ("OFAC", 1)}

    # on a list by document: registered as an applicant, their admission waits
    body = {"document_type": "DNI", "document_number": "40111222", "first_names": "Alberto",
            "last_names": "Quispe Rojas"}  # fmt: skip
    held = walk.post("/members", Role.teller, body)
    assert walk.last.status_code == 202, walk.last.text
    assert (held["operation"], held["status"]) == ("admission", "pending_approval")
    assert held["hits"][0]["matched_on"] == "document"
    pep = held["member_id"]
    assert walk.get(f"/members/{pep}", Role.teller)["status"] == "applicant"
    r = _get(walk, f"/members/{pep}/share-account", walk.coop.headers[Role.teller])
    assert r.status_code == 404
    walk.post(f"/screening-holds/{held['id']}/approve", Role.teller, money=True)
    assert walk.last.status_code == 403
    approved = walk.post(
        f"/screening-holds/{held['id']}/approve", Role.compliance_officer, {"note": "PEP identificado"},
        money=True,
    )  # fmt: skip
    assert walk.last.status_code == 200, walk.last.text
    assert approved["status"] == "approved"
    assert walk.get(f"/members/{pep}", Role.teller)["status"] == "active"
    assert (
        _get(walk, f"/members/{pep}/share-account", walk.coop.headers[Role.teller]).status_code
        == 200
    )

    # on a list by names, whatever their accents and order: refused, nothing admitted
    body = {"document_type": "DNI", "document_number": "41999888", "first_names": "JOSE",
            "last_names": "nunez pena"}  # fmt: skip
    held = walk.post("/members", Role.teller, body)
    assert walk.last.status_code == 202, walk.last.text
    assert held["hits"][0] == {"list_name": "OFAC", "names": "José Ñuñez Peña",
                               "document_number": None, "matched_on": "names"}  # fmt: skip
    walk.post(f"/screening-holds/{held['id']}/reject", Role.compliance_officer, {"note": "Homónimo no descartado"})  # fmt: skip
    assert walk.last.status_code == 200 and walk.last.json()["status"] == "rejected"
    assert walk.get(f"/members/{held['member_id']}", Role.teller)["status"] == "applicant"

    # a cash deposit of the PEP from the threshold (USD 1,000) waits; a small one does not
    product = walk.post(
        "/savings-products",
        Role.admin,
        {"code": "AHORRO", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.00"},
    )
    account = walk.post("/savings-accounts", Role.teller, {"member_id": pep, "product_id": product["id"]})["id"]  # fmt: skip
    branch = walk.coop.branches["PUNO"]
    walk.post(f"/savings-accounts/{account}/deposits", Role.teller, {"amount": "100.00", "branch_id": branch}, money=True)  # fmt: skip
    assert walk.last.status_code == 201, walk.last.text
    held = walk.post(
        f"/savings-accounts/{account}/deposits",
        Role.teller,
        {"amount": "5000.00", "branch_id": branch},
        money=True,
    )
    assert walk.last.status_code == 202, walk.last.text
    assert (held["operation"], held["amount"], held["currency"]) == ("deposit", "5000.00", "PEN")
    assert _balance(walk, account) == D("100.00")
    mine = walk.get(f"/screening-holds/{held['id']}", Role.teller)
    assert mine["status"] == "pending_approval"
    queue = walk.get("/screening-holds", Role.compliance_officer)["items"]
    assert [h["id"] for h in queue] == [held["id"]]
    lists = walk.get("/screening-lists", Role.compliance_officer, limit=1)
    assert [x["list_name"] for x in lists["items"]] == ["OFAC"] and lists["next_cursor"]
    r = walk.c.post(
        walk.url(f"/screening-holds/{held['id']}/approve"),
        headers={**walk.coop.headers[Role.compliance_officer], **key()},
    )
    assert r.status_code == 200, r.text
    assert r.json()["result"]["status"] == 201
    assert r.json()["result"]["body"]["amount"] == "5000.00"
    assert _balance(walk, account) == D("5100.00")
    walk.post(f"/screening-holds/{held['id']}/approve", Role.compliance_officer, money=True)
    assert (walk.last.status_code, walk.last.json()["code"]) == (409, "screening_hold_decided")

    # a withdrawal of it waits too; refused, nothing leaves the account
    held = walk.post(
        f"/savings-accounts/{account}/withdrawals",
        Role.teller,
        {"amount": "4000.00", "branch_id": branch},
        money=True,
    )
    assert walk.last.status_code == 202 and held["operation"] == "withdrawal", walk.last.text
    walk.post(f"/screening-holds/{held['id']}/reject", Role.compliance_officer, {"note": "No"})
    assert walk.last.json()["status"] == "rejected"
    assert _balance(walk, account) == D("5100.00")
    walk.verified()
