"""API key scopes: what kind of work a key may do, on top of the roles it acts with.

A key for the nightly export reads reports and nothing else, even if its owner is an
accountant who could post an adjustment: a leaked key does what its job needs, no more.
The scope a request needs follows from its method and path (``required_scope``); a
middleware notes it for the request, and the API key's check in the database
(``coopac_api_key_principal``) compares it."""

from __future__ import annotations

from contextvars import ContextVar
from enum import StrEnum

from starlette.types import ASGIApp, Receive, Scope, Send

from coopac_core.errors import Forbidden


class ApiKeyScope(StrEnum):
    read = "read"  # any GET but reports and exports
    counter = "counter"  # members' operations: money, accounts, loans, the day's close
    reports = "reports"  # reports, indicators and exports
    imports = "imports"  # bulk imports
    admin = "admin"  # the cooperative's configuration: users, keys, products, webhooks


ALL_SCOPES = frozenset(ApiKeyScope)

# Resources whose writes configure the cooperative rather than serve its members.
_ADMIN = frozenset(
    {
        "api-keys",
        "branches",
        "counter-settings",
        "credit-policy",
        "deliveries",
        "gl-accounts",
        "loan-products",
        "operation-limits",
        "savings-products",
        "users",
        "webhook-endpoints",
    }
)
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_PREFIX = "/api/v1/cooperatives/"

scope_var: ContextVar[ApiKeyScope | None] = ContextVar("api_key_scope", default=None)


class ScopeRequired(Forbidden):
    code = "scope_required"
    template = "La clave de API no tiene el alcance '{scope}' que esta operación requiere"


def required_scope(method: str, path: str) -> ApiKeyScope:
    method = method.upper()
    rest: list[str] = []
    if path.startswith(_PREFIX):
        # after the cooperative's id
        rest = [p for p in path[len(_PREFIX) :].split("/") if p][1:]
    first = rest[0] if rest else ""
    if first == "imports":
        return ApiKeyScope.imports
    if first == "reports" or path.startswith("/api/v1/federation/") or path.endswith("/export"):
        return ApiKeyScope.reports
    if method in _READS:
        return ApiKeyScope.read
    if path.startswith(_PREFIX) and (
        not first or first in _ADMIN or (first == "tills" and method == "PATCH")
    ):
        return ApiKeyScope.admin
    return ApiKeyScope.counter


class ScopeMiddleware:
    """Notes the scope the request needs, for an API key's check (pure ASGI: no cost to
    the body or the response)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = scope_var.set(required_scope(scope["method"], scope["path"]))
        try:
            await self.app(scope, receive, send)
        finally:
            scope_var.reset(token)
