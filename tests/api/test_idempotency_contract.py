"""The contract says where an Idempotency-Key is required, and the server does what it says:
optional on a creating POST (a member: 201 without one), required on a money POST (a
deposit: 400 idempotency_key_required without one)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.bank import Bank, new_dni

C = "/api/v1/cooperatives/{cooperative_id}"


def _key_required(document: dict[str, Any], path: str) -> bool:
    (param,) = [
        p for p in document["paths"][path]["post"]["parameters"] if p["name"] == "Idempotency-Key"
    ]
    return bool(param["required"])


def test_the_key_is_required_where_the_contract_says_and_only_there(
    client: TestClient, bank: Bank
) -> None:
    document = client.get("/openapi.json").json()
    assert not _key_required(document, f"{C}/members")
    assert _key_required(document, f"{C}/savings-accounts/{{account_id}}/deposits")

    member = {"document_type": "DNI", "document_number": new_dni(), "first_names": "Ana",
              "last_names": "Quispe"}  # fmt: skip
    r = client.post(bank.url("/members"), json=member, headers=bank.coop.headers[Role.teller])
    assert r.status_code == 201, r.text
    account = bank.account(client)
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "10.00", "branch_id": bank.coop.branches["PUNO"]},
        headers=bank.coop.headers[Role.teller],
    )
    assert (r.status_code, r.json()["code"]) == (400, "idempotency_key_required")
