"""Domain errors and their RFC 9457 problem+json rendering.

Each stable ``code`` is one class, declared in the package that owns its rule (for example
``savings.errors.InsufficientFunds``), with one HTTP status and one Spanish ``detail``
template. Services raise these; one set of handlers in main.py turns them into responses,
and ``openapi.problem_responses`` lists a route's classes in the OpenAPI document with the codes it
can answer. ``docs/errors.md`` is generated from this catalogue (``coopac errors-doc``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError

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
    code: str = Field(examples=["member_not_found"])
    detail: str = Field(examples=["Socio no encontrado"])
    instance: str | None = Field(default=None, examples=["/api/v1/cooperatives/..."])
    request_id: str | None = Field(default=None, examples=["3f2c9d0e8b7a4c1d"])
    errors: list[FieldError] | None = None


# Every concrete error class, by its code: one code, one class (so one status).
CATALOGUE: dict[str, type[DomainError]] = {}


class DomainError(Exception):
    """A refusal the client can act on. Subclasses of a status class set ``code``,
    ``template`` (Spanish, ``str.format`` fields filled from the keyword arguments) and
    optionally ``meaning`` (for the published list, when the template is not enough).
    ``replaces`` names the codes it took the place of (the published list keeps them, so
    that a client still matching an old code finds the new one)."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = ""
    template: ClassVar[str] = ""
    meaning: ClassVar[str] = ""
    replaces: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        code = cls.__dict__.get("code")
        if not code:
            return
        other = CATALOGUE.get(code)
        if other is not None and other.__qualname__ != cls.__qualname__:
            raise TypeError(f"error code {code!r} already belongs to {other.__qualname__}")
        CATALOGUE[code] = cls

    def __init__(
        self, detail: str | None = None, /, *, extra: dict[str, Any] | None = None, **params: Any
    ) -> None:
        if not self.code:
            raise TypeError(f"{type(self).__name__} has no code: raise a concrete error class")
        text = detail if detail is not None else self.template.format(**params)
        super().__init__(text)
        self.detail = text
        self.params = params
        # members of the problem beyond its detail (what a client acts on: a list of ids)
        self.extra = extra

    @property
    def title(self) -> str:
        return HTTPStatus(self.status).phrase


class BadRequest(DomainError):
    status = 400


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Unprocessable(DomainError):
    status = 422


class ServiceUnavailable(DomainError):
    status = 503


# --- errors that belong to no single domain package --------------------------------------


class NotAuthenticated(Unauthorized):
    code = "not_authenticated"
    template = "Se requiere autenticación"
    meaning = "No token and no API key were sent."


class RoleNotAllowed(Forbidden):
    code = "forbidden"
    template = "Su rol no permite esta operación"
    meaning = "The caller is known in the cooperative but none of their roles may do this."
    # federation staff, where a member's money is moved or decided on, or where the
    # cooperative's own operation is run (its close of business, where its events go)
    FEDERATION = (
        "La federación consulta; no mueve ni decide sobre dinero de socios ni opera la cooperativa"
    )

    def __init__(
        self, detail: str | None = None, /, *, federation: bool = False, **params: Any
    ) -> None:
        super().__init__(self.FEDERATION if federation else detail, **params)


class ValidationFailed(Unprocessable):
    code = "validation_error"
    template = "La solicitud tiene datos inválidos"
    meaning = "The body, path or query failed validation; `errors` lists each field."


class InvalidInput(Unprocessable):
    code = "invalid_input"
    template = "La solicitud contiene un valor no admitido"
    meaning = "PostgreSQL refused a value the request carried (a NUL character, a number "
    "out of a column's range)."


class InvalidCursor(BadRequest):
    code = "invalid_cursor"
    template = "Cursor inválido"
    meaning = "The `cursor` query parameter is not one this list handed out."


class AmountInvalid(Unprocessable):
    code = "amount_invalid"
    template = "Monto inválido: {reason}"
    meaning = "An amount is zero or negative, has more than two decimals or exceeds the maximum."


class DatabaseUnavailable(ServiceUnavailable):
    code = "database_unavailable"
    template = "La base de datos no está disponible; intente de nuevo"
    meaning = "An outage: retry (with the same Idempotency-Key); `Retry-After` says when."


class InternalError(DomainError):
    status = 500
    code = "internal_error"
    template = "Error interno; se registró para su revisión"
    meaning = "A bug. Logged with the request id; never expected."


class RouteNotFound(NotFound):
    code = "not_found"
    template = "Recurso no encontrado"
    meaning = "No route at this path."


class MalformedRequest(BadRequest):
    code = "bad_request"
    template = "Solicitud mal formada"
    meaning = "The HTTP request itself could not be read (a broken form body)."


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    template = "La solicitud excede el tamaño máximo ({limit} bytes)"
    meaning = "Bodies are capped (COOPAC_MAX_BODY_BYTES, 1 MB by default); bulk work has "
    "its own endpoints."


class MethodNotAllowed(DomainError):
    status = 405
    code = "method_not_allowed"
    template = "Método no permitido"
    meaning = "The path exists but not with this HTTP method."


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


class AsOfInFuture(Unprocessable):
    code = "as_of_in_future"
    template = "La fecha {as_of} es posterior a la fecha de operaciones ({business_date})"
    meaning = "A report says what was true at a date: not of a date still to come."


# --- refusals raised by database functions ------------------------------------------

REFUSED = "KR001"  # the operation refused: kept as the key's answer
CALLER_REFUSED = "KA001"  # the caller may not: answered, not kept


def refusal(code: str, detail: str | None) -> DomainError:
    """The DomainError a database function raised, with its fields."""
    params: dict[str, Any] = json.loads(detail) if detail else {}
    error = CATALOGUE.get(code)
    if error is None:  # a code the service does not know: a bug, not the client's
        raise RuntimeError(f"the database refused with unknown code {code!r}")
    if "detail" in params:
        return error(params["detail"])
    return error(**params)


def refusal_of(exc: DBAPIError) -> DomainError | None:
    """The refusal behind a failed statement, or None if it failed for another reason."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) not in (REFUSED, CALLER_REFUSED):
        return None
    diag = getattr(orig, "diag", None)
    return refusal(
        getattr(diag, "message_primary", "") or "", getattr(diag, "message_detail", None)
    )


@contextmanager
def refusals() -> Iterator[None]:
    """Statements run in the block that call a rule's function raise its refusal as the
    DomainError of its code."""
    try:
        yield
    except DBAPIError as exc:
        error = refusal_of(exc)
        if error is None:
            raise
        raise error from None
