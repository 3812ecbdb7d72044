"""Least privilege in the database, tried as the review did: with the service's own role
and its own connection, what can it change that the code never should?"""

from __future__ import annotations

import uuid

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


def test_the_service_role_releases_no_hold_clears_no_arrears_renames_no_key(
    client: TestClient, db: Database, bank: Bank
) -> None:
    """The attack's updates, as the service's role and as its federation role: holds and
    held amounts change only through coopac_place_hold and coopac_release_hold, day totals
    only through coopac_check_limit (and only up), a loan's vencidos and judicial parts,
    interest in suspense, provisions and written-off debt only with its postings, kept
    answers and keys never."""
    account = bank.account(client)
    bank.deposit(client, account["id"], "100.00")
    manager = bank.coop.headers[Role.manager]
    url = bank.url(f"/savings-accounts/{account['id']}/holds")
    r = client.post(url, json={"amount": "60.00", "reason": "Embargo judicial"}, headers=manager)
    assert r.status_code == 201, r.text
    hold = r.json()
    attacks = (
        "UPDATE savings_hold SET status = 'released', released_at = now()",
        "UPDATE savings_account SET held_amount = 0",
        "INSERT INTO savings_hold (cooperative_id, id, account_id, amount, reason, placed_by,"
        " status, placed_at) SELECT cooperative_id, gen_random_uuid(), id, 1, 'x', 'x',"
        " 'released', now() FROM savings_account LIMIT 1",
        "UPDATE operation_day_total SET amount = 0",
        "INSERT INTO operation_day_total (cooperative_id, person_id, business_date, kind,"
        " currency, amount) VALUES (current_setting('coopac.tenant')::uuid,"
        " gen_random_uuid(), current_date, 'deposit', 'PEN', -1000)",
        "UPDATE loan SET overdue_balance = 0",
        "UPDATE loan SET judicial_balance = 0",
        "UPDATE loan SET suspended_interest = 0",
        "UPDATE loan SET suspended_moratory = 0",
        "UPDATE loan SET provision_specific = 0",
        "UPDATE loan SET provision_generic = 0",
        "UPDATE loan SET written_off_balance = 0",
        "UPDATE idempotency_key SET key = key || '-otra'",
        "UPDATE idempotency_key SET response_body = '{}'",
    )
    for as_federation in (False, True):
        for statement in attacks:
            with pytest.raises(DBAPIError, match="permission denied"), db.engine.begin() as conn:
                _scoped(conn, bank.coop.id)
                if as_federation:
                    conn.execute(text("SET LOCAL ROLE NONE"))
                    role = conn.execute(text("SELECT current_user || '_federation'")).scalar()
                    conn.execute(text("SELECT set_config('role', :r, true)"), {"r": role})
                conn.execute(text(statement))
    # the functions that own them do no more than their rule: a total only grows, a kept
    # answer is never written again, a released hold is not released twice
    with pytest.raises(DBAPIError, match="only grows"), db.engine.begin() as conn:
        _scoped(conn, bank.coop.id)
        conn.execute(
            text(
                "SELECT coopac_check_limit(CAST(:c AS uuid), 'deposit', 'PEN', -1000, current_date,"
                " gen_random_uuid(), ARRAY['teller'], '{}'::jsonb)"
            ),
            {"c": bank.coop.id},
        )
    with db.engine.begin() as conn:
        _scoped(conn, bank.coop.id)
        kept = conn.execute(
            text(
                "SELECT key, response_body FROM idempotency_key WHERE response_status = 201 LIMIT 1"
            )
        ).one()
        conn.execute(
            text("SELECT coopac_answer_claimed(CAST(:c AS uuid), :k, 201, '{}'::jsonb)"),
            {"c": bank.coop.id, "k": kept.key},
        )
        again = conn.execute(
            text("SELECT response_body FROM idempotency_key WHERE key = :k"), {"k": kept.key}
        ).scalar_one()
    assert again == kept.response_body
    got = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=bank.teller).json()
    assert (got["held_amount"], got["available_balance"]) == ("60.00", "40.00")
    # the hold ends the one way: released through the service, once
    release = f"{url}/{hold['id']}/release"
    assert client.post(release, headers=manager).json()["status"] == "released"
    r = client.post(release, headers=manager)
    assert (r.status_code, r.json()["code"]) == (409, "hold_released")
    r = client.post(f"{url}/{uuid.uuid4()}/release", headers=manager)
    assert (r.status_code, r.json()["code"]) == (404, "hold_not_found")
    got = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=bank.teller).json()
    assert (got["held_amount"], got["available_balance"]) == ("0.00", "100.00")


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
