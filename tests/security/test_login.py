"""Logging in as an attacker would: guessing passwords, replaying refresh tokens, weak
passwords. Each refusal is asserted, and what it must leave behind (a lock, an audit line)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.main import create_app
from coopac_core.security.roles import Role
from tests.support.world import PASSWORD, World, add_user, login

TOKEN = "/api/v1/auth/token"


def test_repeated_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(
    client: TestClient, world: World
) -> None:
    user = add_user(client, world.a, "coopa.victima", ["auditor"])
    for _ in range(5):
        r = client.post(TOKEN, data={"username": "coopa.victima", "password": "adivina-123456"})
        assert (r.status_code, r.json()["code"]) == (401, "invalid_credentials")
    for password in ("adivina-123456", PASSWORD):  # even the right one, while locked
        r = client.post(TOKEN, data={"username": "coopa.victima", "password": password})
        assert (r.status_code, r.json()["code"]) == (429, "account_locked")
        assert 800 < int(r.headers["retry-after"]) <= 900
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/users/{user}/unlock",
        headers=world.a.headers[Role.admin],
    )
    assert r.status_code == 200
    login(client, "coopa.victima")
    events = client.get(
        f"/api/v1/cooperatives/{world.a.id}/audit-events",
        params={"limit": 200},
        headers=world.a.headers[Role.auditor],
    ).json()["items"]
    actions = [e["action"] for e in events if e["resource_id"] == user]
    assert actions.count("login.failure") == 5
    assert "user.unlock" in actions and "login.success" in actions


def test_one_address_guessing_many_usernames_waits(settings: Settings, db: Database) -> None:
    strict = settings.model_copy(update={"login_address_max_failures": 20})
    with TestClient(create_app(strict, db), client=("203.0.113.7", 40000)) as guesser:
        for n in range(20):
            r = guesser.post(TOKEN, data={"username": f"nadie{n}", "password": "x" * 12})
            assert r.status_code == 401
        r = guesser.post(TOKEN, data={"username": "otro", "password": "x" * 12})
        assert (r.status_code, r.json()["code"]) == (429, "too_many_attempts")
        assert int(r.headers["retry-after"]) > 0
    # another address is not held back
    with TestClient(create_app(strict, db), client=("198.51.100.9", 40000)) as other:
        r = other.post(TOKEN, data={"username": "otro", "password": "x" * 12})
        assert r.status_code == 401


def test_weak_passwords_are_refused(client: TestClient, world: World) -> None:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/users",
        json={"username": "coopa.debil", "full_name": "X", "roles": ["auditor"]},
        headers=world.a.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    code = r.json()["activation_code"]
    for password in ("password1234", "123456789012", "coopa.debil-2026", "aaaaaaaaaaaaaa", "corta"):
        r = client.post(
            "/api/v1/auth/activate",
            json={"username": "coopa.debil", "activation_code": code, "new_password": password},
        )
        assert r.status_code == 422, password
        assert r.json()["code"] in ("weak_password", "validation_error"), password
    # the code still works for a good one
    r = client.post(
        "/api/v1/auth/activate",
        json={"username": "coopa.debil", "activation_code": code, "new_password": PASSWORD},
    )
    assert r.status_code == 200, r.text


def test_a_refresh_token_works_once_and_a_replay_ends_the_session(
    client: TestClient, world: World
) -> None:
    add_user(client, world.a, "coopa.movil", ["auditor"])
    first = client.post(TOKEN, data={"username": "coopa.movil", "password": PASSWORD}).json()
    second = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    # the first token again: stolen, or replayed by an attacker
    replay = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert (replay.status_code, replay.json()["code"]) == (401, "refresh_token_reused")
    # ... and the legitimate holder's newer token died with its family
    r = client.post(
        TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": second.json()["refresh_token"]},
    )
    assert (r.status_code, r.json()["code"]) == (401, "token_revoked")


def test_logout_ends_the_session(client: TestClient, world: World) -> None:
    add_user(client, world.a, "coopa.salida", ["auditor"])
    pair = client.post(TOKEN, data={"username": "coopa.salida", "password": PASSWORD}).json()
    r = client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert r.status_code == 204
    r = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]}
    )
    assert r.status_code == 401


def test_a_user_changes_their_own_password(client: TestClient, world: World) -> None:
    add_user(client, world.a, "coopa.cambia2", ["auditor"])
    old = login(client, "coopa.cambia2")
    url = "/api/v1/auth/password"
    r = client.post(
        url, json={"current_password": "no-es-la-clave", "new_password": "x" * 14}, headers=old
    )
    assert (r.status_code, r.json()["code"]) == (403, "current_password_wrong")
    r = client.post(
        url, json={"current_password": PASSWORD, "new_password": "contraseña123"}, headers=old
    )
    assert (r.status_code, r.json()["code"]) == (422, "weak_password")  # too common
    r = client.post(
        url,
        json={"current_password": PASSWORD, "new_password": "puno-lago-titicaca-3812"},
        headers=old,
    )
    assert r.status_code == 200
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/v1/me", headers=fresh).status_code == 200
    assert client.get("/api/v1/me", headers=old).status_code == 401  # other sessions end
    login(client, "coopa.cambia2", "puno-lago-titicaca-3812")


def test_guessing_the_current_password_locks_the_account_as_a_login_does(
    client: TestClient, world: World
) -> None:
    """Someone holding a user's session guesses their password at /auth/password: each
    wrong guess is counted and audited as a failed login, and the fifth locks the account
    (the change too, with the right password)."""
    user = add_user(client, world.a, "coopa.sesion", ["auditor"])
    session = login(client, "coopa.sesion")
    url = "/api/v1/auth/password"
    for n in range(5):
        r = client.post(
            url,
            json={"current_password": f"adivina-{n}-123456", "new_password": "y" * 16},
            headers=session,
        )
        assert (r.status_code, r.json()["code"]) == (403, "current_password_wrong")
    r = client.post(
        url,
        json={"current_password": PASSWORD, "new_password": "puno-lago-3812-ok"},
        headers=session,
    )
    assert (r.status_code, r.json()["code"]) == (429, "account_locked")
    r = client.post(TOKEN, data={"username": "coopa.sesion", "password": PASSWORD})
    assert (r.status_code, r.json()["code"]) == (429, "account_locked")
    events = client.get(
        f"/api/v1/cooperatives/{world.a.id}/audit-events",
        params={"limit": 200, "action": "login.failure"},
        headers=world.a.headers[Role.auditor],
    ).json()["items"]
    assert sum(e["resource_id"] == user for e in events) == 5
