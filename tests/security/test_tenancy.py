"""A cooperative's data is invisible to another: through the API and in the database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from coopac_core.db import Database
from coopac_core.security.roles import Role
from tests.support.world import World


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/cooperatives/{b}", None),
        ("PATCH", "/api/v1/cooperatives/{b}", {"name": "hackeada"}),
        ("GET", "/api/v1/cooperatives/{b}/branches", None),
        ("GET", "/api/v1/cooperatives/{b}/branches/{b_branch}", None),
        (
            "POST",
            "/api/v1/cooperatives/{b}/branches",
            {"code": "X1", "name": "X", "ubigeo": "150101"},
        ),
        ("GET", "/api/v1/cooperatives/{b}/users", None),
        ("GET", "/api/v1/cooperatives/{b}/users/{b_user}", None),
        ("PATCH", "/api/v1/cooperatives/{b}/users/{b_user}", {"is_active": False}),
        (
            "POST",
            "/api/v1/cooperatives/{b}/users",
            {"username": "intruso", "full_name": "X", "roles": ["admin"]},
        ),
        ("GET", "/api/v1/cooperatives/{b}/api-keys", None),
        ("GET", "/api/v1/cooperatives/{b}/audit-events", None),
    ],
)
def test_other_cooperative_is_404_for_its_admin(
    client: TestClient, world: World, method: str, path: str, body: dict[str, object] | None
) -> None:
    url = path.format(
        b=world.b.id, b_branch=world.b.branches["PUNO"], b_user=world.b.users[Role.admin]
    )
    r = client.request(method, url, json=body, headers=world.a.headers[Role.admin])
    assert r.status_code == 404, r.text
    assert r.json()["code"] == "cooperative_not_found"
    # exactly what a cooperative that does not exist answers
    missing = client.request(
        method,
        url.replace(world.b.id, "00000000-0000-0000-0000-000000000001"),
        json=body,
        headers=world.a.headers[Role.admin],
    )
    assert missing.status_code == 404
    assert missing.json()["code"] == r.json()["code"]


def test_user_of_other_cooperative_is_404_by_id_inside_own_cooperative(
    client: TestClient, world: World
) -> None:
    r = client.get(
        f"/api/v1/cooperatives/{world.a.id}/users/{world.b.users[Role.admin]}",
        headers=world.a.headers[Role.admin],
    )
    assert r.status_code == 404
    r = client.get(
        f"/api/v1/cooperatives/{world.a.id}/branches/{world.b.branches['PUNO']}",
        headers=world.a.headers[Role.admin],
    )
    assert r.status_code == 404


def test_cooperative_list_shows_only_own_cooperative(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/cooperatives", headers=world.a.headers[Role.teller])
    assert [c["id"] for c in r.json()["items"]] == [world.a.id]
    fed = client.get("/api/v1/cooperatives?limit=500", headers=world.fed_analyst).json()["items"]
    assert {world.a.id, world.b.id} <= {c["id"] for c in fed}


def test_cooperative_list_paginates_with_a_cursor(client: TestClient, world: World) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/cooperatives", params=params, headers=world.fed_admin).json()
        seen += [c["code"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen))
    assert {"COOPA", "COOPB"} <= set(seen)
    r = client.get("/api/v1/cooperatives", params={"cursor": "!!nope"}, headers=world.fed_admin)
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_cursor"


def _scoped(conn: object, scope: str | None) -> None:
    if scope is not None:
        conn.execute(text("SELECT set_config('coopac.tenant', :v, true)"), {"v": scope})  # type: ignore[attr-defined]


def test_database_role_hides_other_tenants_when_the_query_forgets_its_filter(
    db: Database, world: World
) -> None:
    with db.engine.begin() as conn:
        _scoped(conn, world.a.id)
        # no WHERE cooperative_id = ...: the policy applies it anyway
        coops = {str(r[0]) for r in conn.execute(text("SELECT cooperative_id FROM branch"))}
        assert coops == {world.a.id}
        users = {str(r[0]) for r in conn.execute(text("SELECT cooperative_id FROM staff_user"))}
        assert users == {world.a.id}
        assert conn.execute(text("SELECT count(*) FROM cooperative")).scalar_one() == 1
    with db.engine.begin() as conn:
        # no scope at all: nothing
        assert conn.execute(text("SELECT count(*) FROM branch")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM cooperative")).scalar_one() == 0


def test_database_role_cannot_write_into_another_tenant(db: Database, world: World) -> None:
    with pytest.raises(DBAPIError, match="row-level security"), db.engine.begin() as conn:
        _scoped(conn, world.a.id)
        conn.execute(
            text(
                "INSERT INTO branch (cooperative_id, id, code, name, ubigeo, is_active) "
                "VALUES (:c, gen_random_uuid(), 'ZZ', 'Intrusa', '150101', true)"
            ),
            {"c": world.b.id},
        )
    with db.engine.begin() as conn:
        _scoped(conn, world.a.id)
        changed = conn.execute(
            text("UPDATE branch SET name = 'x' WHERE cooperative_id = :c"), {"c": world.b.id}
        ).rowcount
        assert changed == 0


def test_app_role_is_neither_superuser_nor_owner(db: Database, owner_engine: Engine) -> None:
    with db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT rolsuper, rolbypassrls, current_user FROM pg_roles "
                "WHERE rolname = current_user"
            )
        ).one()
        assert row[0] is False and row[1] is False
        app_user = row[2]
    with owner_engine.connect() as conn:
        owners = {
            r[0]
            for r in conn.execute(
                text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
            )
        }
        no_rls = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
                    "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
                    "AND a.attname = 'cooperative_id' AND NOT c.relrowsecurity"
                )
            )
        ]
    assert app_user not in owners
    assert no_rls == []


def test_a_taken_username_is_refused_without_naming_anyone(
    client: TestClient, world: World
) -> None:
    """Usernames are unique across the federation (a login is a username alone): the 409
    for a name taken in another cooperative is the one for a name taken in one's own."""

    def taken(username: str) -> dict[str, object]:
        r = client.post(
            f"/api/v1/cooperatives/{world.a.id}/users",
            json={"username": username, "full_name": "X", "roles": ["auditor"]},
            headers=world.a.headers[Role.admin],
        )
        assert r.status_code == 409
        assert "coopb" not in r.text.lower()
        return {k: v for k, v in r.json().items() if k != "request_id"}

    elsewhere, here = taken("coopb.admin"), taken("coopa.auditor")
    assert elsewhere["code"] == "username_taken"
    assert elsewhere == here
