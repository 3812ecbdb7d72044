"""A world of two cooperatives, A and B, each with two branches and one user per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support import counter

PASSWORD = "clave-de-prueba-123"
# What an administrator gives a new user: good only for choosing their own (PASSWORD).
FIRST_PASSWORD = "clave-inicial-456"


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    assert not r.json()["password_change_required"], username
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def first_login(client: TestClient, username: str) -> dict[str, str]:
    """A user an administrator created logs in with FIRST_PASSWORD and chooses PASSWORD;
    the headers of the session that goes on."""
    r = client.post("/api/v1/auth/token", data={"username": username, "password": FIRST_PASSWORD})
    assert r.status_code == 200, r.text
    assert r.json()["password_change_required"], r.text
    r = client.post(
        "/api/v1/auth/password",
        json={"current_password": FIRST_PASSWORD, "new_password": PASSWORD},
        headers={"Authorization": f"Bearer {r.json()['access_token']}"},
    )
    assert r.status_code == 200, r.text
    assert not r.json()["password_change_required"]
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


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
    # the federation makes the first admin only; the cooperative's admin makes the rest
    roles = sorted(set(Role) - {Role.federation_admin, Role.federation_analyst, Role.admin})
    for role in (Role.admin, *roles):
        username = f"{code.lower()}.{role.value}"
        body = {
            "username": username,
            "password": FIRST_PASSWORD,
            "full_name": f"Usuario {role.value}",
            "roles": [role.value],
            "branch_id": coop.branches["PUNO"] if role is Role.teller else None,
        }
        maker = fed if role is Role.admin else coop.headers[Role.admin]
        r = client.post(f"/api/v1/cooperatives/{coop.id}/users", json=body, headers=maker)
        assert r.status_code == 201, r.text
        coop.users[role] = r.json()["id"]
        coop.headers[role] = first_login(client, username)
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/users",
        json={
            "username": f"{code.lower()}.supervisor",
            "password": FIRST_PASSWORD,
            "full_name": "Jefe de operaciones",
            "roles": [Role.manager.value],
        },
        headers=coop.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    coop.supervisor = first_login(client, f"{code.lower()}.supervisor")
    # whoever moves cash works at an open till, as at a branch
    counter.open_counters(client, coop)
    return coop


def add_user(
    client: TestClient, coop: Coop, username: str, roles: list[str], branch: str | None = None
) -> str:
    """A user made by the cooperative's admin who has chosen the test password; their id.
    ``branch``: the code of their branch (a teller's), e.g. JULIACA."""
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/users",
        json={
            "username": username,
            "password": FIRST_PASSWORD,
            "full_name": username,
            "roles": roles,
            "branch_id": coop.branches[branch] if branch else None,
        },
        headers=coop.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    first_login(client, username)
    return str(r.json()["id"])
