"""The stack's own ceiling: pgbench's TPC-B transaction behind the same HTTP stack.

A FastAPI app with one POST that runs pgbench's five statements (update an account, read
it back, update a teller and a branch, insert history) in one transaction through a
SQLAlchemy engine on psycopg, served by uvicorn with the same workers as the service.
Nothing of coopac-core is in it: no auth, no idempotency, no ledger rules. Its rate over
pgbench's says what FastAPI + uvicorn + SQLAlchemy + the Python load generator cost on
this machine before any banking rule runs; the service's rate over this one says what our
own code costs.

    uvicorn --factory floor_app:create_app  (COOPAC_FLOOR_DATABASE_URL = the pgbench db)
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import create_engine, text

TPCB = [
    "UPDATE pgbench_accounts SET abalance = abalance + :d WHERE aid = :a",
    "SELECT abalance FROM pgbench_accounts WHERE aid = :a",
    "UPDATE pgbench_tellers SET tbalance = tbalance + :d WHERE tid = :t",
    "UPDATE pgbench_branches SET bbalance = bbalance + :d WHERE bid = :b",
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
    "VALUES (:t, :b, :a, :d, CURRENT_TIMESTAMP)",
]


class Transaction(BaseModel):
    aid: int
    tid: int
    bid: int
    delta: int


def create_app() -> FastAPI:
    engine = create_engine(os.environ["COOPAC_FLOOR_DATABASE_URL"], pool_size=20, max_overflow=10)
    statements = [text(s) for s in TPCB]
    app = FastAPI()

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

    return app
