"""Every list honours ``limit`` and pages by cursor: the short lists too (operation limits,
webhook endpoints, imports), which answered everything at once."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.world import World


def _all(client: TestClient, url: str, headers: dict[str, str]) -> list[Any]:
    items: list[Any] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        r = client.get(url, params=params, headers=headers)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 1
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def test_the_operation_limits_page_one_at_a_time(client: TestClient, world: World) -> None:
    url = f"/api/v1/cooperatives/{world.a.id}/operation-limits"
    headers = world.a.headers[Role.admin]
    whole = client.get(url, params={"limit": 200}, headers=headers).json()["items"]
    assert len(whole) > 3
    one_by_one = _all(client, url, headers)
    assert sorted(map(str, one_by_one)) == sorted(map(str, whole))
    assert len(one_by_one) == len(whole)


def test_webhook_endpoints_page_one_at_a_time(client: TestClient, world: World) -> None:
    url = f"/api/v1/cooperatives/{world.b.id}/webhook-endpoints"
    headers = world.b.headers[Role.admin]
    for n in range(3):
        r = client.post(
            url,
            # loopback, and an event this cooperative's tests never make: nothing is sent
            json={"url": f"http://127.0.0.1:9/hook-{n}", "event_types": ["import.finished"]},
            headers=headers,
        )
        assert r.status_code == 201, r.text
    urls = [e["url"] for e in _all(client, url, headers)]
    assert urls[-3:] == [f"http://127.0.0.1:9/hook-{n}" for n in range(3)]
    assert len(urls) == len(set(urls))
