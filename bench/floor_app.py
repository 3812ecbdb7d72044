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

With ``COOPAC_FLOOR_COOPAC_URL`` (a coopac-core database, as the service's role, prepared by
``bench/money_call.py --http``), four more, each one statement on a pooled connection:
- ``/deposit-floor``: the rows a cash deposit writes (``DEPOSIT_FLOOR``), and no
  rule: what any design of the deposit that keeps these rows pays at least, HTTP included;
- ``/deposit-core``: of those, only what any double-entry deposit with a retry key writes
  (no receipt, no day total, no event);
- ``/transfer-floor``: the rows a transfer between two accounts writes (``TRANSFER_FLOOR``);
- ``/money-call``: the deposit as the service sends it to the database
  (``coopac_money_call``: caller, key, rules, kept answer), without the service's Python.

    uvicorn --factory floor_app:create_app  (COOPAC_FLOOR_DATABASE_URL = the pgbench db)
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Request, Response
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


# The core of a cash deposit: what any double-entry deposit with a retry key writes (the
# key with its answer, the account's and the till's balances, the entry and its two
# lines), as one statement whose every value is a parameter: $1 cooperative, $2 branch,
# $3 teller, $4 till session, $5 till, $6 business day, $7 account, $8 idempotency key.
# The triggers of posting, journal_entry and event are off while it runs.
CORE_ROWS = """
a AS (UPDATE savings_account s SET balance = s.balance + 1.00
  WHERE s.cooperative_id = $1 AND s.id = $7 RETURNING s.id, s.balance, s.gl_account_id),
c AS (UPDATE till_cash c SET balance = c.balance + 1.00
  WHERE c.cooperative_id = $1 AND c.till_id = $5 AND c.currency = 'PEN'
  RETURNING c.gl_account_id),
e AS (INSERT INTO journal_entry (cooperative_id, id, kind, branch_id, business_date,
  value_date, description, actor_user_id, actor_name, request_id, channel, till_session_id)
  VALUES ($1, gen_random_uuid(), 'deposit', $2, $6, $6, 'Depósito en efectivo', $3,
  'p.cajero', 'r', 'counter', $4) RETURNING id),
p AS (INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount,
  account_kind, account_id, balance_after, business_date, value_date)
  SELECT $1, e.id, c.gl_account_id, 'PEN', 1.00, NULL, NULL, NULL, $6, $6 FROM e, c
  UNION ALL SELECT $1, e.id, a.gl_account_id, 'PEN', -1.00, 'savings', a.id, a.balance,
  $6, $6 FROM e, a),
k AS (INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor,
  response_status, response_body)
  SELECT $1, $8, 'h', $3::uuid::text, 201, jsonb_build_object('journal_entry_id', e.id,
  'account_id', a.id, 'amount', '1.00', 'balance', a.balance::text,
  'description', 'Depósito en efectivo') FROM e, a)"""
# What the counter and the integrations add to it: the receipt and its series ($9 the
# series), the teller's day total and the event.
COUNTER_ROWS = """
rs AS (INSERT INTO receipt_series AS r (cooperative_id, branch_id, series, last_number)
  VALUES ($1, $2, $9, 1) ON CONFLICT (cooperative_id, branch_id, series)
  DO UPDATE SET last_number = r.last_number + 1 RETURNING r.last_number),
rc AS (INSERT INTO receipt (cooperative_id, number, branch_id, series, sequence,
  journal_entry_id, till_session_id)
  SELECT $1, 'A-' || $9::text || '-' || lpad(rs.last_number::text, 8, '0'), $2, $9,
  rs.last_number, e.id, $4 FROM rs, e),
d AS (INSERT INTO operation_day_total AS o (cooperative_id, person_id, business_date, kind,
  currency, amount) VALUES ($1, $3, $6, 'deposit', 'PEN', 0)
  ON CONFLICT (cooperative_id, person_id, business_date, kind, currency)
  DO UPDATE SET amount = o.amount + excluded.amount),
v AS (INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, entry_id,
  business_date, data)
  SELECT $1, gen_random_uuid(), 'money.deposit', 'journal_entry', e.id::text, e.id, $6,
  jsonb_build_object('entry_id', e.id, 'kind', 'deposit', 'amounts',
  jsonb_build_object('PEN', '1.00'), 'accounts', jsonb_build_array(jsonb_build_object(
  'account_id', a.id, 'balance_after', a.balance::text))) FROM e, a)"""
DEPOSIT_CORE = "WITH" + CORE_ROWS + "\nSELECT a.balance FROM a"
# Every row a cash deposit writes, as bench/money_call.py's FLOOR writes them with pgbench.
DEPOSIT_FLOOR = "WITH" + CORE_ROWS + "," + COUNTER_ROWS + "\nSELECT a.balance FROM a"
# A transfer's rows between two accounts of the cooperative (its key with an answer, both
# balances, the entry and its two lines, the event): $1 cooperative, $2 branch, $3 teller,
# $4 business day, $5 and $6 the two accounts, $7 idempotency key. Both accounts are
# locked in the order of their ids first, as coopac_savings_transfer locks them (an UPDATE
# alone takes them in the order its scan meets them: two transfers sharing an account
# could deadlock). The one holding more pays (f): the floor moves money, it never refuses.
TRANSFER_FLOOR = """
WITH l AS (SELECT s.id, s.balance FROM savings_account s
  WHERE s.cooperative_id = $1 AND s.id = ANY (ARRAY[$5::uuid, $6::uuid])
  ORDER BY s.id FOR UPDATE),
f AS (SELECT l.id FROM l ORDER BY l.balance DESC, l.id LIMIT 1),
a AS (UPDATE savings_account s
  SET balance = s.balance + CASE WHEN s.id = (SELECT id FROM f) THEN -1.00 ELSE 1.00 END
  FROM l WHERE s.cooperative_id = $1 AND s.id = l.id
  RETURNING s.id, s.balance, s.gl_account_id),
e AS (INSERT INTO journal_entry (cooperative_id, id, kind, branch_id, business_date,
  value_date, description, actor_user_id, actor_name, request_id, channel)
  VALUES ($1, gen_random_uuid(), 'transfer', $2, $4, $4, 'Transferencia', $3,
  'p.cajero', 'r', 'counter') RETURNING id),
p AS (INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount,
  account_kind, account_id, balance_after, business_date, value_date)
  SELECT $1, e.id, a.gl_account_id, 'PEN',
  CASE WHEN a.id = (SELECT id FROM f) THEN 1.00 ELSE -1.00 END,
  'savings', a.id, a.balance, $4, $4 FROM e, a),
v AS (INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, entry_id,
  business_date, data)
  SELECT $1, gen_random_uuid(), 'money.transfer', 'journal_entry', e.id::text, e.id, $4,
  jsonb_build_object('entry_id', e.id, 'kind', 'transfer', 'amounts',
  jsonb_build_object('PEN', '1.00'), 'accounts', (SELECT jsonb_agg(jsonb_build_object(
  'account_id', a.id, 'balance_after', a.balance::text)) FROM a)) FROM e),
k AS (INSERT INTO idempotency_key (cooperative_id, key, request_hash, actor,
  response_status, response_body)
  SELECT $1, $7, 'h', $3::uuid::text, 201, jsonb_build_object('journal_entry_id', e.id,
  'from_account_id', (SELECT id FROM f), 'amount', '1.00') FROM e)
SELECT count(*) FROM a
"""
MONEY_CALL = (
    "SELECT status, body::text AS body, replayed FROM coopac_money_call("
    "jsonb_build_object('user', $1::uuid, 'version', $2::integer), $3, $4, $5, "
    "$6, $7, $8, $9, $10::jsonb, $11::jsonb, NULL, NULL)"
)


class Transaction(BaseModel):
    aid: int
    tid: int
    bid: int
    delta: int


class AtTill(BaseModel):
    t: int  # the teller (and their till), 1-based
    n: int  # the account, 1-based


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
        coopac = os.environ.get("COOPAC_FLOOR_COOPAC_URL")
        if coopac:
            await open_coopac(app, coopac)
        yield
        await app.state.pool.close()
        if coopac:
            await app.state.coopac.close()

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

    @app.post("/deposit-floor", status_code=201)
    async def deposit_floor(body: AtTill, request: Request) -> dict[str, str]:
        state = request.app.state
        f = state.floor[body.t]
        async with state.coopac.acquire() as conn:
            balance = await conn.fetchval(
                DEPOSIT_FLOOR, f["coop"], f["branch"], f["user_id"], f["session_id"],
                f["till_id"], f["day"], state.accounts[body.n], "floor-" + uuid.uuid4().hex,
                f["series"],
            )  # fmt: skip
        return {"balance": str(balance)}

    @app.post("/deposit-core", status_code=201)
    async def deposit_core(body: AtTill, request: Request) -> dict[str, str]:
        state = request.app.state
        f = state.floor[body.t]
        async with state.coopac.acquire() as conn:
            balance = await conn.fetchval(
                DEPOSIT_CORE, f["coop"], f["branch"], f["user_id"], f["session_id"],
                f["till_id"], f["day"], state.accounts[body.n], "core-" + uuid.uuid4().hex,
            )  # fmt: skip
        return {"balance": str(balance)}

    @app.post("/transfer-floor", status_code=201)
    async def transfer_floor(body: AtTill, request: Request) -> dict[str, int]:
        state = request.app.state
        f = state.floor[body.t]
        other = body.n % len(state.accounts) + 1  # the next account, by number
        async with state.coopac.acquire() as conn:
            moved = await conn.fetchval(
                TRANSFER_FLOOR, f["coop"], f["branch"], f["user_id"], f["day"],
                state.accounts[body.n], state.accounts[other], "transfer-" + uuid.uuid4().hex,
            )  # fmt: skip
        return {"accounts": moved}

    @app.post("/money-call")
    async def money_call(body: AtTill, request: Request) -> Response:
        state = request.app.state
        x = state.context[body.t]
        args = {"account_id": state.accounts[body.n], "amount": "1.00", "branch_id": x["branch"]}
        async with state.coopac.acquire() as conn:
            row = await conn.fetchrow(
                MONEY_CALL, x["user_id"], x["version"], x["coop"], ["manager", "teller"],
                ["admin", "federation_admin", "manager"], uuid.uuid4().hex, "h", "r",
                "deposit", json.dumps(args), x["policy"],
            )  # fmt: skip
        return Response(row["body"], status_code=row["status"], media_type="application/json")

    return app


async def open_coopac(app: FastAPI, url: str) -> None:
    """The pool on the coopac-core database, each connection inside the cooperative's scope
    (row-level security applies: set once per connection, the most a design could save),
    and what the endpoints read of the bench's tables, kept in memory."""
    u = make_url(url)
    setup = await asyncpg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, database=u.database
    )
    try:
        floor = {r["t"]: dict(r) for r in await setup.fetch("SELECT * FROM bench_floor")}
        context = {
            r["t"]: {**dict(r), "branch": str(r["branch"]), "policy": r["policy"]}
            for r in await setup.fetch(
                "SELECT t, coop, branch, user_id, version, policy::text AS policy "
                "FROM bench_context"
            )
        }
        accounts = {
            r["n"]: str(r["id"]) for r in await setup.fetch("SELECT n, id FROM bench_accounts")
        }
    finally:
        await setup.close()
    tenant = str(next(iter(floor.values()))["coop"])

    async def scope(conn: asyncpg.Connection) -> None:
        await conn.execute("SELECT set_config('coopac.tenant', $1, false)", tenant)

    async def keep(conn: asyncpg.Connection) -> None:
        """Released as it is: the pool's own reset (RESET ALL) would drop the scope."""

    app.state.floor, app.state.context, app.state.accounts = floor, context, accounts
    app.state.coopac = await asyncpg.create_pool(
        host=u.host, port=u.port, user=u.username, password=u.password,
        database=u.database, min_size=0, max_size=20, init=scope, reset=keep,
    )  # fmt: skip
