"""A world of two cooperatives, A and B, each with two branches and one user per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support import counter

PASSWORD = "clave-de-prueba-123"


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    assert not r.json()["password_change_required"], username
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def activate(client: httpx.Client, made: dict[str, Any]) -> dict[str, str]:
    """The user an answer of POST .../users made chooses PASSWORD with their activation
    code; the headers of their session."""
    r = client.post(
        "/api/v1/auth/activate",
        json={
            "username": made["username"],
            "activation_code": made["activation_code"],
            "new_password": PASSWORD,
        },
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def decide(
    client: httpx.Client, coop_id: str, made: dict[str, Any], by: dict[str, str]
) -> dict[str, Any]:
    """``by`` approves the roles the new user's maker asked for (if any); the user."""
    if made.get("access_request") is None:
        return made
    r = client.post(
        f"/api/v1/cooperatives/{coop_id}/user-access-requests/"
        f"{made['access_request']['id']}/approve",
        json={},
        headers=by,
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


@dataclass
class Coop:
    id: str
    code: str
    branches: dict[str, str] = field(default_factory=dict)
    headers: dict[Role, dict[str, str]] = field(default_factory=dict)
    users: dict[Role, str] = field(default_factory=dict)
    # a second manager, who holds the vault: cash into a manager's own till needs another
    # person to send it
    supervisor: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    fed_admin: dict[str, str]
    fed_analyst: dict[str, str]
    a: Coop
    b: Coop


def make_coop(
    client: TestClient,
    fed: dict[str, str],
    code: str,
    ruc: str,
    business_date: date | None = None,
) -> Coop:
    """A cooperative with two branches and one user per role. ``business_date``: where its
    books start (a past date leaves room to close days up to today)."""
    new: dict[str, str] = {
        "code": code,
        "name": f"Cooperativa {code}",
        "ruc": ruc,
        "sbs_level": "2A",
    }
    if business_date is not None:
        new["business_date"] = business_date.isoformat()
    r = client.post("/api/v1/cooperatives", json=new, headers=fed)
    assert r.status_code == 201, r.text
    coop = Coop(id=r.json()["id"], code=code)
    for bcode, ubigeo in (("PUNO", "210101"), ("JULIACA", "211101")):
        r = client.post(
            f"/api/v1/cooperatives/{coop.id}/branches",
            json={"code": bcode, "name": f"Agencia {bcode}", "ubigeo": ubigeo},
            headers=fed,
        )
        assert r.status_code == 201, r.text
        coop.branches[bcode] = r.json()["id"]
    # the federation makes the first admin only; the cooperative's admin makes the rest.
    # Roles that move or approve money wait for a second person: the manager's, while the
    # cooperative has no one else, the federation's; the rest, the manager's.
    # the compliance officer only where a test asks for one (add_role_user): a user more in
    # every cooperative of the run costs the suite seconds
    roles = sorted(
        set(Role)
        - {Role.federation_admin, Role.federation_analyst, Role.admin, Role.compliance_officer}
    )
    roles.remove(Role.manager)
    for role in (Role.admin, Role.manager, *roles):
        maker = fed if role is Role.admin else coop.headers[Role.admin]
        r = client.post(
            f"/api/v1/cooperatives/{coop.id}/users",
            json={
                "username": f"{code.lower()}.{role.value}",
                "full_name": f"Usuario {role.value}",
                "roles": [role.value],
                "branch_id": coop.branches["PUNO"] if role is Role.teller else None,
            },
            headers=maker,
        )
        assert r.status_code == 201, r.text
        decider = fed if role is Role.manager else coop.headers.get(Role.manager, {})
        decide(client, coop.id, r.json(), decider)
        coop.users[role] = r.json()["id"]
        coop.headers[role] = activate(client, r.json())
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/users",
        json={
            "username": f"{code.lower()}.supervisor",
            "full_name": "Jefe de operaciones",
            "roles": [Role.manager.value],
        },
        headers=coop.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    decide(client, coop.id, r.json(), coop.headers[Role.manager])
    coop.supervisor = activate(client, r.json())
    # whoever moves cash works at an open till, as at a branch
    counter.open_counters(client, coop)
    return coop


def add_role_user(client: TestClient, coop: Coop, role: Role) -> None:
    """A user of ``role`` as make_coop makes one: by the admin, approved by the manager."""
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/users",
        json={
            "username": f"{coop.code.lower()}.{role.value}",
            "full_name": f"Usuario {role.value}",
            "roles": [role.value],
        },
        headers=coop.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    decide(client, coop.id, r.json(), coop.headers[Role.manager])
    coop.users[role] = r.json()["id"]
    coop.headers[role] = activate(client, r.json())


def add_user(
    client: TestClient, coop: Coop, username: str, roles: list[str], branch: str | None = None
) -> str:
    """A user made by the cooperative's admin, their roles approved by its manager, who has
    chosen the test password; their id. ``branch``: the code of their branch (a teller's),
    e.g. JULIACA."""
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/users",
        json={
            "username": username,
            "full_name": username,
            "roles": roles,
            "branch_id": coop.branches[branch] if branch else None,
        },
        headers=coop.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    decide(client, coop.id, r.json(), coop.headers[Role.manager])
    activate(client, r.json())
    return str(r.json()["id"])
