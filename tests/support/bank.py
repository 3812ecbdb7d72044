"""Savings products in cooperative A, and the money helpers of the tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.world import Coop

_dni_counter = iter(range(10_000_000, 99_999_999))


def new_dni() -> str:
    return f"{next(_dni_counter) + uuid.uuid4().int % 1000 * 10000:08d}"[-8:]


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


@dataclass
class Bank:
    coop: Coop
    sight_pen: str
    sight_usd: str
    term_pen: str
    min_balance_pen: str

    @property
    def teller(self) -> dict[str, str]:
        return self.coop.headers[Role.teller]

    @property
    def admin(self) -> dict[str, str]:
        return self.coop.headers[Role.admin]

    @property
    def puno(self) -> str:
        return self.coop.branches["PUNO"]

    def url(self, path: str) -> str:
        return f"/api/v1/cooperatives/{self.coop.id}{path}"

    def member(self, client: TestClient, **extra: object) -> dict[str, object]:
        body: dict[str, object] = {
            "document_type": "DNI",
            "document_number": new_dni(),
            "first_names": "Juana",
            "last_names": "Mamani Quispe",
            **extra,
        }
        r = client.post(self.url("/members"), json=body, headers=self.teller)
        assert r.status_code == 201, r.text
        member: dict[str, object] = r.json()
        return member

    def account(
        self, client: TestClient, product: str | None = None, member_id: object = None
    ) -> dict[str, object]:
        if member_id is None:
            member_id = self.member(client)["id"]
        r = client.post(
            self.url("/savings-accounts"),
            json={"member_id": member_id, "product_id": product or self.sight_pen},
            headers=self.teller,
        )
        assert r.status_code == 201, r.text
        account: dict[str, object] = r.json()
        return account

    def deposit(self, client: TestClient, account_id: object, amount: str) -> dict[str, object]:
        r = client.post(
            self.url(f"/savings-accounts/{account_id}/deposits"),
            json={"amount": amount, "branch_id": self.puno},
            headers={**self.teller, **key()},
        )
        assert r.status_code == 201, r.text
        body: dict[str, object] = r.json()
        return body

    def record_status(self, client: TestClient, member_id: object, status: str) -> None:
        """A withdrawal or a death, recorded as the manager does: with its document."""
        r = client.patch(
            self.url(f"/members/{member_id}"),
            json={"status": status, "document_reference": f"Documento {status} 001"},
            headers=self.coop.headers[Role.manager],
        )
        assert r.status_code == 200, r.text

    def balance(self, client: TestClient, account_id: object) -> str:
        r = client.get(self.url(f"/savings-accounts/{account_id}"), headers=self.teller)
        assert r.status_code == 200, r.text
        return str(r.json()["balance"])


def make_bank(client: TestClient, coop: Coop) -> Bank:
    admin = coop.headers[Role.admin]
    url = f"/api/v1/cooperatives/{coop.id}/savings-products"
    ids = {}
    for body in (
        {
            "code": "AHV",
            "name": "Ahorro a la vista",
            "kind": "sight",
            "currency": "PEN",
            "tea": "0.0150",
        },
        {
            "code": "AHVUSD",
            "name": "Ahorro dólares",
            "kind": "sight",
            "currency": "USD",
            "tea": "0.0050",
        },
        {
            "code": "PF180",
            "name": "Plazo fijo 180",
            "kind": "term",
            "currency": "PEN",
            "tea": "0.0600",
            "term_days": 180,
        },
        {
            "code": "AHMIN",
            "name": "Ahorro con mínimo",
            "kind": "sight",
            "currency": "PEN",
            "tea": "0.0100",
            "min_balance": "20.00",
        },
    ):
        r = client.post(url, json=body, headers=admin)
        assert r.status_code == 201, r.text
        ids[body["code"]] = r.json()["id"]
    return Bank(coop, ids["AHV"], ids["AHVUSD"], ids["PF180"], ids["AHMIN"])
