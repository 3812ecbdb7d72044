"""What one request may cost: a bounded body, bounded lists, a bounded simulation."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.world import World


def test_a_large_body_is_refused_before_it_is_read(client: TestClient, world: World) -> None:
    big = b'{"name": "' + b"x" * 2_000_000 + b'"}'
    r = client.post(
        "/api/v1/cooperatives",
        content=big,
        headers={**world.fed_admin, "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "payload_too_large"


def test_a_large_chunked_body_is_refused_too(client: TestClient, world: World) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(40):
            yield b"x" * 50_000
        yield b'"}'

    r = client.post(
        "/api/v1/cooperatives",
        content=chunks(),
        headers={**world.fed_admin, "Content-Type": "application/json"},
    )
    assert (r.status_code, r.json()["code"]) == (413, "payload_too_large")
    # a small chunked body still goes through to the validator
    r = client.post(
        "/api/v1/cooperatives",
        content=iter([b'{"code": "X"', b"}"]),
        headers={**world.fed_admin, "Content-Type": "application/json"},
    )
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")


def test_an_application_carries_a_bounded_collateral_list(client: TestClient, world: World) -> None:
    body = {
        "member_id": world.a.users[Role.teller],
        "product_id": world.a.users[Role.teller],
        "amount": "1000.00",
        "tea": "0.2",
        "term": 6,
        "purpose": "other",
        "collateral": [{"description": "vaca", "value": "10.00"}] * 21,
    }
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/loans",
        json=body,
        headers=world.a.headers[Role.credit_officer],
    )
    assert r.status_code == 422
    assert any(e["field"] == "body.collateral" for e in r.json()["errors"])


def test_the_longest_simulation_is_answered(client: TestClient, world: World) -> None:
    """Its cost is measured by bench/simulation.py (about 0.07 s of CPU, down from 0.9)."""
    body = {
        "amount": "30000.00",
        "tea": "0.30",
        "term": 360,
        "frequency": "weekly",
        "commission": "300.00",
        "installment_fee": "1.00",
        "insurance_monthly_rate": "0.0008",
    }
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/loan-simulations",
        json=body,
        headers=world.a.headers[Role.credit_officer],
    )
    assert r.status_code == 200 and len(r.json()["installments"]) == 360
    assert r.json()["tcea"] > r.json()["tea"]
