"""A reversal is the inverse of an operation, so it obeys the account's rules; what a mirror
entry cannot undo is refused with a code. Each test is the attack the review made, and
asserts that nothing moved."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.bank import Bank, key
from tests.support.world import World


def _reverse(client: TestClient, world: World, bank: Bank, entry: object) -> tuple[int, str]:
    r = client.post(
        bank.url(f"/journal-entries/{entry}/reversal"),
        headers={**world.a.headers[Role.accountant], **key()},
    )
    return r.status_code, str(r.json().get("code", ""))


def test_a_deposit_under_a_court_hold_is_not_reversed_into_the_red(
    client: TestClient, world: World, bank: Bank
) -> None:
    account = bank.account(client)
    deposit = bank.deposit(client, account["id"], "100.00")
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/holds"),
        json={"amount": "100.00", "reason": "Embargo judicial"},
        headers=world.a.headers[Role.manager],
    )
    assert r.status_code == 201
    assert _reverse(client, world, bank, deposit["journal_entry_id"]) == (422, "insufficient_funds")
    got = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=bank.teller).json()
    assert (got["balance"], got["available_balance"]) == ("100.00", "0.00")


def test_a_blocked_account_takes_no_reversal(client: TestClient, world: World, bank: Bank) -> None:
    account = bank.account(client)
    deposit = bank.deposit(client, account["id"], "100.00")
    r = client.patch(
        bank.url(f"/savings-accounts/{account['id']}"),
        json={"status": "blocked"},
        headers=world.a.headers[Role.manager],
    )
    assert r.status_code == 200
    assert _reverse(client, world, bank, deposit["journal_entry_id"]) == (422, "account_blocked")
    assert bank.balance(client, account["id"]) == "100.00"


def test_reversing_a_share_refund_reopens_the_share_account_it_closed(
    client: TestClient, world: World, bank: Bank
) -> None:
    """The attack put 200.00 back into a deceased member's closed share account."""
    member = bank.member(client)
    url = bank.url(f"/members/{member['id']}/share-account")
    client.post(
        f"{url}/payments",
        json={"amount": "200.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    )
    bank.record_status(client, member["id"], "deceased")
    refund = client.post(
        f"{url}/refund", json={"branch_id": bank.puno}, headers={**bank.teller, **key()}
    ).json()
    request = client.post(
        bank.url(f"/journal-entries/{refund['journal_entry_id']}/reversal"),
        headers={**world.a.headers[Role.accountant], **key()},
    )
    assert request.status_code == 202
    r = client.post(
        bank.url(f"/reversal-requests/{request.json()['id']}/approve"),
        headers={**world.a.headers[Role.manager], **key()},
    )
    assert r.status_code == 201, r.text
    # the capital is the member's again, in an open account, awaiting a correct refund
    account = client.get(url, headers=bank.teller).json()
    assert (account["status"], account["balance"]) == ("active", "200.00")
    report = client.get(bank.url("/ledger/verification"), headers=world.a.headers[Role.auditor])
    assert report.json()["ok"] is True, report.json()["problems"]
    again = client.post(
        f"{url}/refund", json={"branch_id": bank.puno}, headers={**bank.teller, **key()}
    )
    assert again.status_code == 201, again.text
    account = client.get(url, headers=bank.teller).json()
    assert (account["status"], account["balance"]) == ("closed", "0.00")


def test_a_share_payment_of_a_member_since_refunded_is_not_reversed(
    client: TestClient, world: World, bank: Bank
) -> None:
    member = bank.member(client)
    url = bank.url(f"/members/{member['id']}/share-account")
    payment = client.post(
        f"{url}/payments",
        json={"amount": "50.00", "branch_id": bank.puno},
        headers={**bank.teller, **key()},
    ).json()
    bank.record_status(client, member["id"], "withdrawn")
    client.post(f"{url}/refund", json={"branch_id": bank.puno}, headers={**bank.teller, **key()})
    assert _reverse(client, world, bank, payment["journal_entry_id"]) == (
        422,
        "share_account_closed",
    )
