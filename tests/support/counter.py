"""The counter from a test: a till with cash and an open session for whoever moves cash,
set up as a branch does it (cash from the bank into the vault, from the vault to the till,
received by the teller)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role

# What a test's till starts with: enough for any test's withdrawals and disbursements.
CASH = {"PEN": "900000.00", "USD": "90000.00"}
# Who moves cash in the tests' cooperatives; each gets a till of their own at PUNO.
CASH_ROLES = (Role.teller, Role.manager)


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _url(coop: Any, path: str) -> str:
    return f"/api/v1/cooperatives/{coop.id}{path}"


def _ok(r: Any, status: int = 201) -> Any:
    assert r.status_code == status, r.text
    return r.json()


def tills(client: TestClient, coop: Any, branch: str = "PUNO") -> list[dict[str, Any]]:
    r = client.get(
        _url(coop, f"/branches/{coop.branches[branch]}/tills?limit=500"),
        headers=coop.supervisor,
    )
    items: list[dict[str, Any]] = _ok(r, 200)["items"]
    return items


def vault(client: TestClient, coop: Any, branch: str = "PUNO") -> dict[str, Any]:
    return next(t for t in tills(client, coop, branch) if t["kind"] == "vault")


def till_for(client: TestClient, coop: Any, code: str, branch: str = "PUNO") -> dict[str, Any]:
    """The till ``code`` at ``branch``, made if it is not there yet."""
    for t in tills(client, coop, branch):
        if t["code"] == code:
            return t
    r = client.post(
        _url(coop, f"/branches/{coop.branches[branch]}/tills"),
        json={"code": code, "name": f"Caja {code}"},
        headers=coop.headers[Role.admin],
    )
    made: dict[str, Any] = _ok(r)
    return made


def fund_till(
    client: TestClient,
    coop: Any,
    till_id: str,
    receiver: dict[str, str],
    cash: dict[str, str],
    branch: str = "PUNO",
) -> None:
    """Cash from the bank into the vault, sent by the supervisor, received at the till."""
    safe = vault(client, coop, branch)["id"]
    for currency, amount in cash.items():
        body = {"currency": currency, "amount": amount}
        _ok(
            client.post(
                _url(coop, f"/tills/{safe}/bank-withdrawals"),
                json=body,
                headers={**coop.supervisor, **key()},
            )
        )
        sent = _ok(
            client.post(
                _url(coop, "/till-transfers"),
                json={**body, "from_till_id": safe, "to_till_id": till_id},
                headers={**coop.supervisor, **key()},
            )
        )
        _ok(
            client.post(
                _url(coop, f"/till-transfers/{sent['id']}/receive"),
                json={"amount": amount},
                headers={**receiver, **key()},
            ),
            200,
        )


def open_session(
    client: TestClient, coop: Any, till: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    """Open ``till`` for the caller, counting exactly what its books hold."""
    counted = [
        {"currency": c["currency"], "amount": c["balance"]}
        for c in till["cash"]
        if c["balance"] != "0.00"
    ]
    r = client.post(
        _url(coop, f"/tills/{till['id']}/sessions"),
        json={"counted": counted},
        headers={**headers, **key()},
    )
    opened: dict[str, Any] = _ok(r)
    return opened


def open_counter(
    client: TestClient,
    coop: Any,
    role: Role,
    headers: dict[str, str] | None = None,
    *,
    code: str | None = None,
    branch: str = "PUNO",
    cash: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A till of ``role``'s user (or of whoever ``headers`` are) open at ``branch``, holding
    ``cash`` more than it did (CASH on its first day)."""
    headers = headers or coop.headers[role]
    till = till_for(client, coop, code or role.value.upper()[:10], branch)
    first = all(c["balance"] == "0.00" for c in till["cash"])
    session = open_session(client, coop, till, headers)
    if cash is None:
        cash = CASH if first else {}
    if cash:
        fund_till(client, coop, till["id"], headers, cash, branch)
    return session


def close_all(client: TestClient, coop: Any) -> None:
    """The supervisor closes every open session, counting what the books expect."""
    r = client.get(_url(coop, "/till-sessions?status=open&limit=500"), headers=coop.supervisor)
    for s in _ok(r, 200)["items"]:
        _ok(
            client.post(
                _url(coop, f"/till-sessions/{s['id']}/close"),
                json={"counted": s["expected"]},
                headers={**coop.supervisor, **key()},
            ),
            200,
        )


def open_counters(client: TestClient, coop: Any) -> None:
    for role in CASH_ROLES:
        open_counter(client, coop, role)
