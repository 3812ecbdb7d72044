from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient

from coopac_core.config import Settings
from coopac_core.security import tokens
from coopac_core.security.roles import Role
from tests.support.database import TEST_SECRET
from tests.support.world import PASSWORD, World, add_user, decide, login


def r_request(client: TestClient, coop: str, user_id: str, h: dict[str, str]) -> dict[str, object]:
    """The request still waiting about ``user_id``."""
    r = client.get(f"/api/v1/cooperatives/{coop}/user-access-requests?status=pending", headers=h)
    return next(x for x in r.json()["items"] if x["user_id"] == user_id)


def _token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, object]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def test_login_returns_short_lived_access_and_refresh_tokens(
    client: TestClient, world: World, settings: Settings
) -> None:
    # a quarter of an hour unless the operator says otherwise (the tests' session says a day)
    assert Settings.model_fields["access_token_minutes"].default == 15
    body = _token(client, "coopa.teller")
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_minutes * 60
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
    manager = world.a.headers[Role.manager]
    user_id = add_user(client, world.a, "coopa.temporal", ["auditor"])
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

    # enabled again only when a second person approves: a request, still disabled
    r = client.patch(
        f"/api/v1/cooperatives/{coop}/users/{user_id}", json={"is_active": True}, headers=admin
    )
    assert r.status_code == 202, r.text
    assert r.json()["reactivate"] is True
    r = client.post("/api/v1/auth/token", data={"username": "coopa.temporal", "password": PASSWORD})
    assert r.status_code == 401
    decide(client, coop, {"access_request": r_request(client, coop, user_id, admin)}, manager)
    # then a fresh login works, the old token stays dead
    login(client, "coopa.temporal")
    assert client.get("/api/v1/me", headers=access).status_code == 401


def test_an_admin_never_sets_a_password_only_sends_the_user_to_choose_one(
    client: TestClient, world: World
) -> None:
    """The attack: an admin reset a teller's password and logged in as them."""
    coop = world.a.id
    admin = world.a.headers[Role.admin]
    user_id = add_user(client, world.a, "coopa.clave", ["auditor"])
    old = login(client, "coopa.clave")
    r = client.patch(
        f"/api/v1/cooperatives/{coop}/users/{user_id}",
        json={"password": "nueva-clave-456"},
        headers=admin,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["type"] == "password_not_settable"
    r = client.post(
        "/api/v1/auth/token", data={"username": "coopa.clave", "password": "nueva-clave-456"}
    )
    assert r.status_code == 401

    r = client.post(
        f"/api/v1/cooperatives/{coop}/users/{user_id}/force-password-change", headers=admin
    )
    assert r.status_code == 200, r.text
    assert r.json()["password_change_required"] is True
    assert client.get("/api/v1/me", headers=old).status_code == 401  # sessions ended
    # the next login may only change the password
    r = client.post("/api/v1/auth/token", data={"username": "coopa.clave", "password": PASSWORD})
    assert r.status_code == 200
    assert r.json()["password_change_required"] is True
    pending = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/v1/me", headers=pending).json()["password_change_required"] is True
    r = client.get(f"/api/v1/cooperatives/{coop}", headers=pending)
    assert r.status_code == 403
    assert r.json()["code"] == "password_change_required"
    # nor the money path (it authenticates on its own, in one trip to the database)
    r = client.post(
        f"/api/v1/cooperatives/{coop}/savings-accounts/{uuid.uuid4()}/deposits",
        json={"amount": "10.00", "branch_id": world.a.branches["PUNO"]},
        headers={**pending, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert (r.status_code, r.json()["code"]) == (403, "password_change_required")
    r = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": PASSWORD},
        headers=pending,
    )
    assert r.status_code == 422
    assert r.json()["code"] == "same_password"
    r = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "la-mia-propia-789"},
        headers=pending,
    )
    assert r.status_code == 200
    own = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get(f"/api/v1/cooperatives/{coop}", headers=own).status_code == 200
    login(client, "coopa.clave", "la-mia-propia-789")
    # an admin forcing their own is pointed at the self-service change
    r = client.post(
        f"/api/v1/cooperatives/{coop}/users/{world.a.users[Role.admin]}/force-password-change",
        headers=admin,
    )
    assert r.status_code == 403
    assert r.json()["code"] == "own_password_forced"


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
