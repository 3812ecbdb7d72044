"""The attack: the federation's admin created a manager in a cooperative and logged in as
it, gave an accountant the credit committee role, ran the cooperative's close of business
and created a webhook in it. Federation staff make a cooperative's first admin and nothing
else among its users; they never run its day or say where its events go."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.world import World


def test_federation_staff_make_the_first_admin_only_and_run_nothing(
    client: TestClient, world: World
) -> None:
    url = f"/api/v1/cooperatives/{world.a.id}"
    fed = world.fed_admin
    for roles in (["manager"], ["credit_committee"], ["teller"], ["admin"]):
        r = client.post(
            f"{url}/users",
            json={
                "username": f"fed.hecho.{roles[0]}",
                "full_name": "Hecho por la federación",
                "roles": roles,
                "branch_id": world.a.branches["PUNO"] if roles == ["teller"] else None,
            },
            headers=fed,
        )
        # an admin exists already: not even a second one
        assert (r.status_code, r.json()["code"]) == (403, "federation_first_admin_only"), roles
    accountant = world.a.users[Role.accountant]
    r = client.patch(
        f"{url}/users/{accountant}", json={"roles": ["accountant", "credit_committee"]}, headers=fed
    )
    assert (r.status_code, r.json()["code"]) == (403, "federation_first_admin_only")
    r = client.get(f"{url}/users/{accountant}", headers=world.a.headers[Role.admin])
    assert r.json()["roles"] == ["accountant"]
    r = client.post(f"{url}/close-of-business", json={"days": 1}, headers=fed)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    assert "federación" in r.json()["detail"]
    r = client.post(
        f"{url}/webhook-endpoints",
        json={"url": "https://hooks.example.pe/x", "event_types": ["*"]},
        headers=fed,
    )
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
