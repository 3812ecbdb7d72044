"""The outbox: every change writes its event in its own transaction, and the feed hands a
polling consumer every event once, in order, whatever order the transactions commit in."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from coopac_core.db import Database
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.ledger.models import EntryKind
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key
from tests.support.world import World


def _feed(
    client: TestClient, bank: Bank, after: str | None, **params: Any
) -> tuple[list[dict[str, Any]], str | None]:
    """Everything after ``after``, page by page, as a consumer reads it."""
    items: list[dict[str, Any]] = []
    while True:
        query = {"limit": 50, **params}
        if after is not None:
            query["after"] = after
        r = client.get(
            bank.url("/events"), params=query, headers=bank.coop.headers[Role.accountant]
        )
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        after = page["next_cursor"]
        if not page["has_more"]:
            return items, after


def _feed_until(
    client: TestClient,
    bank: Bank,
    after: str | None,
    ready: Callable[[list[dict[str, Any]]], bool],
    **params: Any,
) -> tuple[list[dict[str, Any]], str | None]:
    """The feed once it shows what ``ready`` waits for. The feed holds back everything
    after the oldest transaction still open on the server, any database's (another test's
    among them): a consumer polls, and so does this."""
    deadline = time.monotonic() + 120
    while True:
        items, cursor = _feed(client, bank, after, **params)
        if ready(items) or time.monotonic() > deadline:
            return items, cursor
        time.sleep(0.05)


def _end(client: TestClient, bank: Bank) -> str | None:
    return _feed(client, bank, None)[1]


def test_each_change_writes_one_event_and_a_refusal_none(
    client: TestClient, world: World, bank: Bank
) -> None:
    start = _end(client, bank)
    member = bank.member(client)
    r = client.patch(
        bank.url(f"/members/{member['id']}"), json={"phone": "951000111"}, headers=bank.teller
    )
    assert r.status_code == 200, r.text
    account = bank.account(client, member_id=member["id"])
    body = {"amount": "300.00"}
    once = key()
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json=body,
        headers={**bank.teller, **once},
    )
    assert r.status_code == 201, r.text
    deposit = r.json()
    # the same request again: the first answer, and no second event
    again = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json=body,
        headers={**bank.teller, **once},
    )
    assert again.headers.get("Idempotent-Replayed") == "true"
    # refused: more than the balance
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
        json={"amount": "5000.00"},
        headers={**bank.teller, **key()},
    )
    assert (r.status_code, r.json()["code"]) == (422, "insufficient_funds")

    subjects = (member["id"], deposit["journal_entry_id"])
    got, _ = _feed_until(
        client, bank, start, lambda items: sum(e["subject_id"] in subjects for e in items) >= 3
    )
    mine = [e for e in got if e["subject_id"] in subjects]
    assert [e["type"] for e in mine] == ["member.created", "member.updated", "money.deposit"]
    created, updated, moved = mine
    assert created["data"]["member_number"] == member["member_number"]
    assert updated["data"]["phone"] == "951000111"
    assert moved["entry_id"] == deposit["journal_entry_id"]
    assert moved["data"]["amounts"] == {"PEN": "300.00"}
    [line] = moved["data"]["accounts"]
    assert line["account_id"] == account["id"]
    assert line["member_id"] == member["id"]
    assert (line["change"], line["balance_after"]) == ("300.00", "300.00")
    # nothing else in the feed names this account: the refusal wrote nothing
    assert not [
        e
        for e in got
        if any(a["account_id"] == account["id"] for a in e["data"].get("accounts", []))
        and e["id"] != moved["id"]
    ]
    # the feed filters by type, and a cursor is where it says
    deposits, _ = _feed(client, bank, start, types="money.deposit")
    assert moved["id"] in [e["id"] for e in deposits]
    assert {e["type"] for e in deposits} == {"money.deposit"}
    # and by the groups a webhook takes
    money, _ = _feed(client, bank, start, types="money.*")
    assert moved["id"] in [e["id"] for e in money]
    assert all(e["type"].startswith("money.") for e in money)
    assert len(_feed(client, bank, start, types="*")[0]) == len(got)
    after_created, _ = _feed(client, bank, created["cursor"])
    assert [e["id"] for e in after_created] == [e["id"] for e in got[got.index(created) + 1 :]]
    # another cooperative's staff read none of it
    r = client.get(
        f"/api/v1/cooperatives/{world.b.id}/events", headers=world.b.headers[Role.accountant]
    )
    assert moved["id"] not in [e["id"] for e in r.json()["items"]]
    r = client.get(bank.url("/events"), headers=world.b.headers[Role.accountant])
    assert r.status_code == 404
    r = client.get(bank.url("/events"), headers=bank.teller)
    assert r.status_code == 403
    r = client.get(bank.url("/events"), params={"types": "money.nothing"}, headers=bank.admin)
    assert (r.status_code, r.json()["code"]) == (422, "event_type_unknown")
    r = client.get(bank.url("/events"), params={"after": "bm90IGEgY3Vyc29y"}, headers=bank.admin)
    assert r.status_code == 400


def test_a_rolled_back_change_leaves_no_event(client: TestClient, bank: Bank, db: Database) -> None:
    start = _end(client, bank)
    coop = uuid.UUID(bank.coop.id)
    marker = str(uuid.uuid4())
    with pytest.raises(RuntimeError), db.session(coop) as session:
        events.emit(session, coop, EventType.member_updated, "member", marker, {"x": 1})
        session.flush()
        raise RuntimeError("the change fails after its event was written")
    got, _ = _feed(client, bank, start)
    assert marker not in [e["subject_id"] for e in got]


def test_an_event_committed_late_is_not_skipped(
    client: TestClient, bank: Bank, db: Database
) -> None:
    """A transaction that wrote an event and has not committed holds the feed back: a
    consumer that read past the events committed after it would never see it."""
    start = _end(client, bank)
    coop = uuid.UUID(bank.coop.id)
    account = bank.account(client)
    slow = db.engine.connect()
    tx = slow.begin()
    slow.execute(text("SELECT set_config('coopac.tenant', :c, true)"), {"c": str(coop)})
    slow.execute(
        text(
            "INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, "
            "business_date, data) VALUES (:c, gen_random_uuid(), 'member.updated', 'member', "
            "'slow', '2026-01-01', '{}')"
        ),
        {"c": str(coop)},
    )
    try:
        # a deposit commits after the slow transaction wrote its event
        bank.deposit(client, account["id"], "10.00")
        seen, cursor = _feed(client, bank, start)
        assert "slow" not in [e["subject_id"] for e in seen]
        assert str(account["id"]) not in str([e["data"] for e in seen])
        tx.commit()
    finally:
        slow.close()
    later, _ = _feed_until(
        client, bank, cursor, lambda items: "slow" in [e["subject_id"] for e in items]
    )
    subjects = [e["subject_id"] for e in later]
    assert "slow" in subjects
    assert any(
        a["account_id"] == account["id"] for e in later for a in e["data"].get("accounts", [])
    )
    assert Decimal(bank.balance(client, account["id"])) == Decimal("10.00")


def test_verify_ledger_finds_an_entry_without_its_event(
    client: TestClient, bank: Bank, owner_engine: Engine
) -> None:
    from sqlmodel import Session

    from coopac_core.flows.verification import verify_books as verify

    account = bank.account(client)
    deposit = bank.deposit(client, account["id"], "9.00")
    coop = uuid.UUID(bank.coop.id)
    with owner_engine.connect() as conn:
        tx = conn.begin()
        conn.execute(text("SELECT set_config('coopac.tenant', :c, true)"), {"c": str(coop)})
        session = Session(bind=conn)
        assert verify(session, coop).ok
        conn.execute(
            text("DELETE FROM event WHERE cooperative_id = :c AND entry_id = :e"),
            {"c": coop, "e": deposit["journal_entry_id"]},
        )
        problems = verify(session, coop).problems
        tx.rollback()
    assert problems == [
        f"journal entry {deposit['journal_entry_id']} (deposit): no event in the outbox"
    ]


def test_every_kind_of_entry_has_its_event_type() -> None:
    # the posting trigger writes money.<kind> (a loan's three are the loan's): each is a type
    # a consumer can ask for by name, and the feed's answers are of the enum
    loans = {"loan_disbursement": "loan.disbursed", "loan_repayment": "loan.repaid",
             "loan_write_off": "loan.written_off"}  # fmt: skip
    known = {t.value for t in EventType}
    assert not [k for k in EntryKind if loans.get(k.value, f"money.{k.value}") not in known]
