from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from coopac_core.security.roles import Role
from tests.support.world import World


def test_state_changes_are_audited_with_actor_action_resource_and_request_id(
    client: TestClient, world: World
) -> None:
    admin = world.a.headers[Role.admin]
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/branches",
        json={"code": "ayaviri", "name": "Agencia Ayaviri", "ubigeo": "210801"},
        headers={**admin, "X-Request-ID": "req-audit-0001"},
    )
    assert r.status_code == 201
    assert r.headers["x-request-id"] == "req-audit-0001"
    branch_id = r.json()["id"]
    assert r.json()["code"] == "AYAVIRI"  # codes are kept in upper case

    events = client.get(
        f"/api/v1/cooperatives/{world.a.id}/audit-events",
        params={"action": "branch.create"},
        headers=world.a.headers[Role.auditor],
    ).json()["items"]
    mine = [e for e in events if e["resource_id"] == branch_id]
    assert len(mine) == 1
    event = mine[0]
    assert event["actor_name"] == "coopa.admin"
    assert event["actor_user_id"] == world.a.users[Role.admin]
    assert event["cooperative_id"] == world.a.id
    assert event["resource_type"] == "branch"
    assert event["request_id"] == "req-audit-0001"
    assert event["details"]["code"] == "AYAVIRI"


def test_refused_change_leaves_no_audit_record(client: TestClient, world: World) -> None:
    admin = world.a.headers[Role.admin]
    before = client.get(
        f"/api/v1/cooperatives/{world.a.id}/audit-events", params={"limit": 1}, headers=admin
    ).json()["items"]
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/branches",
        json={"code": "PUNO", "name": "Duplicada", "ubigeo": "210101"},
        headers=admin,
    )
    assert r.status_code == 409
    assert r.json()["code"] == "branch_exists"
    after = client.get(
        f"/api/v1/cooperatives/{world.a.id}/audit-events", params={"limit": 1}, headers=admin
    ).json()["items"]
    assert after == before


def test_audit_trail_pages_newest_first(client: TestClient, world: World) -> None:
    h = world.a.headers[Role.auditor]
    first = client.get(
        f"/api/v1/cooperatives/{world.a.id}/audit-events", params={"limit": 2}, headers=h
    ).json()
    assert len(first["items"]) == 2
    assert first["items"][0]["id"] > first["items"][1]["id"]
    second = client.get(
        f"/api/v1/cooperatives/{world.a.id}/audit-events",
        params={"limit": 2, "cursor": first["next_cursor"]},
        headers=h,
    ).json()
    assert second["items"][0]["id"] < first["items"][1]["id"]


def test_audit_other_cooperative_not_visible(client: TestClient, world: World) -> None:
    items = client.get(
        f"/api/v1/cooperatives/{world.a.id}/audit-events",
        params={"limit": 500},
        headers=world.fed_admin,
    ).json()["items"]
    assert items and all(e["cooperative_id"] == world.a.id for e in items)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'x'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event CASCADE",
    ],
)
def test_audit_table_is_append_only_even_for_its_owner(
    owner_engine: Engine, world: World, statement: str
) -> None:
    with pytest.raises(DBAPIError, match="append-only"), owner_engine.begin() as conn:
        conn.execute(text(statement))
