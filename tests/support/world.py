"""A world of two cooperatives, A and B, each with two branches and one user per role."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role

PASSWORD = "clave-de-prueba-123"


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@dataclass
class Coop:
    id: str
    code: str
    branches: dict[str, str] = field(default_factory=dict)
    headers: dict[Role, dict[str, str]] = field(default_factory=dict)
    users: dict[Role, str] = field(default_factory=dict)


@dataclass
class World:
    fed_admin: dict[str, str]
    fed_analyst: dict[str, str]
    a: Coop
    b: Coop


def make_coop(client: TestClient, fed: dict[str, str], code: str, ruc: str) -> Coop:
    r = client.post(
        "/api/v1/cooperatives",
        json={"code": code, "name": f"Cooperativa {code}", "ruc": ruc, "sbs_level": "2A"},
        headers=fed,
    )
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
    for role in Role:
        if role in (Role.federation_admin, Role.federation_analyst):
            continue
        username = f"{code.lower()}.{role.value}"
        body = {
            "username": username,
            "password": PASSWORD,
            "full_name": f"Usuario {role.value}",
            "roles": [role.value],
            "branch_id": coop.branches["PUNO"] if role is Role.teller else None,
        }
        r = client.post(f"/api/v1/cooperatives/{coop.id}/users", json=body, headers=fed)
        assert r.status_code == 201, r.text
        coop.users[role] = r.json()["id"]
        coop.headers[role] = login(client, username)
    return coop


def add_user(client: TestClient, coop: Coop, username: str, roles: list[str]) -> str:
    """A user made by the cooperative's admin, with the test password; their id."""
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/users",
        json={"username": username, "password": PASSWORD, "full_name": username, "roles": roles},
        headers=coop.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])
