"""The attack: a teller withdrew 3,000 from a deceased member's savings. A deceased or
withdrawn member's savings take no debit but their settlement: by the manager, on the
document that proves the death and the heirs, or the leaving."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.bank import Bank, key


def test_a_deceased_members_savings_are_only_settled_by_the_manager(
    client: TestClient, bank: Bank
) -> None:
    member = bank.member(client)
    account = bank.account(client, member_id=member["id"])
    other = bank.account(client)
    bank.deposit(client, account["id"], "3000.00")
    bank.record_status(client, member["id"], "deceased")
    refused = [
        (f"/savings-accounts/{account['id']}/withdrawals", {"amount": "3000.00"}),
        ("/transfers", {"from_account_id": account["id"], "to_account_id": other["id"],
                        "amount": "100.00"}),
    ]  # fmt: skip
    for path, body in refused:
        r = client.post(bank.url(path), json=body, headers={**bank.teller, **key()})
        assert (r.status_code, r.json()["code"]) == (409, "member_in_settlement"), (path, r.text)
        assert "fallecido" in r.json()["detail"]
    assert bank.balance(client, account["id"]) == "3000.00"
    settle = bank.url(f"/savings-accounts/{account['id']}/settlement")
    paper = {"document_reference": "Sucesión intestada, partida 11002233"}
    r = client.post(settle, json=paper, headers={**bank.teller, **key()})
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = client.post(settle, json={}, headers={**bank.coop.headers[Role.manager], **key()})
    assert r.status_code == 422  # no document, no settlement
    r = client.post(settle, json=paper, headers={**bank.coop.headers[Role.manager], **key()})
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["balance"]) == ("-3000.00", "0.00")
    assert "partida 11002233" in r.json()["description"]
    got = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=bank.teller).json()
    assert got["status"] == "closed"
    audit = client.get(
        bank.url("/audit-events"),
        params={"action": "savings_account.settle"},
        headers=bank.coop.headers[Role.auditor],
    ).json()["items"]
    [event] = [e for e in audit if e["resource_id"] == account["id"]]
    assert event["details"]["document_reference"] == paper["document_reference"]
    # an active member's account is not settled
    r = client.post(
        bank.url(f"/savings-accounts/{other['id']}/settlement"),
        json=paper,
        headers={**bank.coop.headers[Role.manager], **key()},
    )
    assert (r.status_code, r.json()["code"]) == (409, "member_not_in_settlement")
