"""Probes: the process is alive (``/health``); the database answers and is at the head
migration (``/ready``). The revisions themselves are shown only to a caller with a valid
token: an anonymous prober learns whether to send traffic, nothing about the deployment."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from coopac_core import __version__
from coopac_core.config import Settings
from coopac_core.db import Database, current_revision
from coopac_core.errors import DomainError
from coopac_core.security.tokens import decode_token

router = APIRouter(tags=["health"])


class Health(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ok", "version": "0.1.0"}]}
    )

    status: Literal["ok"]
    version: str


class Readiness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "ok", "database": "ok"},
                {
                    "status": "ok",
                    "database": "ok",
                    "migration": "0004",
                    "expected_migration": "0004",
                },
            ]
        }
    )

    status: Literal["ok", "unavailable", "migrations_pending"]
    database: Literal["ok", "unreachable"]
    migration: str | None = None
    expected_migration: str | None = None


@router.get("/health", response_model=Health, summary="The process is alive")
def get_health() -> Health:
    return Health(status="ok", version=__version__)


def _authenticated(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    try:
        decode_token(settings.resolved_secret_key(), token, "access")
    except DomainError:
        return False
    return True


@router.get(
    "/ready",
    response_model=Readiness,
    summary="The database answers and is at the head migration (revisions: with a token)",
    responses={503: {"model": Readiness}},
)
def get_readiness(request: Request) -> JSONResponse:
    database: Database = request.app.state.db
    expected: str | None = request.app.state.head
    try:
        try:
            with database.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError as exc:
            # A pooled connection the server ended while idle (money moves on its own
            # pool, so this one may sit unused through an outage): the pool has now
            # dropped them all; the probe asks about the database, so it asks again.
            if not exc.connection_invalidated:
                raise
            with database.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        revision = current_revision(database.engine)
    except Exception:  # any failure to reach the database means not ready
        body = Readiness(status="unavailable", database="unreachable")
        return JSONResponse(body.model_dump(exclude_none=True), status_code=503)
    ok = revision == expected
    body = Readiness(status="ok" if ok else "migrations_pending", database="ok")
    if _authenticated(request):
        body.migration, body.expected_migration = revision, expected
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if ok else 503)
