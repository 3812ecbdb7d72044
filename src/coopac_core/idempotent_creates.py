"""POSTs that create, safe to retry: with an Idempotency-Key, a retried create (a member, an
account, a loan, a cooperative...) replays the first answer and creates nothing more, with
the money POSTs' semantics (``idempotency.Idempotent``); without one, as before. A
cooperative's keys live with its money keys; the federation's own (a cooperative, a
federation user) belong to no cooperative and have a table of their own."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Column, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import OperationalError
from sqlmodel import Field, Session, SQLModel

from coopac_core.db import ALL_TENANTS, set_tenant_scope
from coopac_core.errors import PROBLEM_JSON, DomainError, problem_body
from coopac_core.idempotency import (
    MAX_KEY_LENGTH,
    REPLAY_HEADER,
    Answer,
    IdempotencyKeyInProgress,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    Idempotent,
    request_fingerprint,
)
from coopac_core.models_base import created_at_field
from coopac_core.observability import request_id_var
from coopac_core.security.principal import CoopContext, Principal


class FederationIdempotencyRecord(SQLModel, table=True):
    """The keys of the federation's own creating POSTs (a cooperative, a federation user):
    they belong to no cooperative, so they cannot live with a cooperative's keys."""

    __tablename__ = "federation_idempotency_key"

    key: str = Field(max_length=MAX_KEY_LENGTH, primary_key=True)
    request_hash: str = Field(max_length=64)
    actor: str = Field(max_length=100)
    response_status: int
    response_body: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = created_at_field()


async def optional_idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Optional: makes the request safe to retry. Retrying with the same "
            "key and body returns the first response again and creates nothing more.",
        ),
    ] = None,
) -> str | None:
    if idempotency_key is None or not idempotency_key.strip():
        return None
    key = idempotency_key.strip()
    if len(key) > MAX_KEY_LENGTH:
        raise IdempotencyKeyInvalid(limit=MAX_KEY_LENGTH)
    return key


class Once:
    """A POST that creates (a member, an account, a loan...), safe to retry: with an
    Idempotency-Key, the same semantics as a money POST (the key claimed in the request's
    transaction, the answer kept with it, a retry replays it); without one, as before."""

    def __init__(self, key: str | None, fingerprint: str, path: str) -> None:
        self.key = key
        self.fingerprint = fingerprint
        self.path = path

    def run(
        self,
        session: Session,
        ctx: CoopContext,
        make: Callable[[], Answer],
        status_code: int = 201,
    ) -> JSONResponse:
        if self.key is not None:
            return Idempotent(session, ctx, self.key, self.fingerprint, self.path).run(
                make, status_code
            )
        result = make()
        if isinstance(result, tuple):
            result, status_code = result
        return JSONResponse(result.model_dump(mode="json", by_alias=True), status_code=status_code)


async def create_once(
    request: Request,
    key: Annotated[str | None, Depends(optional_idempotency_key)],
    fingerprint: Annotated[str, Depends(request_fingerprint)],
) -> Once:
    return Once(key, fingerprint, request.url.path)


CreateOnce = Annotated[Once, Depends(create_once)]


class FederationOnce:
    """A federation POST that creates, safe to retry as ``Once`` is (its keys apart)."""

    def __init__(self, key: str | None, fingerprint: str, path: str) -> None:
        self.key = key
        self.fingerprint = fingerprint
        self.path = path

    def _claim(
        self, session: Session, actor: str, status: int = 0, body: dict[str, Any] | None = None
    ) -> bool:
        try:
            claimed = session.execute(
                text(
                    "INSERT INTO federation_idempotency_key (key, request_hash, actor, "
                    "response_status, response_body) VALUES (:k, :h, :a, :s, CAST(:b AS jsonb)) "
                    "ON CONFLICT (key) DO NOTHING RETURNING key"
                ),
                {
                    "k": self.key,
                    "h": self.fingerprint,
                    "a": actor,
                    "s": status,
                    "b": json.dumps(body or {}),
                },
            ).first()
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == "55P03":
                raise IdempotencyKeyInProgress() from None
            raise
        return claimed is not None

    def _replay(self, session: Session, actor: str) -> JSONResponse:
        row = session.get(FederationIdempotencyRecord, self.key)
        if row is None:  # pragma: no cover - the conflicting row is committed by definition
            raise IdempotencyKeyInProgress()
        if row.request_hash != self.fingerprint or row.actor != actor:
            raise IdempotencyKeyReused()
        return JSONResponse(
            row.response_body,
            status_code=row.response_status,
            headers={REPLAY_HEADER: "true"},
            media_type=PROBLEM_JSON if row.response_status >= 400 else None,
        )

    def run(
        self,
        session: Session,
        principal: Principal,
        make: Callable[[], BaseModel],
        status_code: int = 201,
    ) -> JSONResponse:
        if self.key is None:
            result = make()
            return JSONResponse(result.model_dump(mode="json", by_alias=True), status_code)
        actor = str(principal.user_id or principal.api_key_id or principal.name)
        if not self._claim(session, actor):
            return self._replay(session, actor)
        try:
            result = make()
        except DomainError as exc:
            session.rollback()
            set_tenant_scope(session, ALL_TENANTS)
            body = problem_body(
                exc.status, exc.code, exc.detail, instance=self.path,
                request_id=request_id_var.get(), extra=exc.extra,
            )  # fmt: skip
            if not self._claim(session, actor, exc.status, body):
                return self._replay(session, actor)
            return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON)
        body = result.model_dump(mode="json", by_alias=True)
        session.execute(
            text(
                "UPDATE federation_idempotency_key SET response_status = :s, "
                "response_body = CAST(:b AS jsonb) WHERE key = :k"
            ),
            {"s": status_code, "b": json.dumps(body), "k": self.key},
        )
        return JSONResponse(body, status_code=status_code)


async def federation_create_once(
    request: Request,
    key: Annotated[str | None, Depends(optional_idempotency_key)],
    fingerprint: Annotated[str, Depends(request_fingerprint)],
) -> FederationOnce:
    return FederationOnce(key, fingerprint, request.url.path)


FederationCreateOnce = Annotated[FederationOnce, Depends(federation_create_once)]
