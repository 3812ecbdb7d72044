"""The key claimed in the service's own transaction, first: a retry racing the first request
blocks on the key's unique index until the first commits (then replays) or rolls back (then
runs)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from coopac_core.db import set_tenant_scope
from coopac_core.errors import (
    PROBLEM_JSON,
    DomainError,
    problem_body,
)
from coopac_core.idempotency.keys import (
    REPLAY_HEADER,
    Answer,
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
    IdempotencyRecord,
)
from coopac_core.observability import request_id_var
from coopac_core.security.principal import CoopContext


class Idempotent:
    """Runs a money operation at most once per key."""

    def __init__(
        self, session: Session, ctx: CoopContext, key: str, fingerprint: str, path: str
    ) -> None:
        self.session = session
        self.ctx = ctx
        self.key = key
        self.fingerprint = fingerprint
        self.path = path

    def _actor(self) -> str:
        p = self.ctx.principal
        return str(p.user_id or p.api_key_id or p.name)

    def _claim(self, status: int = 0, body: dict[str, Any] | None = None) -> bool:
        """Insert the key; False if another request holds it already."""
        try:
            claimed = self.session.execute(
                text(
                    "INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor, "
                    "response_status, response_body) "
                    "VALUES (:c, :k, :h, :a, :s, CAST(:b AS jsonb)) "
                    "ON CONFLICT (cooperative_id, key) DO NOTHING RETURNING key"
                ),
                {
                    "c": self.ctx.cooperative_id,
                    "k": self.key,
                    "h": self.fingerprint,
                    "a": self._actor(),
                    "s": status,
                    "b": json.dumps(body or {}),
                },
            ).first()
        except OperationalError as exc:
            # 55P03 lock_not_available: the first request still holds the key
            if getattr(exc.orig, "sqlstate", None) == "55P03":
                raise IdempotencyKeyInProgress() from None
            raise
        return claimed is not None

    def run(self, operation: Callable[[], Answer], status_code: int = 201) -> JSONResponse:
        """``operation`` answers a model (sent with ``status_code``) or, when the outcome
        decides the status (done now, or waiting for a second person), a (model, status)."""
        if not self._claim():
            return self._replay()
        try:
            result = operation()
        except DomainError as exc:
            return self._refuse(exc)
        if isinstance(result, tuple):
            result, status_code = result
        body = result.model_dump(mode="json", by_alias=True)
        self.session.execute(
            text(
                "UPDATE idempotency_key SET response_status = :s, "
                "response_body = CAST(:b AS jsonb) WHERE cooperative_id = :c AND key = :k"
            ),
            {"s": status_code, "b": json.dumps(body), "c": self.ctx.cooperative_id, "k": self.key},
        )
        return JSONResponse(body, status_code=status_code)

    def _refuse(self, exc: DomainError) -> JSONResponse:
        """Undo everything the operation did, then keep its refusal as the key's answer."""
        self.session.rollback()
        set_tenant_scope(self.session, self.ctx.cooperative_id)
        body = problem_body(
            exc.status,
            exc.code,
            exc.detail,
            instance=self.path,
            request_id=request_id_var.get(),
            extra=exc.extra,
        )
        if not self._claim(exc.status, body):
            return self._replay()
        return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON)

    def _replay(self) -> JSONResponse:
        row = self.session.get(IdempotencyRecord, (self.ctx.cooperative_id, self.key))
        if row is None:  # pragma: no cover - the conflicting row is committed by definition
            raise IdempotencyKeyInProgress()
        if row.request_hash != self.fingerprint or row.actor != self._actor():
            raise IdempotencyKeyReused()
        return JSONResponse(
            row.response_body,
            status_code=row.response_status,
            headers={REPLAY_HEADER: "true"},
            media_type=PROBLEM_JSON if row.response_status >= 400 else None,
        )
