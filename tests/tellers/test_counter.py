"""The teller's counter: a till's day from opening to the count, the vault, the limits, and
close of business waiting for the tills."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support import counter
from tests.support.bank import Bank, key
from tests.support.cob import wait_for_run
from tests.support.world import World, add_user, login, make_coop


def _post(client: TestClient, url: str, body: Any, who: dict[str, str]) -> Any:
    return client.post(url, json=body, headers={**who, **key()})


def _gl_balance(client: TestClient, bank: Bank, code: str) -> Decimal:
    r = client.get(bank.url("/ledger/trial-balance"), headers=bank.coop.headers[Role.accountant])
    assert r.status_code == 200, r.text
    for line in r.json()["accounts"]:
        if line["code"] == code:
            return Decimal(line["balance"])
    return Decimal("0.00")


def _new_teller(client: TestClient, world: World, name: str) -> dict[str, str]:
    add_user(client, world.a, name, ["teller"], branch="PUNO")
    return login(client, name)


def test_a_deposit_whose_session_closes_while_it_runs_is_refused_not_booked(
    client: TestClient, world: World, bank: Bank, owner_engine: Engine
) -> None:
    """A deposit takes its till's cash at the end (migration 0035). A close that locked the
    cash first and commits while the deposit waits for it has counted the till without
    it: the deposit is refused, and neither the account nor the till moves."""
    teller = _new_teller(client, world, "coopa.cajera.cierre")
    r = _post(
        client,
        bank.url(f"/branches/{bank.puno}/tills"),
        {"code": "C08", "name": "Caja 8"},
        bank.coop.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    till = r.json()
    r = _post(client, bank.url(f"/tills/{till['id']}/sessions"), {"counted": []}, teller)
    assert r.status_code == 201, r.text
    session = r.json()
    account = bank.account(client)
    deposit = bank.url(f"/savings-accounts/{account['id']}/deposits")
    with owner_engine.connect() as closing, owner_engine.connect() as watch:
        # what a close does first: the till's cash, locked
        closing.execute(
            text("SELECT 1 FROM till_cash WHERE till_id = :t FOR UPDATE"), {"t": till["id"]}
        )
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(_post, client, deposit, {"amount": "40.00"}, teller)
            deadline = time.monotonic() + 30
            while not watch.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE '%coopac_money_call%'"
                )
            ).scalar():
                assert time.monotonic() < deadline and not pending.done(), pending.result().text
                watch.rollback()  # a transaction sees one snapshot of the activity
                time.sleep(0.02)
            # the deposit waits for the cash: the close counts it as it was and commits
            closing.execute(
                text("UPDATE till_session SET status = 'closed', closed_at = now() WHERE id = :s"),
                {"s": session["id"]},
            )
            closing.commit()
            r = pending.result(timeout=30)
    assert (r.status_code, r.json()["code"]) == (409, "till_session_closed"), r.text
    assert bank.balance(client, account["id"]) == "0.00"
    r = client.get(bank.url(f"/tills/{till['id']}"), headers=bank.coop.headers[Role.admin])
    assert r.status_code == 200, r.text
    assert [c["balance"] for c in r.json()["cash"]] == ["0.00", "0.00"]


def test_a_tellers_day_open_operate_vault_and_close_short(
    client: TestClient, world: World, bank: Bank
) -> None:
    coop = world.a
    teller = _new_teller(client, world, "coopa.cajera.dia")
    r = _post(
        client,
        bank.url(f"/branches/{bank.puno}/tills"),
        {
            "code": "C07",
            "name": "Caja 7",
            "cash_limits": [{"currency": "PEN", "amount": "8000.00"}],
        },
        coop.headers[Role.admin],
    )
    assert r.status_code == 201, r.text
    till = r.json()
    assert [c["gl_account_code"] for c in till["cash"]] == ["1111.PUNO.C07", "1121.PUNO.C07"]
    # without a session, no cash
    account = bank.account(client)
    deposit = bank.url(f"/savings-accounts/{account['id']}/deposits")
    r = _post(client, deposit, {"amount": "50.00"}, teller)
    assert (r.status_code, r.json()["code"]) == (409, "till_session_required")
    # cash found above the books at opening is income: a supervisor books it, not the teller
    over = {"counted": [{"currency": "PEN", "amount": "10.00"}]}
    r = _post(client, bank.url(f"/tills/{till['id']}/sessions"), over, teller)
    assert (r.status_code, r.json()["code"]) == (403, "till_over_needs_supervisor"), r.text
    assert "10.00 PEN" in r.json()["detail"]
    # the morning: open with an empty till, cash from the vault, confirmed by the teller
    r = _post(client, bank.url(f"/tills/{till['id']}/sessions"), {"counted": []}, teller)
    assert r.status_code == 201, r.text
    session = r.json()
    assert (session["status"], session["opening_differences"]) == ("open", [])
    r = _post(client, bank.url(f"/tills/{till['id']}/sessions"), {"counted": []}, teller)
    assert (r.status_code, r.json()["code"]) == (409, "till_busy")
    vault = counter.vault(client, coop)
    _post(
        client,
        bank.url(f"/tills/{vault['id']}/bank-withdrawals"),
        {"currency": "PEN", "amount": "5000.00"},
        coop.supervisor,
    )
    r = _post(
        client,
        bank.url("/till-transfers"),
        {
            "from_till_id": vault["id"],
            "to_till_id": till["id"],
            "currency": "PEN",
            "amount": "5000.00",
        },
        coop.supervisor,
    )
    assert (r.status_code, r.json()["status"]) == (201, "in_transit"), r.text
    transfer = r.json()
    in_transit = _gl_balance(client, bank, "1111.TR")
    assert in_transit >= Decimal("5000.00")
    receive = bank.url(f"/till-transfers/{transfer['id']}/receive")
    r = _post(client, receive, {"amount": "4900.00"}, teller)
    assert (r.status_code, r.json()["code"]) == (409, "till_transfer_amount_mismatch")
    r = _post(client, receive, {"amount": "5000.00"}, teller)
    assert (r.status_code, r.json()["status"]) == (200, "received"), r.text
    assert _gl_balance(client, bank, "1111.TR") == in_transit - Decimal("5000.00")
    # the day's work: a deposit and a withdrawal, each with the next receipt of the series
    r = _post(client, deposit, {"amount": "1000.00"}, teller)
    assert r.status_code == 201, r.text
    first = r.json()["receipt_number"]
    r = _post(
        client,
        bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
        {"amount": "300.00"},
        teller,
    )
    assert r.status_code == 201, r.text
    second = r.json()["receipt_number"]
    assert first.startswith("PUNO-C07-") and int(second[-8:]) == int(first[-8:]) + 1
    # the ceiling: 5,700 held, 8,000 at most
    r = _post(client, deposit, {"amount": "2300.01"}, teller)
    assert (r.status_code, r.json()["code"]) == (409, "till_cash_limit")
    # paying out more than the till holds
    r = _post(
        client,
        bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
        {"amount": "700.00"},
        teller,
    )
    assert r.status_code == 201
    rich = bank.account(client)
    r = _post(  # at the manager's own till
        client,
        bank.url(f"/savings-accounts/{rich['id']}/deposits"),
        {"amount": "9000.00"},
        coop.headers[Role.manager],
    )
    assert r.status_code == 201, r.text
    r = _post(
        client,
        bank.url(f"/savings-accounts/{rich['id']}/withdrawals"),
        {"amount": "5000.01"},
        teller,
    )
    assert (r.status_code, r.json()["code"]) == (409, "till_cash_insufficient")
    # the arqueo, before the count
    r = client.get(bank.url(f"/till-sessions/{session['id']}"), headers=teller)
    assert r.status_code == 200, r.text
    arqueo = r.json()
    assert arqueo["expected"] == [{"currency": "PEN", "amount": "5000.00"}]
    assert [(m["kind"], m["amount"]) for m in arqueo["movements"]] == [
        ("cash_transfer", "5000.00"),
        ("deposit", "1000.00"),
        ("withdrawal", "-300.00"),
        ("withdrawal", "-700.00"),
    ]
    # the close: ten soles short, booked against the shortage account
    short_before = _gl_balance(client, bank, "1511.01")
    r = client.post(
        bank.url(f"/till-sessions/{session['id']}/close"),
        json={
            "counted": [
                {
                    "currency": "PEN",
                    "amount": "4990.00",
                    "denominations": [
                        {"value": "200.00", "count": 24},
                        {"value": "10.00", "count": 19},
                    ],
                }
            ]
        },
        headers={**teller, **key()},
    )
    assert r.status_code == 200, r.text
    closed = r.json()
    assert closed["status"] == "closed"
    assert closed["differences"] == [{"currency": "PEN", "amount": "-10.00"}]
    assert closed["counted"] == [{"currency": "PEN", "amount": "4990.00"}]
    assert _gl_balance(client, bank, "1511.01") == short_before + Decimal("10.00")
    r = client.get(bank.url(f"/tills/{till['id']}"), headers=teller)
    assert r.json()["cash"][0]["balance"] == "4990.00"
    assert r.json()["open_session_id"] is None
    # closed: no more cash until another session
    r = _post(client, deposit, {"amount": "5.00"}, teller)
    assert (r.status_code, r.json()["code"]) == (409, "till_session_required")
    # the ledger proves it all
    r = client.get(bank.url("/ledger/verification"), headers=coop.headers[Role.auditor])
    assert r.status_code == 200 and r.json()["ok"], r.text


def test_cash_refused_without_a_session_moves_nothing(
    client: TestClient, world: World, bank: Bank
) -> None:
    teller = _new_teller(client, world, "coopa.cajero.sin.caja")
    account = bank.account(client)
    bank.deposit(client, account["id"], "100.00")
    for path, body in (
        ("deposits", {"amount": "10.00"}),
        ("withdrawals", {"amount": "10.00"}),
    ):
        r = _post(client, bank.url(f"/savings-accounts/{account['id']}/{path}"), body, teller)
        assert (r.status_code, r.json()["code"]) == (409, "till_session_required")
    r = _post(
        client,
        bank.url(f"/members/{account['member_id']}/share-account/payments"),
        {"amount": "10.00", "branch_id": bank.puno},
        teller,
    )
    assert (r.status_code, r.json()["code"]) == (409, "till_session_required")
    assert bank.balance(client, account["id"]) == "100.00"


def test_the_vault_needs_two_people_and_a_teller_closes_only_their_own(
    client: TestClient, world: World, bank: Bank
) -> None:
    coop = world.a
    teller = _new_teller(client, world, "coopa.cajero.boveda")
    till = counter.till_for(client, coop, "C08")
    session = counter.open_session(client, coop, till, teller)
    vault = counter.vault(client, coop)
    # a teller does not send from the vault
    r = _post(
        client,
        bank.url("/till-transfers"),
        {
            "from_till_id": vault["id"],
            "to_till_id": till["id"],
            "currency": "PEN",
            "amount": "10.00",
        },
        teller,
    )
    assert (r.status_code, r.json()["code"]) == (403, "till_transfer_not_yours")
    # the vault's holder sends to their own... and may not receive what they sent
    _post(
        client,
        bank.url(f"/tills/{vault['id']}/bank-withdrawals"),
        {"currency": "USD", "amount": "100.00"},
        coop.supervisor,
    )
    r = _post(
        client,
        bank.url("/till-transfers"),
        {
            "from_till_id": till["id"],
            "to_till_id": vault["id"],
            "currency": "USD",
            "amount": "10.00",
        },
        coop.supervisor,
    )
    assert (r.status_code, r.json()["code"]) == (403, "till_transfer_not_yours")
    # two tills: cash goes through the vault
    other = counter.till_for(client, coop, "C09")
    r = _post(
        client,
        bank.url("/till-transfers"),
        {
            "from_till_id": till["id"],
            "to_till_id": other["id"],
            "currency": "PEN",
            "amount": "10.00",
        },
        teller,
    )
    assert (r.status_code, r.json()["code"]) == (409, "till_transfer_invalid")
    # another teller's session: only a supervisor closes it
    r = client.post(
        bank.url(f"/till-sessions/{session['id']}/close"),
        json={"counted": []},
        headers={**bank.teller, **key()},
    )
    assert (r.status_code, r.json()["code"]) == (403, "not_your_till_session")
    r = client.post(
        bank.url(f"/till-sessions/{session['id']}/close"),
        json={"counted": []},
        headers={**coop.supervisor, **key()},
    )
    assert (r.status_code, r.json()["status"]) == (200, "closed")


def test_a_supervisor_corrects_a_counter_operation_on_the_same_till(
    client: TestClient, world: World, bank: Bank
) -> None:
    account = bank.account(client)
    dep = bank.deposit(client, account["id"], "40.00")
    r = client.post(
        bank.url(f"/journal-entries/{dep['journal_entry_id']}/reversal"),
        json={"reason": "Monto digitado por error"},
        headers={**world.a.supervisor, **key()},
    )
    assert r.status_code == 201, r.text
    reversal = r.json()
    assert bank.balance(client, account["id"]) == "0.00"
    receipt = dep["receipt_number"]
    r = client.get(bank.url(f"/receipts/{receipt}"), headers=bank.teller)
    assert r.status_code == 200
    r = client.get(
        bank.url(f"/journal-entries/{reversal['id']}"), headers=world.a.headers[Role.accountant]
    )
    assert r.status_code == 200, r.text


def test_close_of_business_waits_for_the_tills_unless_the_manager_forces_it(
    client: TestClient, world: World
) -> None:
    body = "2060000017"
    start = datetime.now(ZoneInfo("America/Lima")).date() - timedelta(days=3)
    coop = make_coop(client, world.fed_admin, "COOPTILL", body + str(ruc_check_digit(body)), start)
    url = f"/api/v1/cooperatives/{coop.id}/close-of-business"
    r = client.post(url, json={"days": 1}, headers=coop.headers[Role.manager])
    assert (r.status_code, r.json()["code"]) == (409, "till_sessions_open")
    listed = r.json()["till_sessions"]
    assert len(listed) == 2 and {s["business_date"] for s in listed} == {start.isoformat()}
    r = client.post(url, json={"days": 1, "force": True}, headers=coop.headers[Role.admin])
    assert (r.status_code, r.json()["code"]) == (403, "multi_day_close_needs_manager")
    r = client.post(url, json={"days": 1, "force": True}, headers=coop.headers[Role.manager])
    assert r.status_code == 202, r.text
    assert wait_for_run(client, coop, r.headers["Location"])["status"] == "succeeded"
    # the sessions of a closed day move no more cash
    teller = coop.headers[Role.teller]
    bank_member = client.post(
        f"/api/v1/cooperatives/{coop.id}/members",
        json={
            "document_type": "DNI",
            "document_number": "47000017",
            "first_names": "Ana",
            "last_names": "Condori",
        },
        headers=teller,
    ).json()
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/members/{bank_member['id']}/share-account/payments",
        json={"amount": "10.00", "branch_id": coop.branches["PUNO"]},
        headers={**teller, **key()},
    )
    assert (r.status_code, r.json()["code"]) == (409, "till_session_required")
    assert "ya cerrado" in r.json()["detail"]


def test_a_large_withdrawal_waits_for_a_supervisor(
    client: TestClient, world: World, bank: Bank
) -> None:
    coop = world.a
    r = client.put(
        bank.url("/counter-settings"),
        json={"withdrawal_approval_above": [{"currency": "PEN", "amount": "5000.00"}]},
        headers=coop.headers[Role.admin],
    )
    assert r.status_code == 200, r.text
    assert r.json()["withdrawal_approval_above"] == [{"currency": "PEN", "amount": "5000.00"}]
    assert {"purpose": "cash_short", "currency": "PEN", "code": "1511.01"} in r.json()["accounts"]
    try:
        teller = _new_teller(client, world, "coopa.cajera.grande")
        counter.open_counter(client, coop, Role.teller, teller, code="C10")
        account = bank.account(client)
        r = _post(
            client,
            bank.url(f"/savings-accounts/{account['id']}/deposits"),
            {"amount": "20000.00"},
            teller,
        )
        assert r.status_code == 201, r.text
        url = bank.url(f"/savings-accounts/{account['id']}/withdrawals")
        r = _post(client, url, {"amount": "4999.99"}, teller)
        assert r.status_code == 201  # below the threshold: at once
        # the member's withdrawals of the day count: one more sol takes them above it
        r = _post(client, url, {"amount": "1.00"}, teller)
        assert (r.status_code, r.json()["status"]) == (202, "pending_approval"), r.text
        r = _post(
            client,
            bank.url(f"/withdrawal-requests/{r.json()['id']}/reject"),
            {"note": "Ya retiró hoy"},
            coop.supervisor,
        )
        assert r.status_code == 200, r.text
        r = _post(client, url, {"amount": "6000.00"}, teller)
        assert r.status_code == 202, r.text
        pending = r.json()
        assert (pending["status"], pending["amount"]) == ("pending_approval", "6000.00")
        assert bank.balance(client, account["id"]) == "15000.01"  # nothing moved yet
        approve = bank.url(f"/withdrawal-requests/{pending['id']}/approve")
        # not by a teller, nor by the one who asked
        r = _post(client, approve, {}, teller)
        assert r.status_code == 403
        r = _post(client, approve, {"note": "Socio identificado"}, coop.supervisor)
        assert r.status_code == 201, r.text
        assert r.json()["receipt_number"].startswith("PUNO-C10-")
        assert bank.balance(client, account["id"]) == "9000.01"
        r = _post(client, approve, {}, coop.headers[Role.manager])
        assert (r.status_code, r.json()["code"]) == (409, "withdrawal_request_decided")
        got = client.get(bank.url(f"/withdrawal-requests/{pending['id']}"), headers=teller).json()
        assert (got["status"], got["decided_by"]) == ("approved", "coopa.supervisor")
        # a rejected one moves nothing
        r = _post(client, url, {"amount": "5000.01"}, teller)
        assert r.status_code == 202
        r = _post(
            client,
            bank.url(f"/withdrawal-requests/{r.json()['id']}/reject"),
            {"note": "Firma no coincide"},
            coop.supervisor,
        )
        assert (r.status_code, r.json()["status"]) == (200, "rejected")
        assert bank.balance(client, account["id"]) == "9000.01"
    finally:
        client.put(
            bank.url("/counter-settings"),
            json={"withdrawal_approval_above": []},
            headers=coop.headers[Role.admin],
        )


def test_the_counters_own_records_are_not_undone_by_a_reversal(
    client: TestClient, world: World, bank: Bank
) -> None:
    """A transfer between the vault and a till has its row (received, in transit) and a
    count's difference is the session's count: a mirror entry would leave them disagreeing
    with the books (verify-ledger would say so). The supervisor sends cash back instead."""
    coop = world.a
    teller = _new_teller(client, world, "coopa.cajera.extorno")
    till = counter.till_for(client, coop, "C11")
    session = counter.open_session(client, coop, till, teller)
    counter.fund_till(client, coop, till["id"], teller, {"PEN": "100.00"})
    r = client.get(bank.url(f"/till-sessions/{session['id']}"), headers=teller)
    received = next(m for m in r.json()["movements"] if m["kind"] == "cash_transfer")
    r = client.post(
        bank.url(f"/till-sessions/{session['id']}/close"),
        json={"counted": [{"currency": "PEN", "amount": "95.00"}]},
        headers={**teller, **key()},
    )
    assert r.json()["differences"] == [{"currency": "PEN", "amount": "-5.00"}]
    r = client.get(bank.url(f"/till-sessions/{session['id']}"), headers=teller)
    shortage = next(m for m in r.json()["movements"] if m["kind"] == "cash_over_short")
    for entry in (received["journal_entry_id"], shortage["journal_entry_id"]):
        for who in (coop.supervisor, coop.headers[Role.accountant]):
            r = client.post(
                bank.url(f"/journal-entries/{entry}/reversal"), headers={**who, **key()}
            )
            assert (r.status_code, r.json()["code"]) == (409, "reversal_not_supported")
    r = client.get(bank.url("/ledger/verification"), headers=coop.headers[Role.auditor])
    assert r.json()["ok"], r.text
