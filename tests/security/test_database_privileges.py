"""Least privilege in the database, tried as the review did: with the service's own role
and its own connection, what can it change that the code never should?"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from coopac_core.db import Database
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key
from tests.support.world import World


def _scoped(conn: object, cooperative_id: str) -> None:
    conn.execute(text("SELECT set_config('coopac.tenant', :v, true)"), {"v": cooperative_id})  # type: ignore[attr-defined]


def test_the_service_role_cannot_write_a_balance_nor_delete_what_is_never_deleted(
    client: TestClient, db: Database, bank: Bank
) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "100.00")
    hold = client.post(
        bank.url(f"/savings-accounts/{account['id']}/holds"),
        json={"amount": "60.00", "reason": "Embargo judicial"},
        headers=bank.coop.headers[Role.manager],
    ).json()
    for statement in (
        "UPDATE savings_account SET balance = balance + 1000",
        "UPDATE share_account SET balance = 0",
        "UPDATE loan SET balance = 0",
        "DELETE FROM savings_hold",
        "DELETE FROM idempotency_key",
        "DELETE FROM member",
        "DELETE FROM audit_event",
        "UPDATE audit_event SET action = 'x'",
        "UPDATE gl_account SET name = 'x'",
    ):
        with pytest.raises(DBAPIError, match="permission denied"), db.engine.begin() as conn:
            _scoped(conn, bank.coop.id)
            conn.execute(text(statement))
    assert bank.balance(client, account["id"]) == "100.00"
    got = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=bank.teller).json()
    assert got["available_balance"] == "40.00", hold


def test_a_setting_no_longer_opens_every_tenant(db: Database, world: World) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("SELECT set_config('coopac.tenant', '*', true)"))
        assert conn.execute(text("SELECT count(*) FROM cooperative")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM staff_user")).scalar_one() == 0
    # only the federation role sees them all, and only the service's role may become it
    with db.engine.begin() as conn:
        role = conn.execute(text("SELECT current_user || '_federation'")).scalar_one()
        conn.execute(text("SELECT set_config('role', :r, true)"), {"r": role})
        codes = set(conn.execute(text("SELECT code FROM cooperative")).scalars())
        assert {world.a.code, world.b.code} <= codes


def test_row_level_security_is_forced_on_every_tenant_table(owner_engine: Engine) -> None:
    with owner_engine.connect() as conn:
        unforced = list(
            conn.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
                    "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
                    "AND a.attname = 'cooperative_id' AND NOT c.relforcerowsecurity"
                )
            ).scalars()
        )
    assert unforced == []


def test_balances_move_only_with_their_postings(
    client: TestClient, bank: Bank, owner_engine: Engine
) -> None:
    """The trigger, not the service, moves a balance: a posting's own amount, once."""
    source, target = bank.account(client), bank.account(client)
    bank.deposit(client, source["id"], "250.00")
    r = client.post(
        bank.url("/transfers"),
        json={"from_account_id": source["id"], "to_account_id": target["id"], "amount": "75.50"},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    assert (r.json()["balance"], r.json()["to_balance"]) == ("174.50", "75.50")
    with owner_engine.connect() as conn:
        rows: dict[str, bool] = dict(
            conn.execute(
                text(
                    "SELECT a.id::text, a.balance = -coalesce(sum(p.amount), 0) "
                    "FROM savings_account a LEFT JOIN posting p ON p.cooperative_id = "
                    "a.cooperative_id AND p.account_id = a.id WHERE a.id IN (:s, :t) "
                    "GROUP BY a.id, a.balance"
                ),
                {"s": source["id"], "t": target["id"]},
            ).all()
        )
    assert rows == {source["id"]: True, target["id"]: True}
    assert bank.balance(client, source["id"]) == "174.50"
