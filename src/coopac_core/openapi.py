"""The OpenAPI document as a contract: each route's errors, with their codes enumerated."""

from __future__ import annotations

from collections import defaultdict
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from coopac_core.errors import (
    PROBLEM_JSON,
    DatabaseUnavailable,
    DomainError,
    FieldError,
    InvalidCursor,
    InvalidInput,
    PayloadTooLarge,
    Problem,
    RoleNotAllowed,
    ValidationFailed,
)
from coopac_core.federation.errors import CooperativeInactive, CooperativeNotFound
from coopac_core.idempotency import IDEMPOTENCY_ERRORS
from coopac_core.security.deps import ACCESS, Access
from coopac_core.security.errors import AUTH_ERRORS
from coopac_core.security.scopes import ScopeRequired, required_scope

# Any route may answer these, whatever it does.
ALWAYS: tuple[type[DomainError], ...] = (
    ValidationFailed,
    InvalidInput,
    DatabaseUnavailable,
    PayloadTooLarge,
)
# A route inside a cooperative: unknown to the caller (404) or not for their role (403).
COOP_ACCESS: tuple[type[DomainError], ...] = (CooperativeNotFound, RoleNotAllowed)

Responses = dict[int | str, dict[str, Any]]


def problem_schema(codes: list[str]) -> dict[str, Any]:
    """The problem document with ``code`` narrowed to ``codes``."""
    return {
        "allOf": [
            {"$ref": "#/components/schemas/Problem"},
            {"type": "object", "properties": {"code": {"type": "string", "enum": codes}}},
        ]
    }


def problem_responses(*errors: type[DomainError], authenticated: bool = True) -> Responses:
    """OpenAPI ``responses`` for a route: each error class it can raise, grouped by status,
    as application/problem+json with the codes enumerated."""
    by_status: dict[int, set[str]] = defaultdict(set)
    for err in (*(AUTH_ERRORS if authenticated else ()), *ALWAYS, *errors):
        if not err.code:
            raise TypeError(f"{err.__name__} is not a concrete error class")
        by_status[err.status].add(err.code)
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": problem_schema(sorted(codes))}},
        }
        for status, codes in sorted(by_status.items())
    }


def coop_responses(*errors: type[DomainError]) -> Responses:
    """A route under ``/cooperatives/{cooperative_id}``."""
    return problem_responses(*COOP_ACCESS, *errors)


def list_responses(*errors: type[DomainError]) -> Responses:
    """A cursor-paginated list under a cooperative."""
    return coop_responses(InvalidCursor, *errors)


def money_responses(*errors: type[DomainError]) -> Responses:
    """A money POST: idempotent, under a cooperative."""
    return coop_responses(*IDEMPOTENCY_ERRORS, *errors)


# --- the document ------------------------------------------------------------------------

IDEMPOTENCY_HEADER = "Idempotency-Key"
# A file answer: a binary one's bytes (xlsx, pdf), a text one's text (csv, a fixed-width
# file), as a client generator reads them.
FILE: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
TEXT_FILE: dict[str, Any] = {"schema": {"type": "string"}}


def file_content(media_type: str) -> dict[str, Any]:
    return TEXT_FILE if media_type.startswith("text/") else FILE


_REQUEST_ID = {
    "description": "The request's id: the client's X-Request-ID if it sent a well-formed "
    "one, else a new one. Quote it when reporting a problem.",
    "schema": {"type": "string"},
}
_REPLAYED = {
    "description": "`true` when this is the stored answer to an earlier request with the "
    "same Idempotency-Key: nothing moved this time.",
    "schema": {"type": "string", "enum": ["true"]},
}
# The token endpoint's two grants, each with what it requires (one form, two shapes).
_TOKEN_GRANTS: dict[str, Any] = {
    "PasswordGrant": {
        "type": "object",
        "title": "PasswordGrant",
        "required": ["username", "password"],
        "properties": {
            "grant_type": {"type": "string", "enum": ["password"], "default": "password"},
            "username": {"type": "string", "maxLength": 64, "examples": ["sur.cajero"]},
            "password": {"type": "string", "maxLength": 256, "format": "password"},
        },
    },
    "RefreshTokenGrant": {
        "type": "object",
        "title": "RefreshTokenGrant",
        "required": ["grant_type", "refresh_token"],
        "properties": {
            "grant_type": {"type": "string", "enum": ["refresh_token"]},
            "refresh_token": {"type": "string", "maxLength": 4096},
        },
    },
}


def _access_of(route: APIRoute) -> Access | None:
    """The route's access rule (from ``coop_access`` or ``idempotent``), if any."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if dep.call in ACCESS:
            return ACCESS[dep.call]
        stack.extend(dep.dependencies)
    return None


def _describe_roles(route: APIRoute) -> str | None:
    access = _access_of(route)
    if access is None:
        return None
    names = ", ".join(f"`{r.value}`" for r in sorted(access.roles))
    if access.money:
        return f"**Roles:** {names} in the cooperative; federation staff never."
    return (
        f"**Roles:** {names} in the cooperative (a `federation_admin` may act in any cooperative)."
    )


def build_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, made into the contract a client generator can trust."""
    if app.openapi_schema:
        return app.openapi_schema
    # Each operation's route, by its id (the endpoint's name, see create_app).
    routes: dict[str, APIRoute] = {}
    ids: list[str] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema:
            routes[route.name] = route
            ids += [route.name] * len(route.methods or ())
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise RuntimeError(f"operation ids used twice: {duplicated}")
    doc = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    problem.pop("$defs", None)
    schemas["Problem"] = problem
    schemas["FieldError"] = FieldError.model_json_schema()
    schemas.update(_TOKEN_GRANTS)
    doc["components"]["headers"] = {"X-Request-ID": _REQUEST_ID, "Idempotent-Replayed": _REPLAYED}
    for path_item in doc["paths"].values():
        for method, operation in path_item.items():
            _finish(operation, routes[operation["operationId"]], method)
    schemas.pop("Body_issue_token", None)  # replaced by the two grants
    app.openapi_schema = doc
    return doc


def _add_error(operation: dict[str, Any], error: type[DomainError]) -> None:
    responses = operation.setdefault("responses", {})
    status = str(error.status)
    if status not in responses:
        responses.update(
            {str(k): v for k, v in problem_responses(error).items() if k == error.status}
        )
        return
    schema = responses[status]["content"][PROBLEM_JSON]["schema"]
    codes = schema["allOf"][1]["properties"]["code"]["enum"]
    if error.code not in codes:
        codes.append(error.code)
        codes.sort()


def _finish(operation: dict[str, Any], route: APIRoute, method: str) -> None:
    access = _access_of(route)
    if method != "get" and access is not None and access.refused_while_inactive:
        _add_error(operation, CooperativeInactive)
    roles = _describe_roles(route)
    if access is not None:
        _add_error(operation, ScopeRequired)
        needed = required_scope(method, route.path)
        roles = f"{roles or ''}\n\n**API key scope:** `{needed.value}`".strip()
    if roles:
        operation["description"] = "\n\n".join(
            part for part in (operation.get("description"), roles) if part
        )
    idempotent = False
    for param in operation.get("parameters", []):
        if param["in"] == "header" and param["name"] == IDEMPOTENCY_HEADER:
            # A money POST's is declared optional in Python so that a missing key is our own
            # 400 (idempotency_key_required), not a validation error: required all the same.
            # A creating POST's is optional (idempotent_creates): the contract says so too.
            param["required"] = not param.get("description", "").startswith("Optional")
            param["schema"] = {"type": "string", "minLength": 1, "maxLength": 200}
            idempotent = True
    for status, response in operation.get("responses", {}).items():
        headers = response.setdefault("headers", {})
        headers["X-Request-ID"] = {"$ref": "#/components/headers/X-Request-ID"}
        # A replay returns the stored answer: a success or a refusal of the operation.
        if idempotent and status not in ("400", "401", "503"):
            headers["Idempotent-Replayed"] = {"$ref": "#/components/headers/Idempotent-Replayed"}
        # 422 from FastAPI's default: replaced by ours (declared by problem_responses).
        content = response.get("content", {})
        if PROBLEM_JSON in content and "application/json" in content:
            del content["application/json"]
    if operation.get("operationId") == "issue_token":
        operation["requestBody"]["required"] = True
        form = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
        form["schema"] = {
            "oneOf": [
                {"$ref": "#/components/schemas/PasswordGrant"},
                {"$ref": "#/components/schemas/RefreshTokenGrant"},
            ]
        }
