"""The FastAPI application: routers, middleware and the problem+json error handlers."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from coopac_core import __version__, metrics
from coopac_core.api_docs import mount_docs
from coopac_core.audit.router import router as audit_router
from coopac_core.cob import runner as cob_runner
from coopac_core.cob.router import router as cob_router
from coopac_core.compliance.router import router as compliance_router
from coopac_core.config import Settings, get_settings
from coopac_core.db import Database, DatabaseUnreachable, head_revision, money_pool
from coopac_core.errors import (
    PROBLEM_JSON,
    DatabaseUnavailable,
    DomainError,
    FieldError,
    InternalError,
    InvalidInput,
    MalformedRequest,
    MethodNotAllowed,
    RouteNotFound,
    ValidationFailed,
    problem_body,
)
from coopac_core.events import sealing
from coopac_core.events import worker as webhook_worker
from coopac_core.events.router import router as events_router
from coopac_core.exchange.router import router as exchange_router
from coopac_core.federation.indicators_router import router as indicators_router
from coopac_core.federation.router import router as federation_router
from coopac_core.fiscal_years.router import router as fiscal_years_router
from coopac_core.flows.adjustment_router import router as adjustment_router
from coopac_core.flows.admission_router import router as admission_router
from coopac_core.flows.counter_router import router as counter_router
from coopac_core.flows.founding_router import router as founding_router
from coopac_core.flows.offline_router import router as offline_router
from coopac_core.flows.reversal_router import router as reversal_router
from coopac_core.flows.screened_router import router as screened_router
from coopac_core.flows.verification_router import router as verification_router
from coopac_core.flows.withdrawals_router import router as counter_approvals_router
from coopac_core.health import router as health_router
from coopac_core.imports import service as imports_service
from coopac_core.imports.router import router as imports_router
from coopac_core.ledger.router import router as ledger_router
from coopac_core.limits.router import router as limits_router
from coopac_core.loans.router import router as loans_router
from coopac_core.members.router import router as members_router
from coopac_core.observability import RequestIdMiddleware, configure_logging, request_id_var
from coopac_core.openapi import build_document
from coopac_core.prudential.router import router as prudential_router
from coopac_core.prudential.router import settings_router as prudential_settings_router
from coopac_core.reports.router import router as reports_router
from coopac_core.savings.router import router as savings_router
from coopac_core.security.access_router import router as user_access_router
from coopac_core.security.body_limit import BodyLimitMiddleware
from coopac_core.security.headers import SecurityHeadersMiddleware
from coopac_core.security.router import auth_router, federation_users_router, users_router
from coopac_core.security.scopes import ScopeMiddleware
from coopac_core.shares.router import router as shares_router
from coopac_core.tellers.router import router as tellers_router
from coopac_core.validation import message, preferred_language

log = logging.getLogger(__name__)


def problem(
    request: Request,
    error: type[DomainError],
    detail: str | None = None,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """The problem+json answer of a catalogued error."""
    body = problem_body(
        error.status,
        error.code,
        detail if detail is not None else error.template,
        instance=request.url.path,
        request_id=request_id_var.get(),
        errors=errors,
        extra=extra,
    )
    return JSONResponse(body, status_code=error.status, media_type=PROBLEM_JSON, headers=headers)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
    if "retry_after" in exc.params:  # 429: when to try again
        headers["Retry-After"] = str(exc.params["retry_after"])
    return problem(request, type(exc), exc.detail, headers=headers or None, extra=exc.extra)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    language = preferred_language(request.headers.get("accept-language"))
    errors = [
        FieldError(
            field=".".join(str(p) for p in err.get("loc", ())),
            message=message(err, language),
            type=str(err.get("type", "")),
        )
        for err in exc.errors()
    ]
    detail = ValidationFailed.template if language == "es" else "The request has invalid data"
    return problem(request, ValidationFailed, detail, errors=errors)


_FRAMEWORK_ERRORS: dict[int, type[DomainError]] = {
    400: MalformedRequest,
    404: RouteNotFound,
    405: MethodNotAllowed,
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    error = _FRAMEWORK_ERRORS.get(exc.status_code)
    headers = dict(exc.headers) if exc.headers else None
    if error is None:  # nothing of ours raises one; answer it anyway, as a problem
        log.error("unexpected HTTP error %s: %s", exc.status_code, exc.detail)
        error = InternalError
    return problem(request, error, headers=headers)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # A dropped connection or an exhausted pool is an outage, not a bug: the client may
    # retry (with the same Idempotency-Key) once it passes.
    if (
        isinstance(exc, DBAPIError)
        and not exc.connection_invalidated
        and not isinstance(exc, OperationalError)
    ):
        return await _unhandled(request, exc)
    cause = exc.__cause__ or exc.__context__
    while isinstance(cause, Exception) and cause.__cause__ is not None and not str(cause):
        cause = cause.__cause__  # through our own wrappers, to what the driver said
    log.warning(
        "database unavailable: %s%s",
        type(exc).__name__,
        f" ({type(cause).__name__}: {cause})" if cause is not None else "",
    )
    return problem(request, DatabaseUnavailable, headers={"Retry-After": "1"})


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    # PostgreSQL refused a value the request carried (a NUL character in text, a number out
    # of a column's range): the client's input, not a bug of ours. Logged in full.
    log.warning("database refused a value", exc_info=exc)
    return problem(request, InvalidInput)


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    return problem(request, InternalError)


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    settings.check_secret_key()  # a worker started by hand refuses a weak key too

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_db = db is None
        app.state.db = db or Database.from_settings(settings)
        app.state.head = head_revision(settings, app.state.db.owner_url)
        metrics.watch_pool(app.state.db.engine.pool.checkedout)
        # A close of business a stopped process left half done goes on from where it was.
        try:
            cob_runner.resume_all(app.state.db, settings.cob_chunk_size)
        except Exception:  # the service still starts; the next POST resumes it
            logging.getLogger(__name__).exception("could not resume close of business")
        try:
            imports_service.resume_all(app.state.db)
        except Exception:  # the service still starts; the job stays running until then
            logging.getLogger(__name__).exception("could not resume imports")
        try:
            sealing.seal_stored(app.state.db, settings)
        except Exception:  # the worker still reads them; the next start seals them
            logging.getLogger(__name__).exception("could not seal webhook secrets")
        # A lifespan may run again on a running app (the fuzzing suite drives the same
        # app): it puts back the pool it found, and closes only its own.
        pool = await money_pool(app.state.db.engine.url, settings)
        previous = getattr(app.state, "money_pool", None)
        app.state.money_pool = pool
        # What start-up loaded (modules, mappers, routes) lives as long as the process:
        # out of the collector's sight, a full collection no longer walks it in the middle
        # of a teller's request.
        gc.collect()
        gc.freeze()
        # Webhook deliveries, unless they run apart (`coopac worker`): one worker per
        # process is safe, however many processes (deliveries are taken SKIP LOCKED).
        worker = (
            webhook_worker.start_in_background(app.state.db, settings)
            if settings.worker_enabled
            else None
        )
        yield
        if worker is not None:
            stop, thread = worker
            stop.set()
            thread.join(timeout=settings.webhook_timeout_seconds + 5)
        if app.state.money_pool is pool:
            app.state.money_pool = previous
        await pool.close()
        if own_db:
            app.state.db.dispose()

    app = FastAPI(
        title="coopac-core",
        version=__version__,
        description=(
            "Core banking for savings-and-credit cooperatives (COOPACs) and their federation. "
            "Errors are application/problem+json with a stable `code`."
        ),
        lifespan=lifespan,
        # operationId = the endpoint's name: short and unique (build_document checks it).
        generate_unique_id_function=lambda route: route.name,
        # Swagger UI is served locally (api_docs), ReDoc not at all: no third-party CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        import_bytes=settings.import_max_bytes,
    )
    app.add_middleware(ScopeMiddleware)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: even a 500 carries them

    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(DBAPIError, _database_unavailable)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)
    app.add_exception_handler(DatabaseUnreachable, _database_unavailable)

    for router in (
        auth_router,
        founding_router,
        federation_router,
        users_router,
        user_access_router,
        federation_users_router,
        audit_router,
        admission_router,
        members_router,
        shares_router,
        savings_router,
        counter_router,
        tellers_router,
        offline_router,
        counter_approvals_router,
        exchange_router,
        ledger_router,
        adjustment_router,
        reversal_router,
        verification_router,
        loans_router,
        limits_router,
        cob_router,
        reports_router,
        prudential_router,
        prudential_settings_router,
        fiscal_years_router,
        indicators_router,
        events_router,
        imports_router,
        compliance_router,
        screened_router,
    ):
        app.include_router(router)

    app.include_router(health_router)
    app.include_router(metrics.router)
    if settings.docs_enabled:
        mount_docs(app)

    app.openapi = lambda: build_document(app)  # type: ignore[method-assign]
    return app
