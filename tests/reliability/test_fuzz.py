"""Schemathesis generates requests for every route of the service's own OpenAPI, with a
valid token: no 500, every error is problem+json with a code, and a refused request posts
nothing. It works in a cooperative of its own, since it may change anything it can reach."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine, text

from coopac_core.federation.identifiers import ruc_check_digit
from tests.support.world import Coop, World, make_coop

pytestmark = pytest.mark.heavy


@pytest.fixture(scope="session")
def fuzz_coop(client: TestClient, world: World) -> Coop:
    body = "2070000002"
    return make_coop(client, world.fed_admin, "COOPFUZZ", body + str(ruc_check_digit(body)))


@pytest.fixture(scope="session")
def fuzz_schema(client: TestClient) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", client.app)


def _entries(owner_engine: Engine) -> int:
    with owner_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM journal_entry")).scalar_one())


def test_every_route_survives_generated_input(
    fuzz_schema: Any, fuzz_coop: Coop, world: World, owner_engine: Engine
) -> None:
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            if "cooperative_id" in (case.path_parameters or {}):
                case.path_parameters["cooperative_id"] = fuzz_coop.id
            headers = {**(case.headers or {}), **world.fed_admin}
            before = _entries(owner_engine)
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.as_curl_command(), response.text[:500])
            if response.status_code >= 400:
                content_type = response.headers.get("content-type", [""])
                content_type = content_type[0] if isinstance(content_type, list) else content_type
                assert content_type.startswith("application/problem+json"), response.text[:300]
                body = response.json()
                assert isinstance(body.get("code"), str)
                assert body["status"] == response.status_code
                assert _entries(owner_engine) == before, "a refused request posted an entry"

        check()
