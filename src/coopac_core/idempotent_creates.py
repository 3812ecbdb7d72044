"""POSTs that create, safe to retry: with an Idempotency-Key, a retried create (a member, an
account, a loan, a cooperative...) replays the first answer and creates nothing more, with
the money POSTs' semantics (``idempotency.Idempotent``); without one, as before. A
cooperative's keys live with its money keys; the federation's own (a cooperative, a
federation user) belong to no cooperative and have a table of their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, Session, SQLModel

from coopac_core.idempotency import (
    MAX_KEY_LENGTH,
    Answer,
    IdempotencyKeyInvalid,
    Idempotent,
    request_fingerprint,
)
from coopac_core.models_base import created_at_field
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
            return Idempotent(
                session, ctx.cooperative_id, ctx.principal, self.key, self.fingerprint, self.path
            ).run(make, status_code)
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
    """A federation POST that creates, safe to retry as ``Once`` is: the same mechanism,
    under the federation's own keys."""

    def __init__(self, key: str | None, fingerprint: str, path: str) -> None:
        self.key = key
        self.fingerprint = fingerprint
        self.path = path

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
        return Idempotent(session, None, principal, self.key, self.fingerprint, self.path).run(
            make, status_code
        )


async def federation_create_once(
    request: Request,
    key: Annotated[str | None, Depends(optional_idempotency_key)],
    fingerprint: Annotated[str, Depends(request_fingerprint)],
) -> FederationOnce:
    return FederationOnce(key, fingerprint, request.url.path)


FederationCreateOnce = Annotated[FederationOnce, Depends(federation_create_once)]
