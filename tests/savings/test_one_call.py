"""A deposit, a transfer or a share payment is one database call (``coopac_money_call``),
whoever calls: a signed-in user or an API key, checked by the database either way. The
answer is what the route's response model says; refusals carry the same codes, are kept
as the key's answer, and the caller's refusals are not kept."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from coopac_core.flows import counter_router
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key
from tests.support.world import World, add_user, login


def _credentials(client: TestClient, bank: Bank, path: str) -> dict[str, str]:
    """The teller of Puno, signed in (one call) or through an API key they made."""
    if path == "token":
        return bank.teller
    r = client.post(
        bank.url("/api-keys"),
        json={
            "name": "Caja Puno",
            "roles": ["teller"],
            "branch_id": bank.puno,
            "scopes": ["read", "counter"],
        },
        headers=bank.teller,
    )
    assert r.status_code == 201, r.text
    return {"X-API-Key": r.json()["key"]}


def _post(
    client: TestClient, url: str, body: dict[str, Any], who: dict[str, str], k: dict[str, str]
) -> tuple[int, dict[str, Any], str | None]:
    r = client.post(url, json=body, headers={**who, **k})
    return r.status_code, r.json(), r.headers.get("Idempotent-Replayed")


def _as_route_says(path: str, answer: dict[str, Any]) -> None:
    """The answer is exactly what the route's response model makes of it: no field more or
    less, every value in the form the model writes it. The database writes these answers;
    the model is what the contract publishes."""
    routes = counter_router.router.routes
    route = next(
        r
        for r in routes
        if isinstance(r, APIRoute) and r.path == f"/api/v1/cooperatives/{{cooperative_id}}{path}"
    )
    model = route.response_model
    assert model.model_validate(answer).model_dump(mode="json", by_alias=True) == answer


@pytest.mark.parametrize("path", ["token", "api_key"])
def test_deposit_and_transfer_answer_alike(client: TestClient, bank: Bank, path: str) -> None:
    who = _credentials(client, bank, path)
    src, dst = bank.account(client), bank.account(client)
    status, dep, _ = _post(
        client,
        bank.url(f"/savings-accounts/{src['id']}/deposits"),
        {"amount": "100.00", "branch_id": bank.puno, "currency": "PEN"},
        who,
        key(),
    )
    assert status == 201, dep
    assert set(dep) == {
        "id",
        "journal_entry_id",
        "account_id",
        "kind",
        "amount",
        "currency",
        "balance",
        "available_balance",
        "value_date",
        "booked_at",
        "description",
        "receipt_number",
    }
    assert dep["receipt_number"].startswith("PUNO-TELLER-")
    assert (dep["kind"], dep["amount"], dep["balance"], dep["available_balance"]) == (
        "deposit",
        "100.00",
        "100.00",
        "100.00",
    )
    assert (dep["currency"], dep["description"]) == ("PEN", "Depósito en efectivo")
    assert dep["booked_at"].endswith("Z") and isinstance(dep["id"], int)
    _as_route_says("/savings-accounts/{account_id}/deposits", dep)

    status, out, _ = _post(
        client,
        bank.url("/transfers"),
        {"from_account_id": src["id"], "to_account_id": dst["id"], "amount": "30.10"},
        who,
        key(),
    )
    assert status == 201, out
    assert (out["amount"], out["balance"], out["available_balance"], out["to_balance"]) == (
        "30.10",
        "69.90",
        "69.90",
        "30.10",
    )
    assert out["description"] == f"Transferencia a {dst['number']}"
    _as_route_says("/transfers", out)
    assert bank.balance(client, src["id"]) == "69.90"
    assert bank.balance(client, dst["id"]) == "30.10"

    lines = client.get(
        bank.url(f"/savings-accounts/{src['id']}/transactions"), headers=bank.teller
    ).json()["items"]
    assert [(x["kind"], x["amount"], x["balance_after"], x["id"]) for x in lines] == [
        ("deposit", "100.00", "100.00", dep["id"]),
        ("transfer", "-30.10", "69.90", out["id"]),
    ]

    status, share, _ = _post(
        client,
        bank.url(f"/members/{src['member_id']}/share-account/payments"),
        {"amount": "19.90", "from_account_id": src["id"]},
        who,
        key(),
    )
    assert status == 201, share
    assert (share["kind"], share["amount"], share["balance"], share["description"]) == (
        "share_payment",
        "19.90",
        "19.90",
        "Aporte con cargo a ahorros",
    )
    _as_route_says("/members/{member_id}/share-account/payments", share)
    assert bank.balance(client, src["id"]) == "50.00"
    # booked as the caller: the key and the person behind it, the channel it came in by
    r = client.get(
        bank.url(f"/journal-entries/{dep['journal_entry_id']}"),
        headers=bank.coop.headers[Role.accountant],
    )
    assert r.status_code == 200, r.text
    entry = r.json()
    assert entry["channel"] == ("counter" if path == "token" else "batch"), entry


@pytest.mark.parametrize("path", ["token", "api_key"])
def test_refusals_alike_and_kept(client: TestClient, bank: Bank, path: str) -> None:
    who = _credentials(client, bank, path)
    account, blocked, other = bank.account(client), bank.account(client), bank.account(client)
    bank.deposit(client, account["id"], "50.00")
    r = client.patch(
        bank.url(f"/savings-accounts/{blocked['id']}"),
        json={"status": "blocked"},
        headers=bank.coop.headers[Role.manager],
    )
    assert r.status_code == 200, r.text
    deposits = bank.url(f"/savings-accounts/{account['id']}/deposits")
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        (deposits, {"amount": "0", "branch_id": bank.puno}, 422, "amount_invalid"),
        (deposits, {"amount": "5.00", "branch_id": bank.puno, "currency": "USD"}, 422,
         "currency_mismatch"),
        (deposits, {"amount": "5.00", "branch_id": bank.coop.branches["JULIACA"]}, 409,
         "till_session_required"),
        (deposits, {"amount": "20000.01", "branch_id": bank.puno}, 403, "limit_exceeded"),
        (bank.url(f"/savings-accounts/{blocked['id']}/deposits"),
         {"amount": "5.00", "branch_id": bank.puno}, 422, "account_blocked"),
        (bank.url("/savings-accounts/00000000-0000-4000-8000-000000000000/deposits"),
         {"amount": "5.00", "branch_id": bank.puno}, 404, "account_not_found"),
        (bank.url("/transfers"),
         {"from_account_id": account["id"], "to_account_id": other["id"], "amount": "50.01"},
         422, "insufficient_funds"),
        (bank.url("/transfers"),
         {"from_account_id": account["id"], "to_account_id": account["id"], "amount": "1.00"},
         422, "same_account"),
        (bank.url(f"/members/{other['member_id']}/share-account/payments"),
         {"amount": "1.00", "from_account_id": account["id"]}, 422, "account_owner_mismatch"),
        (bank.url(f"/members/{account['member_id']}/share-account/payments"),
         {"amount": "50.01", "from_account_id": account["id"]}, 422, "insufficient_funds"),
        (bank.url("/members/00000000-0000-4000-8000-000000000000/share-account/payments"),
         {"amount": "1.00", "branch_id": bank.puno}, 404, "member_not_found"),
    ]  # fmt: skip
    for url, body, status, code in cases:
        k = key()
        first = _post(client, url, body, who, k)
        assert (first[0], first[1]["code"], first[2]) == (status, code, None), (body, first)
        again = _post(client, url, body, who, k)
        assert again == (first[0], first[1], "true"), body
    limit = _post(client, deposits, {"amount": "20000.01", "branch_id": bank.puno}, who, key())
    assert limit[1]["detail"] == (
        "El monto excede su límite por operación para deposit (20000.00 PEN)"
    )
    assert bank.balance(client, account["id"]) == "50.00"
    assert bank.balance(client, other["id"]) == "0.00"


def test_the_callers_refusals_are_not_kept(client: TestClient, world: World, bank: Bank) -> None:
    account = bank.account(client)
    url = bank.url(f"/savings-accounts/{account['id']}/deposits")
    body = {"amount": "10.00", "branch_id": bank.puno}
    user = add_user(client, bank.coop, "a.cajero.puno", ["teller"], "PUNO")
    teller = login(client, "a.cajero.puno")
    r = client.patch(bank.url(f"/users/{user}"), json={"is_active": False}, headers=bank.admin)
    assert r.status_code == 200, r.text
    k = key()
    r = client.post(url, json=body, headers={**teller, **k})
    assert (r.status_code, r.json()["code"]) == (401, "token_revoked")
    # The federation reads; it never moves a member's money.
    r = client.post(url, json=body, headers={**world.fed_admin, **k})
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    assert "La federación consulta" in r.json()["detail"]
    r = client.post(url, json=body, headers={**world.fed_analyst, **k})
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    # Another cooperative's staff do not even learn that this one exists.
    r = client.post(url, json=body, headers={**world.b.headers[Role.teller], **k})
    assert (r.status_code, r.json()["code"]) == (404, "cooperative_not_found")
    # None of those kept the key: the teller's own request, with it, runs.
    r = client.post(url, json=body, headers={**bank.teller, **k})
    assert r.status_code == 201, r.text
    assert "Idempotent-Replayed" not in r.headers
    # Another body, or another person, with the same key is refused and moves nothing.
    r = client.post(url, json={**body, "amount": "11.00"}, headers={**bank.teller, **k})
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")
    r = client.post(url, json=body, headers={**bank.coop.headers[Role.manager], **k})
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")
    assert bank.balance(client, account["id"]) == "10.00"


def test_an_api_key_is_refused_as_on_every_other_route(client: TestClient, bank: Bank) -> None:
    """The one-call path checks a key as every request is checked: revoked, its owner
    disabled or no longer holding the role: refused, nothing moved, the key not kept."""
    src, dst = bank.account(client), bank.account(client)
    bank.deposit(client, src["id"], "50.00")
    url = bank.url("/transfers")
    body = {"from_account_id": src["id"], "to_account_id": dst["id"], "amount": "10.00"}
    user = add_user(client, bank.coop, "b.cajero.puno", ["teller"], "PUNO")
    teller = login(client, "b.cajero.puno")

    def new_key() -> dict[str, str]:
        r = client.post(
            bank.url("/api-keys"),
            json={"name": "Caja", "roles": ["teller"], "branch_id": bank.puno,
                  "scopes": ["counter"]},
            headers=teller,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        return {"X-API-Key": r.json()["key"], "id": r.json()["id"]}

    revoked = new_key()
    r = client.post(bank.url(f"/api-keys/{revoked.pop('id')}/revoke"), headers=bank.admin)
    assert r.status_code == 200, r.text
    k = key()
    r = client.post(url, json=body, headers={**revoked, **k})
    assert (r.status_code, r.json()["code"]) == (401, "api_key_revoked")
    wrong = {"X-API-Key": revoked["X-API-Key"][:-2] + "xx"}
    r = client.post(url, json=body, headers={**wrong, **k})
    assert (r.status_code, r.json()["code"]) == (401, "invalid_api_key")

    live = new_key()
    live.pop("id")
    r = client.post(url, json=body, headers={**live, **key()})
    assert r.status_code == 201, r.text
    # the owner loses the role the key acts with: so does the key
    r = client.patch(bank.url(f"/users/{user}"), json={"roles": ["auditor"]}, headers=bank.admin)
    assert r.status_code == 200, r.text
    r = client.post(url, json=body, headers={**live, **k})
    assert (r.status_code, r.json()["code"]) == (404, "cooperative_not_found")
    r = client.patch(bank.url(f"/users/{user}"), json={"is_active": False}, headers=bank.admin)
    assert r.status_code == 200, r.text
    r = client.post(url, json=body, headers={**live, **k})
    assert (r.status_code, r.json()["code"]) == (401, "api_key_owner_inactive")
    # none of those kept the key: the teller's own request, with it, runs
    r = client.post(url, json=body, headers={**bank.teller, **k})
    assert r.status_code == 201, r.text
    assert (bank.balance(client, src["id"]), bank.balance(client, dst["id"])) == (
        "30.00",
        "20.00",
    )
