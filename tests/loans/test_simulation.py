from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.world import World


def _simulate(client: TestClient, world: World, body: dict[str, object]) -> dict[str, object]:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/loan-simulations",
        json=body,
        headers=world.a.headers[Role.credit_officer],
    )
    assert r.status_code == 200, r.text
    out: dict[str, object] = r.json()
    return out


def test_dairy_farmer_single_payment_after_harvest(client: TestClient, world: World) -> None:
    out = _simulate(
        client,
        world,
        {
            "amount": "3000.00",
            "tea": "0.2400",
            "term": 1,
            "method": "single_payment",
            "frequency": "dates",
            "disbursement_date": "2026-03-01",
            "due_dates": ["2026-08-28"],
        },
    )
    installments = out["installments"]
    assert isinstance(installments, list) and len(installments) == 1
    assert installments[0] == {
        "number": 1,
        "due_date": "2026-08-28",
        "days": 180,
        "principal": "3000.00",
        "interest": "340.66",
        "fees": "0.00",
        "insurance": "0.00",
        "total": "3340.66",
        "balance_after": "0.00",
    }
    # no fees: the cost is the TEA, give or take the céntimo rounding of the interest
    assert abs(Decimal(str(out["tcea"])) - Decimal("0.24")) <= Decimal("0.000002")


def test_monthly_french_with_commission_and_desgravamen(client: TestClient, world: World) -> None:
    out = _simulate(
        client,
        world,
        {
            "amount": "3000.00",
            "tea": "0.2400",
            "term": 12,
            "disbursement_date": "2026-03-01",
            "commission": "30.00",
            "insurance_monthly_rate": "0.0008",
        },
    )
    installments = out["installments"]
    assert isinstance(installments, list) and len(installments) == 12
    assert installments[0]["due_date"] == "2026-04-01"
    assert installments[-1]["balance_after"] == "0.00"
    totals = out["totals"]
    assert isinstance(totals, dict)
    assert totals["principal"] == "3000.00"
    assert out["amount_received"] == "2970.00"
    # what the member really pays for the credit is above the quoted TEA
    assert Decimal(str(out["tcea"])) > Decimal("0.24")
    assert sum(Decimal(i["total"]) for i in installments) == Decimal(totals["total_paid"])


def test_invalid_simulations_are_refused(client: TestClient, world: World) -> None:
    url = f"/api/v1/cooperatives/{world.a.id}/loan-simulations"
    h = world.a.headers[Role.credit_officer]
    r = client.post(
        url, json={"amount": "1000.00", "tea": "0.2", "term": 2, "frequency": "dates"}, headers=h
    )
    assert r.status_code == 422
    assert r.json()["code"] == "validation_error"
    r = client.post(
        url,
        json={
            "amount": "1000.00",
            "tea": "0.2",
            "term": 1,
            "grace_periods": 1,
            "grace_type": "capitalised",
        },
        headers=h,
    )
    assert r.status_code == 422
    assert r.json()["code"] == "schedule_invalid"
    assert (
        client.post(
            url, json={"amount": "1000.00", "tea": "0.2", "term": 2}, headers=world.fed_analyst
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "body",
    [
        # the schedule would run past the year 9999
        {"amount": "3000.00", "tea": "0.24", "term": 12, "disbursement_date": "9999-12-01"},
        # fees no annual rate can discount: no TCEA exists
        {
            "amount": "100.00",
            "tea": "0.24",
            "term": 1,
            "commission": "99.00",
            "installment_fee": "5000.00",
        },
    ],
    ids=["year-10000", "no-tcea"],
)
def test_impossible_simulations_are_refused_not_failed(
    client: TestClient, world: World, body: dict[str, object]
) -> None:
    r = client.post(
        f"/api/v1/cooperatives/{world.a.id}/loan-simulations",
        json=body,
        headers=world.a.headers[Role.credit_officer],
    )
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "schedule_invalid"
