"""A POST that creates is safe to retry with an Idempotency-Key: the link dropped after the
account was opened, the front-end sends it again, and the member still has one account."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.bank import Bank, key, new_dni
from tests.support.world import World


def test_a_retried_create_replays_and_creates_nothing_more(
    client: TestClient, bank: Bank, world: World
) -> None:
    k = key()
    body = {
        "document_type": "DNI",
        "document_number": new_dni(),
        "first_names": "Teodora",
        "last_names": "Ccama Apaza",
    }
    first = client.post(bank.url("/members"), json=body, headers={**bank.teller, **k})
    again = client.post(bank.url("/members"), json=body, headers={**bank.teller, **k})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    member = first.json()["id"]
    # the account the issue saw opened twice
    k = key()
    opening = {"member_id": member, "product_id": bank.sight_pen}
    accounts = [
        client.post(bank.url("/savings-accounts"), json=opening, headers={**bank.teller, **k})
        for _ in range(3)
    ]
    assert {a.status_code for a in accounts} == {201}
    assert len({a.json()["id"] for a in accounts}) == 1
    listed = client.get(
        bank.url(f"/members/{member}/savings-accounts"), headers=bank.teller
    ).json()["items"]
    assert len(listed) == 1
    # the same key with another body is refused, and creates nothing
    other = {**opening, "product_id": bank.sight_usd}
    r = client.post(bank.url("/savings-accounts"), json=other, headers={**bank.teller, **k})
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")
    # a refusal is kept too: the retry of a refused create answers the same refusal
    k = key()
    r1 = client.post(bank.url("/members"), json=body, headers={**bank.teller, **k})
    r2 = client.post(bank.url("/members"), json=body, headers={**bank.teller, **k})
    assert (r1.status_code, r1.json()["code"]) == (409, "member_exists")
    assert (r2.status_code, r2.headers["Idempotent-Replayed"]) == (409, "true")
    # a hold and a loan application, retried
    account = accounts[0].json()["id"]
    k = key()
    hold = {"amount": "10.00", "reason": "Orden judicial 123"}
    manager = world.a.headers[Role.manager]
    holds = [
        client.post(
            bank.url(f"/savings-accounts/{account}/holds"), json=hold, headers={**manager, **k}
        )
        for _ in range(2)
    ]
    assert [h.status_code for h in holds] == [201, 201]
    assert holds[0].json()["id"] == holds[1].json()["id"]
    # without a key, as before: each POST creates
    r = client.post(bank.url("/savings-accounts"), json=opening, headers=bank.teller)
    assert r.status_code == 201 and r.json()["id"] != accounts[0].json()["id"]


def test_the_federations_creates_are_safe_to_retry(client: TestClient, world: World) -> None:
    body = {"code": "COOPRETRY", "name": "Cooperativa Reintento", "ruc": "20600001150",
            "sbs_level": "1"}  # fmt: skip
    k = key()
    first = client.post("/api/v1/cooperatives", json=body, headers={**world.fed_admin, **k})
    again = client.post("/api/v1/cooperatives", json=body, headers={**world.fed_admin, **k})
    assert (first.status_code, again.status_code) == (201, 201), first.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = {**body, "code": "COOPOTRA"}
    r = client.post("/api/v1/cooperatives", json=other, headers={**world.fed_admin, **k})
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")
    # a refusal is kept as the answer too
    k = key()
    r1 = client.post("/api/v1/cooperatives", json=body, headers={**world.fed_admin, **k})
    r2 = client.post("/api/v1/cooperatives", json=body, headers={**world.fed_admin, **k})
    assert (r1.status_code, r1.json()["code"]) == (409, "cooperative_exists")
    assert (r2.status_code, r2.headers["Idempotent-Replayed"]) == (409, "true")
    k = key()
    user = {"username": "fed.reintento", "full_name": "Analista", "roles": ["federation_analyst"]}
    made = [
        client.post("/api/v1/federation/users", json=user, headers={**world.fed_admin, **k})
        for _ in range(2)
    ]
    assert [m.status_code for m in made] == [201, 201], made[0].text
    assert made[0].json()["id"] == made[1].json()["id"]
    # the activation code is shown once: the replay leaves it out
    assert made[0].json()["activation_code"] and made[1].json()["activation_code"] is None
