"""The stack's own ceiling: pgbench's TPC-B transaction behind the same HTTP stack.

A FastAPI app with two POSTs that run pgbench's five statements (update an account, read
it back, update a teller and a branch, insert history), served by uvicorn with the same
workers as the service. Nothing of coopac-core is in it: no auth, no idempotency, no
ledger rules.
- ``/tpcb``: a sync endpoint, SQLAlchemy on psycopg in the thread pool, five statements in
  one transaction (how most of the service's routes reach the database);
- ``/tpcb-one``: an async endpoint, asyncpg, the five statements as one statement (how the
  service's money POSTs reach it: one call).
Their rates over pgbench's say what FastAPI + uvicorn + the driver cost on this machine
before any banking rule runs; the service's rate over ``/tpcb-one`` says what our own code
and rules cost.

    uvicorn --factory floor_app:create_app  (COOPAC_FLOOR_DATABASE_URL = the pgbench db)
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Request
from pydantic import BaseModel
from sqlalchemy import create_engine, make_url, text

TPCB = [
    "UPDATE pgbench_accounts SET abalance = abalance + :d WHERE aid = :a",
    "SELECT abalance FROM pgbench_accounts WHERE aid = :a",
    "UPDATE pgbench_tellers SET tbalance = tbalance + :d WHERE tid = :t",
    "UPDATE pgbench_branches SET bbalance = bbalance + :d WHERE bid = :b",
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
    "VALUES (:t, :b, :a, :d, CURRENT_TIMESTAMP)",
]
TPCB_ONE = (
    "WITH a AS (UPDATE pgbench_accounts SET abalance = abalance + $4 WHERE aid = $1 "
    "RETURNING abalance), "
    "t AS (UPDATE pgbench_tellers SET tbalance = tbalance + $4 WHERE tid = $2), "
    "b AS (UPDATE pgbench_branches SET bbalance = bbalance + $4 WHERE bid = $3), "
    "h AS (INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
    "VALUES ($2, $3, $1, $4, CURRENT_TIMESTAMP)) "
    "SELECT abalance FROM a"
)


class Transaction(BaseModel):
    aid: int
    tid: int
    bid: int
    delta: int


def create_app() -> FastAPI:
    url = os.environ["COOPAC_FLOOR_DATABASE_URL"]
    engine = create_engine(url, pool_size=20, max_overflow=10)
    statements = [text(s) for s in TPCB]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        u = make_url(url)
        app.state.pool = await asyncpg.create_pool(
            host=u.host, port=u.port, user=u.username, password=u.password,
            database=u.database, min_size=0, max_size=20,
        )  # fmt: skip
        yield
        await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/tpcb", status_code=201)
    def tpcb(body: Transaction) -> dict[str, int]:
        params = {"a": body.aid, "t": body.tid, "b": body.bid, "d": body.delta}
        with engine.begin() as conn:
            balance = 0
            for stmt in statements:
                result = conn.execute(stmt, params)
                if result.returns_rows:
                    balance = result.scalar_one()
        return {"aid": body.aid, "abalance": balance}

    @app.post("/tpcb-one", status_code=201)
    async def tpcb_one(body: Transaction, request: Request) -> dict[str, int]:
        async with request.app.state.pool.acquire() as conn:
            balance = await conn.fetchval(TPCB_ONE, body.aid, body.tid, body.bid, body.delta)
        return {"aid": body.aid, "abalance": balance}

    return app
