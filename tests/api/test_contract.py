"""The OpenAPI document is a contract a client generator can trust, and the published list
of error codes is the catalogue's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coopac_core.catalogue import errors_markdown
from coopac_core.errors import CATALOGUE, PROBLEM_JSON, DomainError

STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503})
DOCS = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    doc: dict[str, Any] = r.json()
    return doc


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, op) for p, item in doc["paths"].items() for m, op in item.items()]


def test_published_error_list_is_the_catalogue() -> None:
    assert DOCS.read_text(encoding="utf-8") == errors_markdown(), (
        "docs/errors.md is stale: run `coopac errors-doc --output docs/errors.md`"
    )


def test_every_code_has_one_class_with_one_status() -> None:
    assert len(CATALOGUE) >= 70
    for code, error in CATALOGUE.items():
        assert error.code == code and error.status in STATUSES
        assert error.template, code
    with pytest.raises(TypeError, match="already belongs"):
        type("Again", (DomainError,), {"code": "insufficient_funds", "status": 409})


def test_operation_ids_are_short_unique_names(document: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in _operations(document)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z_]{2,39}", i) for i in ids), ids


def test_errors_are_problem_json_with_their_codes(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        for status, response in op["responses"].items():
            if int(status) < 400 or path == "/ready":  # readiness answers its own document
                continue
            content = response["content"]
            assert list(content) == [PROBLEM_JSON], (path, method, status)
            codes = content[PROBLEM_JSON]["schema"]["allOf"][1]["properties"]["code"]["enum"]
            assert codes and all(CATALOGUE[c].status == int(status) for c in codes)


def test_money_posts_require_an_idempotency_key(document: dict[str, Any]) -> None:
    money = [
        op
        for path, method, op in _operations(document)
        if method == "post"
        and re.search(
            r"/(deposits|withdrawals|transfers|payments|refund|disburse|repayments"
            r"|write-off/approve|recoveries|reversal)$",
            path,
        )
    ]
    assert len(money) == 10
    for op in money:
        (key,) = [p for p in op["parameters"] if p["name"] == "Idempotency-Key"]
        assert key["required"] is True and key["in"] == "header"
        done = op["responses"].get("201") or op["responses"]["200"]
        assert {"Idempotent-Replayed", "X-Request-ID"} <= set(done["headers"])


def test_every_list_is_a_page(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        for status, response in op["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            assert schema.get("type") != "array", (path, method, status)


def test_outputs_use_enums_for_statuses_kinds_and_currencies(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name, schema in schemas.items():
        for prop, spec in schema.get("properties", {}).items():
            if prop in ("status", "kind", "currency", "account_kind", "base_currency") and (
                spec.get("type") != "integer"  # a problem's HTTP status
            ):
                options = spec.get("anyOf", [spec])
                refs = [
                    o.get("$ref") or o.get("enum") or o.get("const")
                    for o in options
                    if o.get("type") != "null"
                ]
                assert all(refs), f"{name}.{prop} is a bare {spec}"


def test_amounts_print_with_two_decimals(document: dict[str, Any]) -> None:
    movement = document["components"]["schemas"]["Movement"]["properties"]
    assert movement["balance"]["pattern"] == r"^-?[0-9]+\.[0-9]{2}$"
    request = document["components"]["schemas"]["CashMovementRequest"]["properties"]
    assert request["amount"]["pattern"] == r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


def test_token_form_requires_what_each_grant_needs(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert set(schemas["PasswordGrant"]["required"]) == {"username", "password"}
    assert set(schemas["RefreshTokenGrant"]["required"]) == {"grant_type", "refresh_token"}


def test_operations_name_their_roles(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        if path.startswith("/api/v1/cooperatives/{cooperative_id}"):
            assert "**Roles:**" in op.get("description", ""), (path, method)


def test_request_bodies_carry_examples(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for path, method, op in _operations(document):
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if body is None:
            continue
        refs = [body["schema"], *body["schema"].get("anyOf", [])]  # an optional body
        name = next(r["$ref"] for r in refs if "$ref" in r).rsplit("/", 1)[-1]
        assert schemas[name].get("examples"), f"{method} {path}: {name} has no example"


def test_answers_carry_examples(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for path, method, op in _operations(document):
        for status, response in op["responses"].items():
            if int(status) >= 300:
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            name = schema.get("$ref", "").rsplit("/", 1)[-1]
            if name.startswith("Page_"):  # a page shows its items' example
                name = name.removeprefix("Page_").removesuffix("_")
            if name:
                assert schemas[name].get("examples"), f"{method} {path}: {name} has no example"
