"""Each role allowed and refused, endpoint by endpoint (403 with a problem+json code)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support.world import World, add_user, decide, login

ALL = set(Role)
R = Role


def _headers(world: World, role: Role) -> dict[str, str]:
    if role is R.federation_admin:
        return world.fed_admin
    if role is R.federation_analyst:
        return world.fed_analyst
    return world.a.headers[role]


def _code() -> str:
    return uuid.uuid4().hex[:8].upper()


Call = Callable[[TestClient, World, dict[str, str]], Response]
CASES: list[tuple[str, Call, set[Role], int]] = [
    (
        "read cooperative",
        lambda c, w, h: c.get(f"/api/v1/cooperatives/{w.a.id}", headers=h),
        ALL,
        200,
    ),
    (
        "update cooperative",
        lambda c, w, h: c.patch(
            f"/api/v1/cooperatives/{w.a.id}", json={"name": "Cooperativa A"}, headers=h
        ),
        {R.admin, R.federation_admin},
        200,
    ),
    (
        "create cooperative",
        lambda c, w, h: c.post(
            "/api/v1/cooperatives",
            json={"code": _code(), "name": "Nueva", "ruc": _valid_ruc(), "sbs_level": "1"},
            headers=h,
        ),
        {R.federation_admin},
        201,
    ),
    (
        "create branch",
        lambda c, w, h: c.post(
            f"/api/v1/cooperatives/{w.a.id}/branches",
            json={"code": _code(), "name": "Agencia", "ubigeo": "080101"},
            headers=h,
        ),
        {R.admin, R.federation_admin},
        201,
    ),
    (
        "list branches",
        lambda c, w, h: c.get(f"/api/v1/cooperatives/{w.a.id}/branches", headers=h),
        ALL,
        200,
    ),
    (
        "list users",
        lambda c, w, h: c.get(f"/api/v1/cooperatives/{w.a.id}/users", headers=h),
        {R.admin, R.manager, R.auditor, R.federation_admin},
        200,
    ),
    (
        "create user",
        lambda c, w, h: c.post(
            f"/api/v1/cooperatives/{w.a.id}/users",
            json={
                "username": f"u{_code().lower()}",
                "full_name": "Nuevo",
                "roles": ["accountant"],
            },
            headers=h,
        ),
        # the federation makes a cooperative's first admin only (it has one)
        {R.admin},
        201,
    ),
    (
        "list api keys",
        lambda c, w, h: c.get(f"/api/v1/cooperatives/{w.a.id}/api-keys", headers=h),
        {R.admin, R.federation_admin},
        200,
    ),
    (
        "read audit trail",
        lambda c, w, h: c.get(f"/api/v1/cooperatives/{w.a.id}/audit-events", headers=h),
        {R.admin, R.auditor, R.federation_admin},
        200,
    ),
    (
        "create federation user",
        lambda c, w, h: c.post(
            "/api/v1/federation/users",
            json={
                "username": f"fed{_code().lower()}",
                "full_name": "Analista",
                "roles": ["federation_analyst"],
            },
            headers=h,
        ),
        {R.federation_admin},
        201,
    ),
]

# refusals with a code of their own
REFUSALS = {("create user", R.federation_admin): "federation_first_admin_only"}

_ruc_counter = iter(range(1, 10**6))


def _valid_ruc() -> str:
    body = f"20{next(_ruc_counter) + 50000000:08d}"
    return body + str(ruc_check_digit(body))


@pytest.mark.parametrize(("name", "call", "allowed", "ok"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_matrix(
    client: TestClient, world: World, role: Role, name: str, call: Call, allowed: set[Role], ok: int
) -> None:
    r = call(client, world, _headers(world, role))
    if role in allowed:
        assert r.status_code == ok, (name, role, r.text)
    else:
        assert r.status_code == 403, (name, role, r.text)
        body: dict[str, Any] = r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
        assert body["code"] == REFUSALS.get((name, role), "forbidden")


def test_teller_must_have_a_branch(client: TestClient, world: World) -> None:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/users",
        json={
            "username": "sinagencia",
            "full_name": "X",
            "roles": ["teller"],
        },
        headers=world.a.headers[R.admin],
    )
    assert r.status_code == 422
    assert r.json()["code"] == "branch_required"


def test_teller_branch_must_belong_to_the_cooperative(client: TestClient, world: World) -> None:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/users",
        json={
            "username": "otraagencia",
            "full_name": "X",
            "roles": ["teller"],
            "branch_id": world.b.branches["PUNO"],
        },
        headers=world.a.headers[R.admin],
    )
    assert r.status_code == 404
    assert r.json()["code"] == "branch_not_found"


def test_federation_roles_cannot_be_granted_inside_a_cooperative(
    client: TestClient, world: World
) -> None:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/users",
        json={
            "username": "escalada",
            "full_name": "X",
            "roles": ["federation_admin"],
        },
        headers=world.a.headers[R.admin],
    )
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_role"


def test_role_change_takes_effect_on_existing_tokens(client: TestClient, world: World) -> None:
    admin = world.a.headers[R.admin]
    uid = add_user(client, world.a, "coopa.cambia", ["admin"])
    h = login(client, "coopa.cambia")
    assert client.get(f"/api/v1/cooperatives/{world.a.id}/users", headers=h).status_code == 200
    r = client.patch(
        f"/api/v1/cooperatives/{world.a.id}/users/{uid}",
        json={"roles": ["accountant"]},
        headers=admin,
    )
    assert r.status_code == 202, r.text  # accountant moves money: a second person approves
    r = decide(client, world.a.id, {"access_request": r.json()}, world.a.headers[R.manager])
    assert r["roles"] == ["accountant"]
    # the old token carried admin rights: it no longer works at all
    assert client.get(f"/api/v1/cooperatives/{world.a.id}/users", headers=h).status_code == 401
    h = login(client, "coopa.cambia")
    assert client.get(f"/api/v1/cooperatives/{world.a.id}/users", headers=h).status_code == 403
