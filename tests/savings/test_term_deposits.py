"""Term deposits through close of business: the term's daily accruals add up to exactly the
interest at maturity, each maturity instruction, and early cancellation."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.savings.interest import day_accrual, term_interest
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key, make_bank
from tests.support.cob import close_until
from tests.support.world import World, make_coop

TERM = 30


def _by_hand(amount: Decimal, tea: Decimal, days: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        rate = (1 + tea) ** (Decimal(days) / Decimal(360)) - 1
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_terms_days_add_up_to_the_interest_at_maturity() -> None:
    rng = random.Random(7)
    for _ in range(200):
        amount = Decimal(rng.randint(100, 5_000_000)) / 100
        tea = Decimal(rng.randint(1, 1500)) / 10000
        term = rng.choice([30, 90, 180, 360, 365, 720])
        total = sum((day_accrual(amount, tea, k, term) for k in range(1, term + 1)), Decimal(0))
        assert total == term_interest(amount, tea, term) == _by_hand(amount, tea, term)


@pytest.fixture(scope="module")
def tbank(client: TestClient, world: World) -> Bank:
    body = "2060000006"
    start = datetime.now(ZoneInfo("America/Lima")).date() - timedelta(days=3 * TERM)
    coop = make_coop(client, world.fed_admin, "COOPPF", body + str(ruc_check_digit(body)), start)
    return make_bank(client, coop)


def _product(client: TestClient, bank: Bank, code: str, **extra: object) -> str:
    r = client.post(
        bank.url("/savings-products"),
        json={
            "code": code,
            "name": f"Plazo fijo {code}",
            "kind": "term",
            "currency": "PEN",
            "tea": "0.0600",
            "term_days": TERM,
            **extra,
        },
        headers=bank.admin,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _open(client: TestClient, bank: Bank, product: str, amount: str, **extra: object) -> Any:
    member = bank.member(client)
    sight = bank.account(client, member_id=member["id"])
    r = client.post(
        bank.url("/savings-accounts"),
        json={"member_id": member["id"], "product_id": product, **extra},
        headers=bank.teller,
    )
    assert r.status_code == 201, r.text
    bank.deposit(client, r.json()["id"], amount)
    return r.json(), sight


def _get(client: TestClient, bank: Bank, account_id: object) -> Any:
    return client.get(bank.url(f"/savings-accounts/{account_id}"), headers=bank.teller).json()


def test_maturity_instructions_renew_pay_interest_or_transfer(
    client: TestClient, tbank: Bank
) -> None:
    bank = tbank
    product = _product(client, bank, "PF30")
    renew, _ = _open(client, bank, product, "10000.00")
    member = bank.member(client)
    payout = bank.account(client, member_id=member["id"])
    r = client.post(
        bank.url("/savings-accounts"),
        json={
            "member_id": member["id"],
            "product_id": product,
            "maturity_instruction": "renew_principal",
            "payout_account_id": payout["id"],
        },
        headers=bank.teller,
    )
    assert r.status_code == 201, r.text
    principal_only = r.json()
    bank.deposit(client, principal_only["id"], "5000.00")
    moved, moved_sight = _open(client, bank, product, "2000.00")
    # the instruction changes before maturity; another member's account is refused
    r = client.put(
        bank.url(f"/savings-accounts/{moved['id']}/maturity-instruction"),
        json={"maturity_instruction": "transfer", "payout_account_id": payout["id"]},
        headers=bank.teller,
    )
    assert (r.status_code, r.json()["code"]) == (422, "invalid_payout_account")
    r = client.put(
        bank.url(f"/savings-accounts/{moved['id']}/maturity-instruction"),
        json={"maturity_instruction": "transfer", "payout_account_id": moved_sight["id"]},
        headers=bank.teller,
    )
    assert r.status_code == 200, r.text
    placed = _get(client, bank, renew["id"])
    assert (placed["placed_amount"], placed["rate"]) == ("10000.00", "0.060000")
    assert (
        placed["maturity_date"]
        == (datetime.fromisoformat(placed["placed_on"]) + timedelta(days=TERM)).date().isoformat()
    )

    close_until(client, bank.coop, TERM)  # the last day of the term is closed
    i_renew = _by_hand(Decimal("10000.00"), Decimal("0.06"), TERM)
    after = _get(client, bank, renew["id"])
    assert after["balance"] == str(Decimal("10000.00") + i_renew)
    assert after["placed_amount"] == after["balance"]
    assert after["placed_on"] == placed["maturity_date"]
    assert after["status"] == "active"

    i_principal = _by_hand(Decimal("5000.00"), Decimal("0.06"), TERM)
    assert _get(client, bank, principal_only["id"])["balance"] == "5000.00"
    assert _get(client, bank, payout["id"])["balance"] == str(i_principal)

    i_moved = _by_hand(Decimal("2000.00"), Decimal("0.06"), TERM)
    closed = _get(client, bank, moved["id"])
    assert (closed["status"], closed["balance"]) == ("closed", "0.00")
    assert _get(client, bank, moved_sight["id"])["balance"] == str(Decimal("2000.00") + i_moved)
    lines = client.get(
        bank.url(f"/savings-accounts/{renew['id']}/transactions"), headers=bank.teller
    ).json()["items"]
    assert [x["amount"] for x in lines if x["kind"] == "interest"] == [str(i_renew)]
    report = client.get(bank.url("/ledger/verification"), headers=bank.coop.headers[Role.auditor])
    assert report.json()["ok"] is True, report.json()["problems"]


def test_early_cancellation_follows_the_product(client: TestClient, tbank: Bank) -> None:
    bank = tbank
    penalty = _product(client, bank, "PF30P", early_withdrawal="penalty_tea", penalty_tea="0.0100")
    forfeit = _product(client, bank, "PF30F", early_withdrawal="forfeit_interest")
    locked = _product(client, bank, "PF30N")
    with_penalty, sight = _open(client, bank, penalty, "8000.00")
    forfeited, forfeit_sight = _open(client, bank, forfeit, "3000.00")
    not_allowed, _ = _open(client, bank, locked, "1000.00")
    close_until(client, bank.coop, 10)
    # a partial withdrawal before maturity is refused
    r = client.post(
        bank.url(f"/savings-accounts/{with_penalty['id']}/withdrawals"),
        json={"amount": "100.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 422
    assert r.json()["code"] in ("term_partial_withdrawal", "term_not_matured")
    r = client.post(
        bank.url(f"/savings-accounts/{not_allowed['id']}/cancellation"),
        json={"branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    assert (r.status_code, r.json()["code"]) == (422, "term_not_matured")
    assert _get(client, bank, with_penalty["id"])["accrued_interest"] != "0.00"

    r = client.post(
        bank.url(f"/savings-accounts/{with_penalty['id']}/cancellation"),
        json={"to_account_id": sight["id"]},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    earned = _by_hand(Decimal("8000.00"), Decimal("0.01"), 10)
    assert (r.json()["principal"], r.json()["interest"]) == ("8000.00", str(earned))
    assert _get(client, bank, sight["id"])["balance"] == str(Decimal("8000.00") + earned)
    gone = _get(client, bank, with_penalty["id"])
    assert (gone["status"], gone["balance"], gone["accrued_interest"]) == ("closed", "0.00", "0.00")

    r = client.post(
        bank.url(f"/savings-accounts/{forfeited['id']}/cancellation"),
        json={"to_account_id": forfeit_sight["id"]},
        headers={**bank.teller, **key()},
    )
    assert r.status_code == 201, r.text
    assert r.json()["interest"] == "0.00"
    assert _get(client, bank, forfeit_sight["id"])["balance"] == "3000.00"
    # today's close books the give-back: the books prove the interest owed again
    close_until(client, bank.coop, 1)
    report = client.get(bank.url("/ledger/verification"), headers=bank.coop.headers[Role.auditor])
    assert report.json()["ok"] is True, report.json()["problems"]
