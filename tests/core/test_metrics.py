"""/metrics in Prometheus' format: closed to anonymous callers unless a setting opens it,
read by a scraper with its token; it counts requests by route template and status, and
money operations by kind and outcome."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from coopac_core.config import Settings
from tests.support.bank import Bank


def test_metrics_are_read_with_the_scrapers_token(
    client: TestClient, bank: Bank, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = client.get("/metrics")
    assert (r.status_code, r.json()["code"]) == (401, "not_authenticated")
    state = client.app.state._state  # type: ignore[attr-defined]
    scraped = settings.model_copy(update={"metrics_token": SecretStr("scrape-it-0123456789")})
    monkeypatch.setitem(state, "settings", scraped)
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401

    account = bank.account(client)["id"]
    bank.deposit(client, account, "12.00")
    r = client.get("/metrics", headers={"Authorization": "Bearer scrape-it-0123456789"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    route = "/api/v1/cooperatives/{cooperative_id}/savings-accounts/{account_id}/deposits"
    assert f'coopac_http_requests_total{{method="POST",route="{route}",status="201"}}' in text
    assert 'coopac_money_operations_total{operation="deposit",outcome="done"}' in text
    assert "coopac_http_request_duration_seconds_bucket" in text
    assert "coopac_db_pool_connections_in_use" in text
    # no member's data, no id: series by route template only
    assert str(account) not in text

    monkeypatch.setitem(state, "settings", settings.model_copy(update={"metrics_public": True}))
    assert client.get("/metrics").status_code == 200
