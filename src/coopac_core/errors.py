"""Domain errors and their RFC 9457 problem+json rendering.

Services raise these; one set of handlers in main.py turns them into responses. The ``code``
is the stable, machine-readable part of the contract; ``detail`` is for people.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar

from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(examples=["body.ruc"])
    message: str = Field(examples=["RUC inválido: dígito verificador incorrecto"])
    type: str = Field(examples=["value_error"])


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(default="about:blank", examples=["about:blank"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    code: str = Field(examples=["not_found"])
    detail: str = Field(examples=["Cooperativa no encontrada"])
    instance: str | None = Field(default=None, examples=["/api/v1/cooperatives/..."])
    request_id: str | None = None
    errors: list[FieldError] | None = None


class DomainError(Exception):
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad Request"
    default_code: ClassVar[str] = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code
        self.extra = extra


class BadRequest(DomainError):
    pass


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"
    default_code = "not_authenticated"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    default_code = "forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not Found"
    default_code = "not_found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    default_code = "conflict"


class Unprocessable(DomainError):
    status = 422
    title = "Unprocessable Content"
    default_code = "unprocessable"


class ServiceUnavailable(DomainError):
    status = 503
    title = "Service Unavailable"
    default_code = "service_unavailable"


def problem_body(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None,
    request_id: str | None,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        code=code,
        detail=detail,
        instance=instance,
        request_id=request_id,
        errors=errors,
    ).model_dump(exclude_none=True)
    body.update(jsonable_encoder(extra or {}))
    return body


def problem_responses(*errors: type[DomainError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a route: each error it can return, as problem+json."""
    out: dict[int | str, dict[str, Any]] = {}
    all_errors: tuple[type[DomainError], ...] = (Unauthorized, *errors)
    for err in all_errors:
        out[err.status] = {
            "model": Problem,
            "description": err.title,
            "content": {PROBLEM_JSON: {}},
        }
    out[422] = {"model": Problem, "description": "Validation error", "content": {PROBLEM_JSON: {}}}
    return out
