"""Every error is application/problem+json with a stable code; no trace reaches a client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from coopac_core.config import Settings
from coopac_core.db import Database, make_engine, to_sqlalchemy_url
from coopac_core.main import create_app
from coopac_core.security.roles import Role
from coopac_core.security.tokens import issue_token
from tests.support.world import World


def _is_problem(r: object, status: int, code: str) -> dict[str, object]:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body: dict[str, object] = r.json()  # type: ignore[attr-defined]
    assert body["code"] == code
    assert body["status"] == status
    assert isinstance(body["title"], str) and isinstance(body["detail"], str)
    return body


def test_validation_errors_list_each_field(client: TestClient, world: World) -> None:
    r = client.post(
        "/api/v1/cooperatives",
        json={"code": "OK", "name": "", "ruc": "20131312956", "sbs_level": "4"},
        headers=world.fed_admin,
    )
    body = _is_problem(r, 422, "validation_error")
    fields = {e["field"]: e["message"] for e in body["errors"]}  # type: ignore[attr-defined]
    assert set(fields) == {"body.name", "body.ruc", "body.sbs_level"}
    assert "dígito verificador" in fields["body.ruc"]


def test_invalid_ubigeo_is_a_field_error(client: TestClient, world: World) -> None:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/branches",
        json={"code": "X", "name": "X", "ubigeo": "991234"},
        headers=world.a.headers[Role.admin],
    )
    body = _is_problem(r, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["body.ubigeo"]  # type: ignore[attr-defined]


def test_malformed_json_is_a_validation_error(client: TestClient, world: World) -> None:
    r = client.post(
        "/api/v1/cooperatives",
        content=b"{not json",
        headers={**world.fed_admin, "Content-Type": "application/json"},
    )
    _is_problem(r, 422, "validation_error")


def test_401_403_404_405_409(client: TestClient, world: World) -> None:
    _is_problem(client.get(f"/api/v1/cooperatives/{world.a.id}"), 401, "not_authenticated")
    _is_problem(
        client.post("/api/v1/cooperatives", json={}, headers=world.a.headers[Role.admin]),
        422,
        "validation_error",
    )
    _is_problem(
        client.post(
            "/api/v1/cooperatives",
            json={"code": "X9", "name": "X", "ruc": "20100070970", "sbs_level": "1"},
            headers=world.a.headers[Role.admin],
        ),
        403,
        "forbidden",
    )
    _is_problem(client.get("/api/v1/no-such-thing"), 404, "not_found")
    _is_problem(
        client.get(
            "/api/v1/cooperatives/00000000-0000-0000-0000-000000000000", headers=world.fed_admin
        ),
        404,
        "cooperative_not_found",
    )
    _is_problem(client.delete("/api/v1/cooperatives"), 405, "method_not_allowed")
    _is_problem(
        client.post(
            "/api/v1/cooperatives",
            json={"code": "COOPA", "name": "Repetida", "ruc": "20100070970", "sbs_level": "1"},
            headers=world.fed_admin,
        ),
        409,
        "cooperative_exists",
    )


def test_request_id_is_generated_when_absent(client: TestClient) -> None:
    r = client.get("/health")
    assert len(r.headers["x-request-id"]) == 32
    for bad in ("bad id with spaces", "peña-01", "x" * 65, "a;b"):
        r = client.get("/health", headers={"X-Request-ID": bad.encode("latin-1")})
        assert r.headers["x-request-id"] != bad and len(r.headers["x-request-id"]) == 32
    r = client.get("/health", headers={"X-Request-ID": "pos-puno-000123"})
    assert r.headers["x-request-id"] == "pos-puno-000123"


@pytest.fixture
def crashing_client(settings: Settings, db: Database) -> Iterator[TestClient]:
    app = create_app(settings, db)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail: password=hunter2")

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_500_is_problem_json_without_trace(crashing_client: TestClient) -> None:
    r = crashing_client.get("/boom", headers={"X-Request-ID": "req-boom"})
    body = _is_problem(r, 500, "internal_error")
    assert "hunter2" not in r.text and "Traceback" not in r.text
    assert body["request_id"] == "req-boom"


def test_openapi_documents_every_route_with_typed_models(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ok = [c for c in op["responses"] if c.startswith("2")]
            assert ok, (method, path)
            for code in ok:
                content = op["responses"][code].get("content", {})
                if code != "204":
                    assert content, (method, path, code)
    assert client.get("/docs").status_code == 200


@pytest.fixture
def unreachable_client(settings: Settings) -> Iterator[TestClient]:
    owner = to_sqlalchemy_url("postgresql://nobody@127.0.0.1:1/none")
    dead = Database(owner, make_engine(owner, settings))
    with TestClient(create_app(settings, dead), raise_server_exceptions=False) as c:
        yield c
    dead.dispose()


def test_database_outage_is_503_problem_not_500(
    unreachable_client: TestClient, settings: Settings
) -> None:
    assert unreachable_client.get("/health").status_code == 200
    r = unreachable_client.get("/ready")
    assert r.status_code == 503
    assert r.json()["database"] == "unreachable"
    # a well-signed token: the database must be asked whether its user is still active
    token, _ = issue_token(
        settings.resolved_secret_key(), uuid.uuid4(), 1, "access", timedelta(minutes=5)
    )
    r = unreachable_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    _is_problem(r, 503, "database_unavailable")
    assert r.headers["retry-after"] == "1"
    # a malformed one is refused without it
    r = unreachable_client.get("/api/v1/me", headers={"Authorization": "Bearer x.y.z"})
    _is_problem(r, 401, "invalid_token")


def test_ready_reports_head_migration_only_to_an_authenticated_caller(
    client: TestClient, world: World
) -> None:
    r = client.get("/ready")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}  # nothing about the deployment
    r = client.get("/ready", headers={"Authorization": "Bearer forged.token.value"})
    assert "migration" not in r.json()
    r = client.get("/ready", headers=world.a.headers[Role.auditor])
    assert r.json()["migration"] == r.json()["expected_migration"] is not None


def test_a_nul_character_is_refused_not_a_crash(client: TestClient, world: World) -> None:
    r = client.get(
        f"/api/v1/cooperatives/{world.a.id}/members",
        params={"q": "\x00"},
        headers=world.a.headers[Role.teller],
    )
    _is_problem(r, 422, "invalid_input")


def test_validation_messages_speak_the_clients_language(client: TestClient, world: World) -> None:
    body = {"code": "OK", "name": "", "ruc": "20131312956", "sbs_level": "4"}
    es = client.post("/api/v1/cooperatives", json=body, headers=world.fed_admin).json()
    fields = {e["field"]: e["message"] for e in es["errors"]}
    assert not any("Value error" in m or "should" in m for m in fields.values()), fields
    assert fields["body.name"] == "Debe tener al menos 1 caracter(es)"
    assert fields["body.ruc"] == "RUC inválido: dígito verificador incorrecto"
    assert es["detail"] == "La solicitud tiene datos inválidos"

    en = client.post(
        "/api/v1/cooperatives",
        json=body,
        headers={**world.fed_admin, "Accept-Language": "en-GB,en;q=0.9,es;q=0.5"},
    ).json()
    fields = {e["field"]: e["message"] for e in en["errors"]}
    assert fields["body.ruc"] == "Invalid RUC: wrong check digit"
    assert fields["body.name"].startswith("String should have at least 1 character")
    assert en["detail"] == "The request has invalid data"
    assert en["code"] == es["code"] == "validation_error"
