from __future__ import annotations

import subprocess
import sys
import uuid
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import EntryKind
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key
from tests.support.world import World

INSERT_ENTRY = (
    "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, value_date, actor_name) "
    "VALUES (:c, :e, 'manual', current_date, current_date, 'test')"
)
INSERT_POSTING = (
    "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
    "business_date, value_date) VALUES (:c, :e, :g, '{cur}', 10.00, current_date, current_date)"
)


def _trial_balance(
    client: TestClient, bank: Bank, world: World, **params: str
) -> dict[str, object]:
    r = client.get(
        bank.url("/ledger/trial-balance"), params=params, headers=world.a.headers[Role.accountant]
    )
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def test_trial_balance_balances_per_currency(client: TestClient, bank: Bank, world: World) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "75.00")
    usd = bank.account(client, bank.sight_usd)
    bank.deposit(client, usd["id"], "10.00")
    for currency in ("PEN", "USD"):
        tb = _trial_balance(client, bank, world, currency=currency)
        assert tb["currency"] == currency
        assert tb["total_debits"] == tb["total_credits"]
        accounts = tb["accounts"]
        assert isinstance(accounts, list) and accounts
        assert all(a["currency"] == currency for a in accounts)
        assert sum(Decimal(a["balance"]) for a in accounts) == 0
    default = _trial_balance(client, bank, world)
    assert default["currency"] == "PEN"
    accounts_pen: list[dict[str, str]] = default["accounts"]  # type: ignore[assignment]
    cash = next(a for a in accounts_pen if a["code"] == "1111.PUNO.TELLER")  # the till
    assert Decimal(cash["debits"]) >= Decimal("75.00")
    before = _trial_balance(client, bank, world, as_of="2000-01-01")
    assert before["accounts"] == []
    assert before["total_debits"] == "0.00"
    # a date still to come has no trial balance yet
    r = client.get(
        bank.url("/ledger/trial-balance"),
        params={"as_of": "2999-01-01"},
        headers=world.a.headers[Role.accountant],
    )
    assert (r.status_code, r.json()["code"]) == (422, "as_of_in_future")


def test_journal_entry_shows_balanced_postings(
    client: TestClient, bank: Bank, world: World
) -> None:
    account = bank.account(client)
    dep = bank.deposit(client, account["id"], "33.30")
    r = client.get(
        bank.url(f"/journal-entries/{dep['journal_entry_id']}"),
        headers=world.a.headers[Role.auditor],
    )
    assert r.status_code == 200
    entry = r.json()
    assert entry["kind"] == "deposit"
    assert entry["actor_name"] == "coopa.teller"
    assert sorted((p["gl_account_code"], p["debit"], p["credit"]) for p in entry["postings"]) == [
        ("1111.PUNO.TELLER", "33.30", "0.00"),
        ("2112", "0.00", "33.30"),
    ]

    def all_entries(**params: object) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            query = {**params, "limit": 500, **({"cursor": cursor} if cursor else {})}
            page = client.get(
                bank.url("/journal-entries"), params=query, headers=world.a.headers[Role.auditor]
            ).json()
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                return items

    listing = {"items": all_entries(kind="deposit")}
    assert dep["journal_entry_id"] in [e["id"] for e in listing["items"]]
    assert all(e["kind"] == "deposit" for e in listing["items"])
    by_account = {
        "items": all_entries(
            account="1111.PUNO.TELLER",
            **{"from": entry["business_date"], "to": entry["business_date"]},
        )
    }
    assert dep["journal_entry_id"] in [e["id"] for e in by_account["items"]]
    assert all(
        any(p["gl_account_code"] == "1111.PUNO.TELLER" for p in e["postings"])
        for e in by_account["items"]
    )
    none = client.get(
        bank.url("/journal-entries"),
        params={"to": "2000-01-01"},
        headers=world.a.headers[Role.auditor],
    ).json()
    assert none["items"] == []
    assert client.get(bank.url("/journal-entries"), headers=bank.teller).status_code == 403


def test_a_teller_reverses_their_own_slip_of_today_alone_once(
    client: TestClient, bank: Bank, world: World
) -> None:
    account = bank.account(client)
    dep = bank.deposit(client, account["id"], "80.00")  # booked by the teller
    url = bank.url(f"/journal-entries/{dep['journal_entry_id']}/reversal")
    assert client.post(url, headers=bank.teller).json()["code"] == "idempotency_key_required"
    k = key()
    body = {"description": "Depósito digitado en cuenta equivocada"}
    r = client.post(url, json=body, headers={**bank.teller, **k})
    assert r.status_code == 201, r.text
    rev = r.json()
    assert rev["kind"] == "reversal"
    assert rev["reversal_of"] == dep["journal_entry_id"]
    assert bank.balance(client, account["id"]) == "0.00"
    accountant = world.a.headers[Role.accountant]
    original = client.get(
        bank.url(f"/journal-entries/{dep['journal_entry_id']}"), headers=accountant
    ).json()
    assert original["reversed_by"] == rev["id"]
    # replay returns the same reversal; a new attempt is refused
    assert client.post(url, json=body, headers={**bank.teller, **k}).json()["id"] == rev["id"]
    again = client.post(url, headers={**bank.teller, **key()})
    assert (again.status_code, again.json()["code"]) == (409, "already_reversed")
    rr = client.post(
        bank.url(f"/journal-entries/{rev['id']}/reversal"), headers={**bank.teller, **key()}
    )
    assert (rr.status_code, rr.json()["code"]) == (409, "cannot_reverse_reversal")
    statement = client.get(
        bank.url(f"/savings-accounts/{account['id']}/transactions"), headers=bank.teller
    ).json()
    assert [(x["kind"], x["amount"], x["balance_after"]) for x in statement["items"]] == [
        ("deposit", "80.00", "80.00"),
        ("reversal", "-80.00", "0.00"),
    ]


def test_reversing_someone_elses_entry_takes_a_second_person(
    client: TestClient, bank: Bank, world: World
) -> None:
    """The review's point: one person alone undid what another booked."""
    accountant = world.a.headers[Role.accountant]
    manager = world.a.headers[Role.manager]
    account = bank.account(client)
    dep = bank.deposit(client, account["id"], "80.00")  # booked by the teller
    url = bank.url(f"/journal-entries/{dep['journal_entry_id']}/reversal")
    r = client.post(url, json={"description": "Cuenta equivocada"}, headers={**accountant, **key()})
    assert r.status_code == 202, r.text
    request = r.json()
    assert (request["status"], request["requested_by"]) == ("pending", "coopa.accountant")
    assert bank.balance(client, account["id"]) == "80.00"  # nothing moved yet
    again = client.post(url, headers={**manager, **key()})
    assert (again.status_code, again.json()["code"]) == (409, "reversal_already_requested")
    approve = bank.url(f"/reversal-requests/{request['id']}/approve")
    # the one who asked does not approve, not even with a key of their own
    r = client.post(approve, headers={**accountant, **key()})
    assert (r.status_code, r.json()["code"]) == (403, "approver_is_requester")
    made = client.post(
        bank.url("/api-keys"),
        json={"name": "cierre", "roles": ["accountant"], "scopes": ["counter"]},
        headers=accountant,
    ).json()
    r = client.post(approve, headers={"X-API-Key": made["key"], **key()})
    assert (r.status_code, r.json()["code"]) == (403, "approval_needs_person")
    assert bank.balance(client, account["id"]) == "80.00"
    # the teller may ask but not decide
    r = client.post(approve, headers={**bank.teller, **key()})
    assert r.status_code == 403
    r = client.post(approve, json={"note": "Visto el voucher"}, headers={**manager, **key()})
    assert r.status_code == 201, r.text
    assert r.json()["reversal_of"] == dep["journal_entry_id"]
    assert bank.balance(client, account["id"]) == "0.00"
    got = client.get(bank.url(f"/reversal-requests/{request['id']}"), headers=accountant).json()
    assert (got["status"], got["decided_by"], got["reversal_entry_id"]) == (
        "approved",
        "coopa.manager",
        r.json()["id"],
    )
    r = client.post(bank.url(f"/reversal-requests/{request['id']}/reject"), headers=manager)
    assert (r.status_code, r.json()["code"]) == (409, "reversal_request_decided")
    pending = client.get(
        bank.url("/reversal-requests"), params={"status": "pending"}, headers=manager
    ).json()["items"]
    assert all(p["id"] != request["id"] for p in pending)


def test_a_rejected_reversal_moves_nothing(client: TestClient, bank: Bank, world: World) -> None:
    account = bank.account(client)
    dep = bank.deposit(client, account["id"], "30.00")
    r = client.post(
        bank.url(f"/journal-entries/{dep['journal_entry_id']}/reversal"),
        headers={**world.a.headers[Role.accountant], **key()},
    )
    assert r.status_code == 202
    r = client.post(
        bank.url(f"/reversal-requests/{r.json()['id']}/reject"),
        json={"note": "El depósito es correcto"},
        headers=world.a.headers[Role.manager],
    )
    assert (r.status_code, r.json()["status"]) == (200, "rejected")
    assert bank.balance(client, account["id"]) == "30.00"


def test_reversal_cannot_overdraw(client: TestClient, bank: Bank, world: World) -> None:
    account = bank.account(client)
    dep = bank.deposit(client, account["id"], "40.00")
    client.post(
        bank.url(f"/savings-accounts/{account['id']}/withdrawals"),
        json={"amount": "40.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    r = client.post(
        bank.url(f"/journal-entries/{dep['journal_entry_id']}/reversal"),
        headers={**world.a.headers[Role.accountant], **key()},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "insufficient_funds"
    assert bank.balance(client, account["id"]) == "0.00"


def test_chart_of_accounts(client: TestClient, bank: Bank, world: World) -> None:
    h = world.a.headers[Role.accountant]
    chart = client.get(bank.url("/gl-accounts"), params={"limit": 500}, headers=h).json()["items"]
    codes = {a["code"]: a for a in chart}
    for code in ("1111.PUNO", "1121.PUNO", "2112", "2122", "3111", "1411", "5114"):
        assert code in codes
    assert codes["2112"]["control_kind"] == "savings"
    assert codes["3111"]["normal_side"] == "credit"
    assert codes["1411"]["normal_side"] == "debit"
    # the SBS manual's codes: banks 11x3, loan interest and commissions 51x4, provision
    # expense 43; memorandum accounts (81 debit, 83 their contra); 14x9 is the parent of the
    # generic and specific provisions, which are contra assets
    for code in ("1113", "5114.03", "4312", "8113", "8314", "1419.01", "1429.02"):
        assert code in codes
    for gone in ("1112", "5111", "5211", "4511"):
        assert gone not in codes
    assert (codes["8114"]["normal_side"], codes["8314"]["normal_side"]) == ("debit", "credit")
    assert (codes["1419.02"]["normal_side"], codes["1419"]["allows_posting"]) == ("credit", False)
    r = client.post(
        bank.url("/gl-accounts"),
        json={"code": "1512", "name": "Adelantos al personal", "currency": "PEN"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    assert r.json()["control_kind"] is None
    r = client.post(
        bank.url("/gl-accounts"),
        json={"code": "1512", "name": "Otra", "currency": "PEN"},
        headers=h,
    )
    assert r.json()["code"] == "gl_account_exists"
    r = client.post(
        bank.url("/gl-accounts"),
        json={"code": "1512", "name": "Otra", "currency": "USD"},
        headers=h,
    )
    assert r.json()["code"] == "gl_code_currency"
    assert (
        client.post(
            bank.url("/gl-accounts"),
            json={"code": "1522", "name": "x", "currency": "USD"},
            headers=bank.teller,
        ).status_code
        == 403
    )


def test_postings_are_append_only_in_the_database(
    owner_engine: Engine, db: Database, bank: Bank, client: TestClient
) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "5.00")
    for statement in (
        "UPDATE posting SET amount = amount * 2",
        "DELETE FROM journal_entry",
        "DELETE FROM posting",
    ):
        with pytest.raises(DBAPIError, match="append-only"), owner_engine.begin() as conn:
            conn.execute(text(statement))
    with pytest.raises(DBAPIError, match="permission denied"), db.engine.begin() as conn:
        conn.execute(text("SELECT set_config('coopac.tenant', '*', true)"))
        conn.execute(text("UPDATE posting SET amount = 1"))


def test_database_refuses_an_unbalanced_entry(owner_engine: Engine, bank: Bank) -> None:
    with owner_engine.connect() as conn:
        gl = conn.execute(
            text("SELECT id FROM gl_account WHERE cooperative_id = :c AND code = '1111.PUNO'"),
            {"c": bank.coop.id},
        ).scalar_one()
    entry = uuid.uuid4()
    with pytest.raises(DBAPIError, match="does not balance"), owner_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, value_date, "
                "actor_name) VALUES (:c, :e, 'manual', current_date, current_date, 'test')"
            ),
            {"c": bank.coop.id, "e": entry},
        )
        conn.execute(
            text(
                "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
                "business_date, value_date) "
                "VALUES (:c, :e, :g, 'PEN', 10.00, current_date, current_date)"
            ),
            {"c": bank.coop.id, "e": entry, "g": gl},
        )
    # a balanced entry whose lines name what is not there: their entry, their account in
    # their currency (checked once per statement, in place of foreign keys: migration 0018)
    with owner_engine.connect() as conn:
        other = conn.execute(
            text("SELECT id FROM gl_account WHERE cooperative_id <> :c AND code = '1113' LIMIT 1"),
            {"c": bank.coop.id},
        ).scalar_one()
    for entry_exists, lines, refusal in (
        (True, [(gl, "USD", "10.00"), (gl, "USD", "-10.00")], "GL account"),
        (True, [(other, "PEN", "-10.00"), (gl, "PEN", "10.00")], "GL account"),
        (False, [(gl, "PEN", "10.00"), (gl, "PEN", "-10.00")], "journal entry"),
    ):
        refused = pytest.raises(DBAPIError, match=f"{refusal} .* does not exist")
        with refused, owner_engine.begin() as conn:
            if entry_exists:
                conn.execute(
                    text(
                        "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, "
                        "value_date, actor_name) VALUES (:c, :e, 'manual', current_date, "
                        "current_date, 'test')"
                    ),
                    {"c": bank.coop.id, "e": entry},
                )
            for account, currency, amount in lines:
                conn.execute(
                    text(
                        "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, "
                        "currency, amount, business_date, value_date) VALUES (:c, :e, :g, "
                        ":cur, :a, current_date, current_date)"
                    ),
                    {"c": bank.coop.id, "e": entry, "g": account, "cur": currency, "a": amount},
                )
    # and what lines name is never deleted
    with pytest.raises(DBAPIError, match="append-only"), owner_engine.begin() as conn:
        conn.execute(text("DELETE FROM gl_account WHERE id = :g"), {"g": gl})


def test_verify_ledger_api_and_cli_detect_a_tampered_balance(
    client: TestClient, bank: Bank, world: World, owner_engine: Engine, settings: Settings
) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "10.00")
    h = world.a.headers[Role.auditor]
    ok = client.get(bank.url("/ledger/verification"), headers=h).json()
    assert ok["ok"] is True, ok["problems"]
    assert ok["member_accounts_checked"] > 0
    env = {"COOPAC_DATABASE_URL": settings.database_url or "", "PATH": "/usr/bin:/bin"}
    cli = [sys.executable, "-m", "coopac_core.cli", "verify-ledger", "--cooperative", "COOPA"]
    r = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "COOPA: OK" in r.stdout

    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE savings_account SET balance = balance + 1 WHERE id = :a"),
            {"a": account["id"]},
        )
    try:
        bad = client.get(bank.url("/ledger/verification"), headers=h).json()
        assert bad["ok"] is False
        assert any(str(account["id"]) in p for p in bad["problems"])
        assert any("control account 2112" in p for p in bad["problems"])
        r = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 1
        assert "FAILED" in r.stdout
    finally:
        with owner_engine.begin() as conn:
            conn.execute(
                text("UPDATE savings_account SET balance = balance - 1 WHERE id = :a"),
                {"a": account["id"]},
            )


def test_each_leg_gets_its_own_posting_even_when_two_legs_look_alike(
    db: Database, bank: Bank
) -> None:
    """All the lines of an entry go to the database in one INSERT and are matched back to
    their legs: twin legs must still come back as two postings, in the legs' order."""
    coop_id = uuid.UUID(bank.coop.id)
    actor = Principal(name="test", federation_roles=frozenset({Role.federation_admin}))
    ctx = CoopContext(coop_id, actor, frozenset({Role.federation_admin}))
    with db.session(coop_id) as session:
        puno = ledger.branch_cash_account(
            session, coop_id, uuid.UUID(bank.coop.branches["PUNO"]), "PEN"
        )
        juliaca = ledger.branch_cash_account(
            session, coop_id, uuid.UUID(bank.coop.branches["JULIACA"]), "PEN"
        )
        legs = [
            ledger.Leg(puno, Decimal("10.00")),
            ledger.Leg(juliaca, Decimal("-25.00")),
            ledger.Leg(puno, Decimal("10.00")),
            ledger.Leg(puno, Decimal("5.00")),
        ]
        entry, postings = ledger.post_entry(session, ctx, EntryKind.transfer, legs)
        entry_id = entry.id
        returned = [(p.id, p.gl_account_id, p.amount) for p in postings]
    assert [(g, a) for _, g, a in returned] == [(leg.gl_account.id, leg.amount) for leg in legs]
    assert len({i for i, _, _ in returned}) == 4
    with db.session(coop_id) as session:
        stored = session.execute(
            text("SELECT id, gl_account_id, amount FROM posting WHERE entry_id = :e ORDER BY id"),
            {"e": entry_id},
        ).all()
    assert sorted(returned) == [tuple(r) for r in stored]


def _open(conn: Any, coop: str, kind: str, lines: list[tuple[Any, Any, str]]) -> None:
    """One entry of ``kind`` whose lines (GL account, member account or None, amount) go
    in one INSERT, as an import posts them."""
    entry = uuid.uuid4()
    conn.execute(
        text(
            "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, value_date, "
            "actor_name) VALUES (:c, :e, :k, current_date, current_date, 'test')"
        ),
        {"c": coop, "e": entry, "k": kind},
    )
    values = ", ".join(
        f"(CAST(:c AS uuid), CAST(:e AS uuid), CAST(:g{i} AS uuid), 'PEN', "
        f"CAST(:a{i} AS numeric), CAST(:k{i} AS text), CAST(:m{i} AS uuid), "
        "current_date, current_date)"
        for i in range(len(lines))
    )
    params: dict[str, Any] = {"c": coop, "e": entry}
    for i, (gl, account, amount) in enumerate(lines):
        params |= {
            f"g{i}": gl,
            f"a{i}": amount,
            f"k{i}": "savings" if account else None,
            f"m{i}": account,
        }
    conn.execute(
        text(
            "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
            f"account_kind, account_id, business_date, value_date) VALUES {values}"
        ),
        params,
    )


def test_an_opening_balance_already_in_its_account_is_checked_not_moved_twice(
    client: TestClient, bank: Bank, world: World, owner_engine: Engine
) -> None:
    """An import opens accounts with their balances and posts them against the migration
    suspense account (19x8); the posting trigger proves such an account instead of moving
    it a second time. An account opened empty is moved as usual; one that has moved
    before, or holds another amount, is refused."""
    coop = bank.coop.id
    empty, opened, used, odd = (bank.account(client) for _ in range(4))
    bank.deposit(client, used["id"], "5.00")

    def gl(code: str) -> Any:
        with owner_engine.connect() as conn:
            return conn.execute(
                text("SELECT id FROM gl_account WHERE cooperative_id = :c AND code = :k"),
                {"c": coop, "k": code},
            ).scalar_one()

    def balance(account: dict[str, Any]) -> Decimal:
        with owner_engine.connect() as conn:
            found: Decimal = conn.execute(
                text("SELECT balance FROM savings_account WHERE id = :a"), {"a": account["id"]}
            ).scalar_one()
        return found

    deposits, suspense = gl("2112"), gl("1918")
    with owner_engine.begin() as conn:
        # as an import writes an account: its balance set when it is opened
        for account, amount in ((opened, "80.00"), (odd, "30.00")):
            conn.execute(
                text("UPDATE savings_account SET balance = :b WHERE id = :a"),
                {"b": amount, "a": account["id"]},
            )
    with owner_engine.begin() as conn:
        _open(
            conn,
            coop,
            "opening_balance",
            [(deposits, empty["id"], "-50.00"), (deposits, opened["id"], "-80.00"),
             (suspense, None, "130.00")],
        )  # fmt: skip
    with owner_engine.begin() as conn:
        # the old trial balance's other side, in a bank: the suspense nets to zero, as an
        # import is kept only when it does (verify-ledger proves it)
        _open(conn, coop, "opening_balance", [(gl("1113"), None, "130.00"),
                                              (suspense, None, "-130.00")])  # fmt: skip
    assert balance(empty) == Decimal("50.00")
    assert balance(opened) == Decimal("80.00")  # not 160.00
    refusals = (
        (used, "-5.00", "has earlier postings"),
        (odd, "-80.00", "holds 30.00 before an opening balance of 80.00"),
    )
    for account, amount, refusal in refusals:
        with pytest.raises(DBAPIError, match=refusal), owner_engine.begin() as conn:
            _open(
                conn,
                coop,
                "opening_balance",
                [(deposits, account["id"], amount), (suspense, None, amount.lstrip("-"))],
            )
    assert balance(used) == Decimal("5.00")
    # an opening balance goes in a statement of its own
    with pytest.raises(DBAPIError, match="statement of its own"), owner_engine.begin() as conn:
        entry = uuid.uuid4()
        conn.execute(text(INSERT_ENTRY), {"c": coop, "e": entry})
        opening = uuid.uuid4()
        conn.execute(
            text(
                "INSERT INTO journal_entry (cooperative_id, id, kind, business_date, "
                "value_date, actor_name) VALUES (:c, :e, 'opening_balance', current_date, "
                "current_date, 'test')"
            ),
            {"c": coop, "e": opening},
        )
        conn.execute(
            text(
                "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, "
                "amount, business_date, value_date) VALUES "
                "(:c, :e, :s, 'PEN', 1.00, current_date, current_date), "
                "(:c, :e, :d, 'PEN', -1.00, current_date, current_date), "
                "(:c, :o, :s, 'PEN', 1.00, current_date, current_date), "
                "(:c, :o, :d, 'PEN', -1.00, current_date, current_date)"
            ),
            {"c": coop, "e": entry, "o": opening, "s": suspense, "d": deposits},
        )
    # the odd account is put back as it was, and the ledger proves every balance
    with owner_engine.begin() as conn:
        conn.execute(text("UPDATE savings_account SET balance = 0 WHERE id = :a"), {"a": odd["id"]})
    report = client.get(
        bank.url("/ledger/verification"), headers=world.a.headers[Role.auditor]
    ).json()
    assert report["ok"] is True, report["problems"]
