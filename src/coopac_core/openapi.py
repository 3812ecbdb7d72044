"""The OpenAPI document as a contract: each route's errors, with their codes enumerated."""

from __future__ import annotations

from collections import defaultdict
from http import HTTPStatus
from typing import Any

from coopac_core.errors import (
    PROBLEM_JSON,
    DatabaseUnavailable,
    DomainError,
    InvalidCursor,
    InvalidInput,
    RoleNotAllowed,
    ValidationFailed,
)
from coopac_core.federation.errors import CooperativeNotFound
from coopac_core.idempotency import IDEMPOTENCY_ERRORS
from coopac_core.security.errors import AUTH_ERRORS

# Any route may answer these, whatever it does.
ALWAYS: tuple[type[DomainError], ...] = (ValidationFailed, InvalidInput, DatabaseUnavailable)
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
