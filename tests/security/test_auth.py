from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient

from coopac_core.security import tokens
from coopac_core.security.roles import Role
from tests.support.database import TEST_SECRET
from tests.support.world import PASSWORD, World, login


def _token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, object]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def test_login_returns_short_lived_access_and_refresh_tokens(
    client: TestClient, world: World
) -> None:
    body = _token(client, "coopa.teller")
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert isinstance(body["refresh_token"], str)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    data = me.json()
    assert data["username"] == "coopa.teller"
    assert data["cooperative_id"] == world.a.id
    assert data["roles"] == [
        {"role": "teller", "cooperative_id": world.a.id, "branch_id": world.a.branches["PUNO"]}
    ]


def test_username_is_case_insensitive(client: TestClient, world: World) -> None:
    _token(client, "COOPA.Teller")


def test_wrong_password_and_unknown_user_get_the_same_401(client: TestClient, world: World) -> None:
    for username, password in (("coopa.teller", "mala-clave-123"), ("nadie.aqui", PASSWORD)):
        r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
        assert r.status_code == 401
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "invalid_credentials"
        assert r.headers["www-authenticate"] == "Bearer"


def test_missing_and_malformed_credentials(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated"
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"


def test_expired_token_is_refused(client: TestClient, world: World) -> None:
    expired, _ = tokens.issue_token(
        TEST_SECRET, uuid.UUID(world.a.users[Role.teller]), 1, "access", timedelta(seconds=-5)
    )
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401
    assert r.json()["code"] == "token_expired"


def test_token_signed_with_another_key_is_refused(client: TestClient, world: World) -> None:
    forged, _ = tokens.issue_token(
        "another-secret-key-entirely-xxxxxxxxxxxx",
        uuid.UUID(world.a.users[Role.admin]),
        1,
        "access",
        timedelta(minutes=5),
    )
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401


def test_refresh_token_gives_new_access_token_but_is_not_an_access_token(
    client: TestClient, world: World
) -> None:
    body = _token(client, "coopa.manager")
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['refresh_token']}"})
    assert r.status_code == 401
    r = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
    )
    assert r.status_code == 200
    new = r.json()["access_token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_disabling_a_user_revokes_their_tokens(client: TestClient, world: World) -> None:
    coop = world.a.id
    admin = world.a.headers[Role.admin]
    r = client.post(
        f"/api/v1/cooperatives/{coop}/users",
        json={
            "username": "coopa.temporal",
            "password": PASSWORD,
            "full_name": "Temporal",
            "roles": ["auditor"],
        },
        headers=admin,
    )
    assert r.status_code == 201
    user_id = r.json()["id"]
    body = _token(client, "coopa.temporal")
    access = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/api/v1/me", headers=access).status_code == 200

    r = client.patch(
        f"/api/v1/cooperatives/{coop}/users/{user_id}", json={"is_active": False}, headers=admin
    )
    assert r.status_code == 200
    assert r.json()["is_active"] is False

    r = client.get("/api/v1/me", headers=access)
    assert r.status_code == 401
    assert r.json()["code"] == "token_revoked"
    r = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
    )
    assert r.status_code == 401
    r = client.post("/api/v1/auth/token", data={"username": "coopa.temporal", "password": PASSWORD})
    assert r.status_code == 401

    # enabled again: a fresh login works, the old token stays dead
    r = client.patch(
        f"/api/v1/cooperatives/{coop}/users/{user_id}", json={"is_active": True}, headers=admin
    )
    assert r.status_code == 200
    login(client, "coopa.temporal")
    assert client.get("/api/v1/me", headers=access).status_code == 401


def test_password_change_revokes_old_tokens(client: TestClient, world: World) -> None:
    coop = world.a.id
    admin = world.a.headers[Role.admin]
    r = client.post(
        f"/api/v1/cooperatives/{coop}/users",
        json={
            "username": "coopa.clave",
            "password": PASSWORD,
            "full_name": "Clave",
            "roles": ["auditor"],
        },
        headers=admin,
    )
    user_id = r.json()["id"]
    old = login(client, "coopa.clave")
    r = client.patch(
        f"/api/v1/cooperatives/{coop}/users/{user_id}",
        json={"password": "nueva-clave-456"},
        headers=admin,
    )
    assert r.status_code == 200
    assert client.get("/api/v1/me", headers=old).status_code == 401
    login(client, "coopa.clave", "nueva-clave-456")


def test_api_key_lifecycle(client: TestClient, world: World) -> None:
    admin = world.a.headers[Role.admin]
    coop = world.a.id
    r = client.post(
        f"/api/v1/cooperatives/{coop}/api-keys",
        json={"name": "export-nocturno", "roles": ["accountant"]},
        headers=world.a.headers[Role.accountant],  # a key is its maker's own
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["owner_id"] == world.a.users[Role.accountant]
    key = created["key"]
    assert key.startswith("coopac_")
    # shown once: the listing never carries it
    listing = client.get(f"/api/v1/cooperatives/{coop}/api-keys", headers=admin).json()["items"]
    assert all("key" not in k for k in listing)
    assert any(k["id"] == created["id"] for k in listing)

    h = {"X-API-Key": key}
    me = client.get("/api/v1/me", headers=h).json()
    assert me["api_key_id"] == created["id"]
    assert me["roles"] == [{"role": "accountant", "cooperative_id": coop, "branch_id": None}]
    assert client.get(f"/api/v1/cooperatives/{coop}", headers=h).status_code == 200
    # scoped to its cooperative and its roles
    assert client.get(f"/api/v1/cooperatives/{world.b.id}", headers=h).status_code == 404
    assert client.get(f"/api/v1/cooperatives/{coop}/users", headers=h).status_code == 403
    # a wrong secret with a real prefix is refused
    prefix = created["prefix"]
    bad = client.get("/api/v1/me", headers={"X-API-Key": f"coopac_{prefix}_wrongsecret"})
    assert bad.status_code == 401

    r = client.post(f"/api/v1/cooperatives/{coop}/api-keys/{created['id']}/revoke", headers=admin)
    assert r.status_code == 200
    assert r.json()["revoked_at"] is not None
    r = client.get("/api/v1/me", headers=h)
    assert r.status_code == 401
    assert r.json()["code"] == "api_key_revoked"


def test_api_key_cannot_carry_federation_roles(client: TestClient, world: World) -> None:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/api-keys",
        json={"name": "x", "roles": ["federation_admin"]},
        headers=world.a.headers[Role.admin],
    )
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_role"
