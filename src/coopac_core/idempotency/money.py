"""A money POST as the router sees it (``MoneyRequest``): gathered without touching the
database, then run as one database call (``coopac_money_call``) where the database holds
the whole operation (a deposit, a transfer, a share payment), whoever calls, or else in
the service's transaction (``transaction.Idempotent``)."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from coopac_core import database_rules as rules
from coopac_core import metrics
from coopac_core.channels import origin_json
from coopac_core.config import Settings
from coopac_core.db import Database, DatabaseUnreachable
from coopac_core.errors import (
    PROBLEM_JSON,
    DomainError,
    InvalidInput,
    NotAuthenticated,
    problem_body,
)
from coopac_core.idempotency.keys import (
    REPLAY_HEADER,
    Answer,
    IdempotencyKeyInProgress,
    idempotency_key_header,
    request_fingerprint,
)
from coopac_core.idempotency.transaction import Idempotent
from coopac_core.observability import request_id_var
from coopac_core.security.deps import (
    ACCESS,
    Access,
    CooperativeId,
    api_key_scheme,
    authenticate_in,
    enter_cooperative,
    oauth2_scheme,
)
from coopac_core.security.errors import PasswordChangeRequired
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import ANY_BRANCH, Role
from coopac_core.security.tokens import api_key_credential, decode_token

MoneyOperation = Callable[[Session, CoopContext], Answer]

# What an unreachable database raises on the one-call path: the socket, a connection the
# server ended or one the driver can no longer use.
UNREACHABLE = (OSError, asyncpg.InterfaceError, asyncpg.InternalClientError)
POOL_TIMEOUT = 30.0  # seconds, as SQLAlchemy's pool_timeout


class ConnectionLost(Exception):
    """The one-call path lost its connection (or could not get one)."""


def _outage(exc: asyncpg.PostgresError) -> bool:
    """A connection the server ended or will not give now (a restart, a shutdown: 08, 57
    but a statement timeout) or is out of (53): the database, not the request."""
    state: str = exc.sqlstate
    return state[:2] in ("08", "53", "57") and state != "57014"


RACED = "KC001"  # coopac_money_call: another request with the same key committed first
MONEY_CALL = (
    "SELECT status, body::text AS body, replayed FROM coopac_money_call($1::jsonb, $2, $3, "
    "$4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12::jsonb)"
)
MONEY_BATCH = "SELECT coopac_money_batch($1::jsonb, $2, $3, $4, $5, $6::jsonb, $7::jsonb)::text"
# whose the key is, as the refused call found it: the caller is checked again
KEEP_ANSWER = (
    "SELECT status, body::text AS body, replayed FROM coopac_keep_answer($1, $2, $3, "
    "coopac_idempotency_actor(coopac_money_caller($4::jsonb, $1, $5, $6, $7)), $8, $9::jsonb)"
)


@dataclass(frozen=True)
class BatchOperation:
    """One operation of a batch, as the request it stands for."""

    key: str
    fingerprint: str
    path: str
    operation: str
    args: dict[str, Any]
    origin: dict[str, Any]


# An operation's answer (status, body as JSON text, replayed), a caller's refusal, or None
# (asked alone again).
BatchOutcome = tuple[int, str, bool] | DomainError | None


def _count(operation: str, answer: Response) -> None:
    if answer.headers.get(REPLAY_HEADER) == "true":
        outcome = "replayed"
    else:
        outcome = "refused" if answer.status_code >= 400 else "done"
    metrics.MONEY_OPERATIONS.labels(operation, outcome).inc()


class MoneyRequest:
    """A money POST, gathered without touching the database. ``run`` then does all of it
    (authentication, the cooperative's scope, the key's claim, the operation and the
    commit) in one trip to the thread pool: FastAPI would send each database dependency
    there on its own, and on the hottest endpoints those trips cost more than the SQL.
    The commit happens before the response exists, as for every other request."""

    def __init__(
        self,
        request: Request,
        cooperative_id: uuid.UUID,
        allowed: frozenset[Role],
        token: str | None,
        api_key: str | None,
        key: str,
        fingerprint: str,
    ) -> None:
        self.app_state = request.app.state
        self.db: Database = request.app.state.db
        self.settings: Settings = request.app.state.settings
        self.path = request.url.path
        # what /metrics counts it as: the route's name (deposit, withdraw, repay_loan...)
        self.operation = str(getattr(request.scope.get("route"), "name", "unknown"))
        self.cooperative_id = cooperative_id
        self.allowed = allowed
        self.token = token
        self.api_key = api_key
        self.key = key
        self.fingerprint = fingerprint

    async def authorize(self) -> None:
        """Refuse, as a whole, a caller who may not do these operations at all."""

        def check() -> None:
            with self.db.session() as session:
                principal = authenticate_in(session, self.settings, self.token, self.api_key)
                enter_cooperative(session, self.cooperative_id, principal, self.allowed, money=True)

        await run_in_threadpool(check)

    def for_operation(self, key: str, fingerprint: str, path: str) -> MoneyRequest:
        """The same caller's request for another operation (one of a sync batch's): its
        own key, fingerprint and path, as if it were sent alone."""
        other = copy.copy(self)
        other.key = key
        other.fingerprint = fingerprint
        other.path = path
        return other

    async def run(self, operation: MoneyOperation, status_code: int = 201) -> JSONResponse:
        try:
            answer = await run_in_threadpool(self._run, operation, status_code)
        except DomainError:
            metrics.MONEY_OPERATIONS.labels(self.operation, "refused").inc()
            raise
        _count(self.operation, answer)
        return answer

    def credential(self) -> str:
        """The caller as the database checks them (``coopac_money_caller``): a session's
        user and version, or an API key."""
        if self.token:
            claims = decode_token(self.settings.resolved_secret_key(), self.token, "access")
            if claims.password_change_required:
                raise PasswordChangeRequired()
            return json.dumps({"user": str(claims.user_id), "version": claims.version})
        assert self.api_key is not None  # the dependency refuses a request with neither
        return json.dumps(api_key_credential(self.api_key))

    def origin(self) -> dict[str, Any]:
        return origin_json(by_api_key=not self.token)

    async def call(
        self, operation: str, args: dict[str, Any], check: Callable[[], object] | None = None
    ) -> Response:
        """The whole money POST as one database call (``coopac_money_call``): the caller
        (a session or an API key) and their roles, the cooperative's scope, the key's claim
        or replay, the operation ``operation`` with ``args``, its answer kept with the key.
        No thread pool, one round trip. ``check``: the service's own checks of the request
        (an amount of zero), whose refusal is kept as the key's answer too."""
        pool: asyncpg.Pool = self.app_state.money_pool
        credential = self.credential()
        refused: DomainError | None = None
        if check is not None:
            try:
                check()
            except DomainError as exc:
                refused = exc
        params = (
            credential,
            self.cooperative_id,
            sorted(self.allowed),
            sorted(ANY_BRANCH),
            self.key,
            self.fingerprint,
            request_id_var.get(),
            operation,
            json.dumps({**args, "origin": self.origin()}),
            rules.policy_json(),
            refused.status if refused else None,
            json.dumps(self._problem(refused)) if refused else None,
        )
        try:
            row = await self._attempt(pool, credential, params)
        except ConnectionLost as exc:
            # The server ended a connection (a restart, a cut): this request gets 503 and
            # may be retried with its key; the pool drops every connection it holds, as
            # the engine's pool does on a disconnect, so the next requests find new ones.
            await pool.expire_connections()
            raise DatabaseUnreachable() from exc
        assert row is not None  # the function answers one row
        status, body, replayed = row["status"], row["body"], row["replayed"]
        answer = Response(
            body,
            status_code=status,
            headers={REPLAY_HEADER: "true"} if replayed else None,
            media_type=PROBLEM_JSON if status >= 400 else "application/json",
        )
        _count(self.operation, answer)
        return answer

    async def call_many(self, ops: list[BatchOperation]) -> list[BatchOutcome] | None:
        """Many one-call operations of this caller, in order, in one database call
        (``coopac_money_batch``, sql/functions/): one round trip and one commit for all,
        each operation in a subtransaction of its own under its own key. None when the
        chunk could not run as one (a lock waited on past the timeout): then each goes
        alone. An outcome is the operation's answer (status, body, replayed), a caller's
        refusal (not kept), or None when a request with the same key committed first
        (asked alone, it replays)."""
        pool: asyncpg.Pool = self.app_state.money_pool
        credential = self.credential()
        payload = json.dumps(
            [
                {
                    "key": o.key,
                    "hash": o.fingerprint,
                    "operation": o.operation,
                    "args": {**o.args, "origin": o.origin},
                }
                for o in ops
            ]
        )
        params = (
            credential,
            self.cooperative_id,
            sorted(self.allowed),
            sorted(ANY_BRANCH),
            request_id_var.get(),
            rules.policy_json(),
            payload,
        )
        try:
            async with pool.acquire(timeout=POOL_TIMEOUT) as conn:
                try:
                    raw = await conn.fetchval(MONEY_BATCH, *params)
                except asyncpg.PostgresError as exc:
                    state: str = exc.sqlstate
                    if state == rules.CALLER_REFUSED:
                        raise rules.refusal(exc.message, exc.detail) from None
                    if _outage(exc):
                        conn.terminate()
                        raise ConnectionLost() from exc
                    return None  # a lock timeout, a statement timeout: each alone
                except BaseException:
                    conn.terminate()
                    raise
                outcomes: list[BatchOutcome] = []
                for op, found in zip(ops, json.loads(raw), strict=True):
                    outcomes.append(await self._batch_outcome(conn, credential, op, found))
                return outcomes
        except ConnectionLost as exc:
            await pool.expire_connections()
            raise DatabaseUnreachable() from exc
        except TimeoutError as exc:
            raise DatabaseUnreachable() from exc
        except UNREACHABLE as exc:
            await pool.expire_connections()
            raise DatabaseUnreachable() from exc
        except asyncpg.PostgresError as exc:  # refused a connection: starting or stopping
            if not _outage(exc):
                raise
            await pool.expire_connections()
            raise DatabaseUnreachable() from exc

    async def _batch_outcome(
        self,
        conn: asyncpg.pool.PoolConnectionProxy[asyncpg.Record],
        credential: str,
        op: BatchOperation,
        found: dict[str, Any],
    ) -> BatchOutcome:
        if "status" in found:
            return (found["status"], json.dumps(found["body"]), found["replayed"])
        if "caller_refusal" in found:
            return rules.refusal(found["caller_refusal"], found["detail"])
        if found.get("raced"):
            return None
        # the operation's rules refused it: that answer is kept with its key, in the words
        # the service gives it (a transaction of its own: the chunk committed without it)
        error = rules.refusal(found["refusal"], found["detail"])
        body = problem_body(
            error.status,
            error.code,
            error.detail,
            instance=op.path,
            request_id=request_id_var.get(),
            extra=error.extra,
        )
        try:
            row = await conn.fetchrow(
                KEEP_ANSWER, *self._keep_params(credential, op.key, op.fingerprint, error, body)
            )
        except asyncpg.PostgresError as again:
            if again.sqlstate == rules.CALLER_REFUSED:
                return rules.refusal(again.message, again.detail)
            raise
        assert row is not None  # the function answers one row
        return (row["status"], row["body"], row["replayed"])

    async def _attempt(
        self, pool: asyncpg.Pool, credential: str, params: tuple[Any, ...]
    ) -> asyncpg.Record | None:
        try:
            # as long as the engine's pool waits for a connection before answering 503
            async with pool.acquire(timeout=POOL_TIMEOUT) as conn:
                try:
                    try:
                        return await conn.fetchrow(MONEY_CALL, *params)
                    except asyncpg.PostgresError as exc:
                        if exc.sqlstate != RACED:
                            raise
                        # a request with the same key committed first: this one's work was
                        # undone; called again, it replays that one's answer
                        return await conn.fetchrow(MONEY_CALL, *params)
                except asyncpg.PostgresError as exc:
                    return await self._refused(conn, credential, exc)
                except BaseException:
                    # cut, cancelled or broken mid-call: the pool must not hand it out again
                    conn.terminate()
                    raise
        except TimeoutError as exc:  # every connection busy for that long: not a lost one
            raise DatabaseUnreachable() from exc
        except UNREACHABLE as exc:
            raise ConnectionLost() from exc
        except asyncpg.PostgresError as exc:  # refused a connection: starting or stopping
            if not _outage(exc):
                raise
            raise ConnectionLost() from exc

    def _problem(self, exc: DomainError) -> dict[str, Any]:
        return problem_body(
            exc.status, exc.code, exc.detail, instance=self.path, request_id=request_id_var.get()
        )

    def _keep_params(
        self, credential: str, key: str, fingerprint: str, error: DomainError, body: object
    ) -> tuple[Any, ...]:
        return (
            self.cooperative_id,
            key,
            fingerprint,
            credential,
            sorted(self.allowed),
            sorted(ANY_BRANCH),
            request_id_var.get(),
            error.status,
            json.dumps(body),
        )

    async def _refused(
        self,
        conn: asyncpg.pool.PoolConnectionProxy[asyncpg.Record],
        credential: str,
        exc: asyncpg.PostgresError,
    ) -> asyncpg.Record:
        """A failed call: the caller's refusal is raised, the operation's is kept as the
        key's answer (the call rolled back: a transaction of its own), and the rest is an
        outage, a value PostgreSQL refused, or a bug."""
        state: str = exc.sqlstate
        if state == "57014":  # query_canceled: the statement timeout; the connection is fine
            raise DatabaseUnreachable() from exc
        if state[:2] in ("08", "53", "57"):  # connection, resources, shutdown
            conn.terminate()
            raise ConnectionLost() from exc
        if state == rules.CALLER_REFUSED:
            raise rules.refusal(exc.message, exc.detail) from None
        if state == "55P03":
            # lock_not_available: a lock held past lock_timeout, by the first request with
            # this key or one on the same account; either way, retrying with the key is right
            raise IdempotencyKeyInProgress() from None
        if state[:2] == "22":  # a value of the request PostgreSQL refused
            raise InvalidInput() from None
        if state != rules.REFUSED:
            raise exc
        error = rules.refusal(exc.message, exc.detail)
        try:
            row = await conn.fetchrow(
                KEEP_ANSWER,
                *self._keep_params(
                    credential, self.key, self.fingerprint, error, self._problem(error)
                ),
            )
        except asyncpg.PostgresError as again:
            if again.sqlstate == rules.CALLER_REFUSED:
                raise rules.refusal(again.message, again.detail) from None
            conn.terminate()
            raise
        except BaseException:
            conn.terminate()
            raise
        assert row is not None  # the function answers one row
        return row

    def _run(self, operation: MoneyOperation, status_code: int) -> JSONResponse:
        with self.db.session() as session:  # committed when the block ends
            principal = authenticate_in(session, self.settings, self.token, self.api_key)
            ctx = enter_cooperative(
                session, self.cooperative_id, principal, self.allowed, money=True
            )
            idem = Idempotent(
                session, ctx.cooperative_id, ctx.principal, self.key, self.fingerprint, self.path
            )
            response = idem.run(lambda: operation(session, ctx), status_code)
        return response


def idempotent(allowed: Iterable[Role]) -> Callable[..., Awaitable[MoneyRequest]]:
    """The dependency of a money POST by a caller holding one of ``allowed``."""
    roles = frozenset(allowed)

    async def dependency(
        request: Request,
        cooperative_id: CooperativeId,
        token: Annotated[str | None, Depends(oauth2_scheme)],
        api_key: Annotated[str | None, Depends(api_key_scheme)],
        key: Annotated[str, Depends(idempotency_key_header)],
        fingerprint: Annotated[str, Depends(request_fingerprint)],
    ) -> MoneyRequest:
        if not token and not api_key:
            raise NotAuthenticated()
        return MoneyRequest(request, cooperative_id, roles, token, api_key, key, fingerprint)

    # ledger.post_entry refuses them in a deactivated cooperative
    ACCESS[dependency] = Access(roles, money=True, refused_while_inactive=True)
    return dependency


def money_caller(allowed: Iterable[Role]) -> Callable[..., Awaitable[MoneyRequest]]:
    """The dependency of a POST that carries many money operations, each with its own key
    (a sync batch): the caller, gathered as for one; ``for_operation`` makes each one's."""
    roles = frozenset(allowed)

    async def dependency(
        request: Request,
        cooperative_id: CooperativeId,
        token: Annotated[str | None, Depends(oauth2_scheme)],
        api_key: Annotated[str | None, Depends(api_key_scheme)],
    ) -> MoneyRequest:
        if not token and not api_key:
            raise NotAuthenticated()
        return MoneyRequest(request, cooperative_id, roles, token, api_key, "", "")

    ACCESS[dependency] = Access(roles, money=True, refused_while_inactive=True)
    return dependency
