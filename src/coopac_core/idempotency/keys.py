"""An Idempotency-Key: how it is read from a request, the row that keeps its answer, the
refusals about it, and how long it is kept."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Header, Request
from pydantic import BaseModel
from sqlalchemy import Column, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, Session, SQLModel

from coopac_core.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Unprocessable,
)
from coopac_core.models_base import created_at_field

MAX_KEY_LENGTH = 200
REPLAY_HEADER = "Idempotent-Replayed"
# How long a key is remembered: a retry within it replays the first answer. Close of
# business removes older keys (``expire_keys``); a retry after that is a new request. A
# teller's retry comes within seconds, a nightly script's within a day: 30 days is ample.
RETENTION = timedelta(days=30)


class IdempotencyKeyRequired(BadRequest):
    code = "idempotency_key_required"
    template = "Falta la cabecera Idempotency-Key en una operación con dinero"


class IdempotencyKeyInvalid(BadRequest):
    code = "idempotency_key_invalid"
    template = "Idempotency-Key demasiado larga (máximo {limit} caracteres)"


class IdempotencyKeyInProgress(Conflict):
    code = "idempotency_key_in_progress"
    template = "Una solicitud con la misma Idempotency-Key aún está en curso; reintente"
    meaning = "Retry with the same key: it answers once the first request ends."


class IdempotencyKeyReused(Unprocessable):
    code = "idempotency_key_reused"
    template = "La Idempotency-Key ya se usó con otra solicitud"
    meaning = "The key was used before with another body, path or caller."


IDEMPOTENCY_ERRORS: tuple[type[DomainError], ...] = (
    IdempotencyKeyRequired,
    IdempotencyKeyInvalid,
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
)


# What a money operation answers: its model, or its model and the status it decided.
Answer = BaseModel | tuple[BaseModel, int]


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_key"
    __table_args__ = (Index("ix_idempotency_key_created", "cooperative_id", "created_at"),)

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    key: str = Field(max_length=MAX_KEY_LENGTH, primary_key=True)
    request_hash: str = Field(max_length=64)
    actor: str = Field(max_length=100)
    response_status: int
    response_body: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = created_at_field()


async def request_fingerprint(request: Request) -> str:
    """Method, path and the body's JSON (keys sorted), hashed: the same request retried
    has the same fingerprint however its client serialises it."""
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw else None
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    except ValueError:
        canonical = raw.decode("latin-1")
    material = f"{request.method} {request.url.path}\n{canonical}"
    return hashlib.sha256(material.encode()).hexdigest()


async def idempotency_key_header(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Required: a unique key per money movement (a UUID is ideal). "
            "Retrying with the same key and body returns the first response again. A key "
            "is remembered for 30 days; close of business forgets older ones.",
        ),
    ] = None,
) -> str:
    if idempotency_key is None or not idempotency_key.strip():
        raise IdempotencyKeyRequired()
    key = idempotency_key.strip()
    if len(key) > MAX_KEY_LENGTH:
        raise IdempotencyKeyInvalid(limit=MAX_KEY_LENGTH)
    return key


def expire_keys(session: Session, cooperative_id: uuid.UUID, now: datetime) -> int:
    """Forget the cooperative's keys older than RETENTION; how many. Through a function of
    the schema's owner: the service's role may not delete keys (migration 0011)."""
    removed: int = session.execute(
        text("SELECT coopac_expire_idempotency_keys(:c, :before)"),
        {"c": cooperative_id, "before": now - RETENTION},
    ).scalar_one()
    return removed
