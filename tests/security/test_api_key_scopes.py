"""API key scopes, expiry and last use: a key does the kind of work it was made for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from coopac_core.security.roles import Role
from coopac_core.security.scopes import ApiKeyScope, required_scope
from tests.support.bank import Bank, key


def _key(client: TestClient, bank: Bank, who: dict[str, str], **body: object) -> dict[str, object]:
    r = client.post(bank.url("/api-keys"), json={"name": "script", **body}, headers=who)
    assert r.status_code == 201, r.text
    made: dict[str, object] = r.json()
    return made


def test_a_key_outside_its_scope_is_refused_and_moves_nothing(
    client: TestClient, bank: Bank
) -> None:
    account = bank.account(client)
    bank.deposit(client, account["id"], "50.00")
    reader = _key(client, bank, bank.teller, roles=["teller"], branch_id=bank.puno)
    assert reader["scopes"] == ["read"]  # the default: least
    headers = {"X-API-Key": str(reader["key"])}
    r = client.get(bank.url(f"/savings-accounts/{account['id']}"), headers=headers)
    assert r.status_code == 200, r.text
    r = client.post(
        bank.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "10.00"},
        headers={**headers, **key()},
    )
    assert (r.status_code, r.json()["code"]) == (403, "scope_required")
    assert "counter" in r.json()["detail"]
    assert bank.balance(client, account["id"]) == "50.00"
    # reports are a scope of their own
    accountant = bank.coop.headers[Role.accountant]
    reports = _key(client, bank, accountant, roles=["accountant"], scopes=["reports"])
    headers = {"X-API-Key": str(reports["key"])}
    r = client.get(bank.url("/reports/balance-sheet"), headers=headers)
    # let in: no month is closed in this test's cooperative yet
    assert (r.status_code, r.json()["code"]) == (404, "period_not_found")
    r = client.get(bank.url("/journal-entries"), headers=headers)
    assert (r.status_code, r.json()["code"]) == (403, "scope_required")
    # a key's last use shows in the list
    r = client.get(bank.url("/api-keys"), headers=bank.admin)
    listed = {k["id"]: k for k in r.json()["items"]}
    assert listed[reader["id"]]["last_used_at"] is not None
    assert listed[reports["id"]]["scopes"] == ["reports"]


def test_an_expired_key_stops(client: TestClient, bank: Bank, owner_engine: Engine) -> None:
    accountant = bank.coop.headers[Role.accountant]
    r = client.post(
        bank.url("/api-keys"),
        json={
            "name": "vencida",
            "roles": ["accountant"],
            "expires_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        },
        headers=accountant,
    )
    assert (r.status_code, r.json()["code"]) == (422, "api_key_expiry_invalid")
    made = _key(
        client,
        bank,
        accountant,
        roles=["accountant"],
        expires_at=(datetime.now(UTC) + timedelta(days=30)).isoformat(),
    )
    headers = {"X-API-Key": str(made["key"])}
    assert client.get(bank.url("/journal-entries"), headers=headers).status_code == 200
    with owner_engine.begin() as conn:
        conn.execute(text("SELECT set_config('coopac.tenant', '*', true)"))
        conn.execute(
            text("UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = :i"),
            {"i": made["id"]},
        )
    r = client.get(bank.url("/journal-entries"), headers=headers)
    assert (r.status_code, r.json()["code"]) == (401, "api_key_expired")


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("GET", "/api/v1/cooperatives/c/members", ApiKeyScope.read),
        ("POST", "/api/v1/cooperatives/c/savings-accounts/a/deposits", ApiKeyScope.counter),
        ("POST", "/api/v1/cooperatives/c/sync-batches", ApiKeyScope.counter),
        ("GET", "/api/v1/cooperatives/c/reports/debtors", ApiKeyScope.reports),
        ("GET", "/api/v1/cooperatives/c/journal-entries/export", ApiKeyScope.reports),
        ("POST", "/api/v1/cooperatives/c/imports", ApiKeyScope.imports),
        ("GET", "/api/v1/cooperatives/c/imports/i", ApiKeyScope.imports),
        ("POST", "/api/v1/cooperatives/c/users", ApiKeyScope.admin),
        ("PATCH", "/api/v1/cooperatives/c", ApiKeyScope.admin),
        ("POST", "/api/v1/cooperatives/c/webhook-endpoints", ApiKeyScope.admin),
        ("PATCH", "/api/v1/cooperatives/c/tills/t", ApiKeyScope.admin),
        ("POST", "/api/v1/cooperatives/c/tills/t/sessions", ApiKeyScope.counter),
    ],
)
def test_the_scope_each_request_needs(method: str, path: str, scope: ApiKeyScope) -> None:
    assert required_scope(method, path) is scope
