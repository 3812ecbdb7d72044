"""The key claimed in the service's own transaction, first: a retry racing the first request
blocks on the key's unique index until the first commits (then replays) or rolls back (then
runs). The keys are kept and compared by the database functions the one-call path uses
(``coopac_keep_answer``, ``coopac_kept_answer``, ``coopac_idempotency_actor``): one rule for
whose a key is and when it replays, whichever path runs the operation."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import Row, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from coopac_core import database_rules as rules
from coopac_core.db import ALL_TENANTS, set_tenant_scope
from coopac_core.errors import PROBLEM_JSON, DomainError, problem_body
from coopac_core.idempotency.keys import REPLAY_HEADER, Answer, IdempotencyKeyInProgress
from coopac_core.observability import request_id_var
from coopac_core.security.principal import Principal

KEEP = text(
    "SELECT status, body, replayed FROM coopac_keep_answer(:c, :k, :h, "
    "coopac_idempotency_actor(CAST(:a AS jsonb)), :s, CAST(:b AS jsonb))"
)
ANSWER = text("SELECT coopac_answer_claimed(:c, :k, :s, CAST(:b AS jsonb))")


class Idempotent:
    """Runs an operation at most once per key: a cooperative's (money, or a create), or
    the federation's own when ``cooperative_id`` is None."""

    def __init__(
        self,
        session: Session,
        cooperative_id: uuid.UUID | None,
        principal: Principal,
        key: str,
        fingerprint: str,
        path: str,
    ) -> None:
        self.session = session
        self.cooperative_id = cooperative_id
        self.key = key
        self.fingerprint = fingerprint
        self.path = path
        self.actor = json.dumps(
            {
                "person": str(principal.person_id) if principal.person_id else None,
                "api_key": str(principal.api_key_id) if principal.api_key_id else None,
                "name": principal.name,
            }
        )

    def _keep(self, status: int, body: dict[str, Any]) -> Row[Any]:
        """Keep ``body`` under the key, or answer the one kept already."""
        params = {
            "c": self.cooperative_id,
            "k": self.key,
            "h": self.fingerprint,
            "a": self.actor,
            "s": status,
            "b": json.dumps(body),
        }
        try:
            with rules.refusals():
                row = self.session.execute(KEEP, params).one()
        except OperationalError as exc:
            # 55P03 lock_not_available: the first request still holds the key
            if getattr(exc.orig, "sqlstate", None) == "55P03":
                raise IdempotencyKeyInProgress() from None
            raise
        return row

    def run(self, operation: Callable[[], Answer], status_code: int = 201) -> JSONResponse:
        """``operation`` answers a model (sent with ``status_code``) or, when the outcome
        decides the status (done now, or waiting for a second person), a (model, status)."""
        claimed = self._keep(0, {})
        if claimed.replayed:
            return _replay(claimed)
        try:
            result = operation()
        except DomainError as exc:
            return self._refuse(exc)
        if isinstance(result, tuple):
            result, status_code = result
        body = result.model_dump(mode="json", by_alias=True)
        # a secret the answer shows once (an activation code) is not kept for a replay
        kept = {**body, **{k: None for k in getattr(result, "shown_once", ())}}
        self.session.execute(
            ANSWER,
            {"c": self.cooperative_id, "k": self.key, "s": status_code, "b": json.dumps(kept)},
        )
        return JSONResponse(body, status_code=status_code)

    def _refuse(self, exc: DomainError) -> JSONResponse:
        """Undo everything the operation did, then keep its refusal as the key's answer."""
        self.session.rollback()
        set_tenant_scope(self.session, self.cooperative_id or ALL_TENANTS)
        body = problem_body(
            exc.status,
            exc.code,
            exc.detail,
            instance=self.path,
            request_id=request_id_var.get(),
            extra=exc.extra,
        )
        kept = self._keep(exc.status, body)
        if kept.replayed:
            return _replay(kept)
        return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON)


def _replay(kept: Row[Any]) -> JSONResponse:
    return JSONResponse(
        kept.body,
        status_code=kept.status,
        headers={REPLAY_HEADER: "true"},
        media_type=PROBLEM_JSON if kept.status >= 400 else None,
    )
