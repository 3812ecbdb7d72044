"""What every answer says to browsers and proxies, and docs served without a CDN."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.main import create_app
from coopac_core.security.roles import Role
from tests.support.world import World


def test_money_and_tokens_are_never_cached_and_nothing_is_sniffed(
    client: TestClient, world: World
) -> None:
    for r in (
        client.get(f"/api/v1/cooperatives/{world.a.id}", headers=world.a.headers[Role.teller]),
        client.post("/api/v1/auth/token", data={"username": "x", "password": "y"}),
        client.get("/api/v1/me"),  # a refusal too
    ):
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "strict-transport-security" not in r.headers  # plain HTTP here
    health = client.get("/health")
    assert health.headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in health.headers


def test_hsts_when_reached_over_tls(settings: Settings, db: Database) -> None:
    with TestClient(create_app(settings, db), base_url="https://testserver") as tls:
        r = tls.get("/health")
    assert r.headers["strict-transport-security"].startswith("max-age=31536000")


def test_docs_come_from_the_service_not_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    asset = client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000
    assert client.get("/redoc").status_code == 404


def test_docs_can_be_turned_off(settings: Settings, db: Database) -> None:
    quiet = settings.model_copy(update={"docs_enabled": False})
    with TestClient(create_app(quiet, db)) as c:
        assert c.get("/docs").status_code == 404
        assert c.get("/openapi.json").status_code == 200  # the contract stays
