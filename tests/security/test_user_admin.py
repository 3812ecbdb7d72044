"""The attacks: an admin created an officer, a committee member and a teller, logged in as
each with the password it had chosen, and with them created, approved and disbursed a loan;
it created a second admin, who gave the first the manager role. Now nobody knows another's
password (a one-time activation code), and a role that moves or approves money, an admin,
or a disabled user enabled again waits for another admin or the manager."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from coopac_core.db import ALL_TENANTS, Database
from coopac_core.security.roles import Role
from tests.support.world import PASSWORD, World, activate, login


def _make(
    client: TestClient, coop: str, h: dict[str, str], username: str, roles: list[str], **more: Any
) -> dict[str, Any]:
    r = client.post(
        f"/api/v1/cooperatives/{coop}/users",
        json={"username": username, "full_name": username, "roles": roles, **more},
        headers=h,
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def _approve(client: TestClient, coop: str, request_id: str, h: dict[str, str]) -> Any:
    return client.post(
        f"/api/v1/cooperatives/{coop}/user-access-requests/{request_id}/approve",
        json={"note": "revisado"},
        headers=h,
    )


def test_a_new_user_chooses_their_own_password_with_a_one_time_code(
    client: TestClient, world: World, db: Database
) -> None:
    coop, admin = world.a.id, world.a.headers[Role.admin]
    r = client.post(
        f"/api/v1/cooperatives/{coop}/users",
        json={
            "username": "coopa.act",
            "password": PASSWORD,
            "full_name": "X",
            "roles": ["auditor"],
        },
        headers=admin,
    )
    assert (r.status_code, r.json()["errors"][0]["type"]) == (422, "password_not_settable")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    made = _make(client, coop, {**admin, **key}, "coopa.act", ["auditor"])
    code = made["activation_code"]
    assert len(code.replace("-", "")) == 12 and made["activation_expires_at"]
    assert made["roles"] == ["auditor"] and made["access_request"] is None
    # answered once: a retry with the same key leaves the code out
    again = client.post(
        f"/api/v1/cooperatives/{coop}/users",
        json={"username": "coopa.act", "full_name": "coopa.act", "roles": ["auditor"]},
        headers={**admin, **key},
    )
    assert (again.status_code, again.json()["id"]) == (201, made["id"])
    assert again.json()["activation_code"] is None
    # no password works before activation
    for guess in (PASSWORD, code, ""):
        r = client.post("/api/v1/auth/token", data={"username": "coopa.act", "password": guess})
        assert r.status_code in (400, 401)
    r = client.post(
        "/api/v1/auth/activate",
        json={
            "username": "coopa.act",
            "activation_code": "AAAA-BBBB-CCCC",
            "new_password": PASSWORD,
        },
    )
    assert (r.status_code, r.json()["code"]) == (401, "activation_code_invalid")
    # another user's name with this code is no use either
    r = client.post(
        "/api/v1/auth/activate",
        json={"username": "coopa.teller", "activation_code": code, "new_password": PASSWORD},
    )
    assert (r.status_code, r.json()["code"]) == (401, "activation_code_invalid")
    # typed in lower case, without dashes: the same code
    r = client.post(
        "/api/v1/auth/activate",
        json={"activation_code": code.replace("-", "").lower(), "new_password": PASSWORD},
    )
    assert r.status_code == 200, r.text
    assert r.json()["password_change_required"] is False
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert me.json()["username"] == "coopa.act"
    login(client, "coopa.act")
    # once only
    r = client.post(
        "/api/v1/auth/activate", json={"activation_code": code, "new_password": PASSWORD + "x"}
    )
    assert (r.status_code, r.json()["code"]) == (401, "activation_code_invalid")
    r = client.post(
        f"/api/v1/cooperatives/{coop}/users/{made['id']}/activation-code", headers=admin
    )
    assert (r.status_code, r.json()["code"]) == (409, "user_already_activated")

    # a code past its 72 hours: refused, and a new one replaces it
    late = _make(client, coop, admin, "coopa.tarde", ["auditor"])
    with db.session(ALL_TENANTS) as s:
        s.execute(
            text("UPDATE staff_user SET activation_expires_at = now() - :d WHERE id = :u"),
            {"d": timedelta(seconds=1), "u": late["id"]},
        )
    r = client.post(
        "/api/v1/auth/activate",
        json={"activation_code": late["activation_code"], "new_password": PASSWORD},
    )
    assert (r.status_code, r.json()["code"]) == (401, "activation_code_expired")
    r = client.post(
        f"/api/v1/cooperatives/{coop}/users/{late['id']}/activation-code", headers=admin
    )
    assert r.status_code == 200 and r.json()["activation_code"] != late["activation_code"]
    fresh = r.json()["activation_code"]
    # what is kept of a code is a digest of it, never the code
    with db.session(ALL_TENANTS) as s:
        kept = s.execute(
            text("SELECT activation_code_hash FROM staff_user WHERE id = :u"), {"u": late["id"]}
        ).scalar_one()
    assert len(kept) == 64 and fresh.replace("-", "").lower() not in kept.lower()
    # the replaced code no longer names anyone
    r = client.post(
        "/api/v1/auth/activate",
        json={"activation_code": late["activation_code"], "new_password": PASSWORD},
    )
    assert (r.status_code, r.json()["code"]) == (401, "activation_code_invalid")
    r = client.post(
        "/api/v1/auth/activate", json={"activation_code": fresh, "new_password": PASSWORD}
    )
    assert r.status_code == 200


def test_an_admin_alone_gives_no_one_a_money_role(client: TestClient, world: World) -> None:
    coop, admin = world.a.id, world.a.headers[Role.admin]
    manager = world.a.headers[Role.manager]
    puno = world.a.branches["PUNO"]
    officer = _make(client, coop, admin, "coopa.of2", ["credit_officer"])
    committee = _make(client, coop, admin, "coopa.cc2", ["credit_committee"])
    teller = _make(client, coop, admin, "coopa.caja2", ["teller"], branch_id=puno)
    # the officer prepares (no money): at once; the committee and the teller: asked for
    assert officer["roles"] == ["credit_officer"] and officer["access_request"] is None
    for made, role in ((committee, "credit_committee"), (teller, "teller")):
        assert made["roles"] == [] and made["access_request"]["status"] == "pending"
        assert made["access_request"]["roles"] == [role]
    # the admin holds the codes and logs in as them: they hold nothing that moves money
    as_committee = activate(client, committee)
    r = client.get(f"/api/v1/cooperatives/{coop}/loans", headers=as_committee)
    assert (r.status_code, r.json()["code"]) == (404, "cooperative_not_found")
    # the admin cannot approve its own request; an API key never decides
    r = _approve(client, coop, committee["access_request"]["id"], admin)
    assert (r.status_code, r.json()["code"]) == (403, "approver_is_requester")
    # the officer, the auditor cannot decide; the federation neither, once there is a manager
    for h in (world.a.headers[Role.credit_officer], world.a.headers[Role.auditor]):
        assert _approve(client, coop, committee["access_request"]["id"], h).status_code == 403
    r = _approve(client, coop, committee["access_request"]["id"], world.fed_admin)
    assert (r.status_code, r.json()["code"]) == (403, "user_access_decided_by_cooperative")
    # the manager rejects the teller and approves the committee member
    r = client.post(
        f"/api/v1/cooperatives/{coop}/user-access-requests/{teller['access_request']['id']}/reject",
        json={"note": "no corresponde"},
        headers=manager,
    )
    assert (r.status_code, r.json()["status"]) == (200, "rejected")
    r = _approve(client, coop, committee["access_request"]["id"], manager)
    assert r.status_code == 200 and r.json()["roles"] == ["credit_committee"]
    r = _approve(client, coop, committee["access_request"]["id"], manager)
    assert (r.status_code, r.json()["code"]) == (409, "user_access_request_decided")
    r = client.get(f"/api/v1/cooperatives/{coop}/users/{teller['id']}", headers=admin)
    assert r.json()["roles"] == []
    # the audit trail shows who asked, who decided
    request_id = committee["access_request"]["id"]
    seen = set()
    for action in ("user_access.request", "user_access.approve"):
        r = client.get(
            f"/api/v1/cooperatives/{coop}/audit-events?action={action}&limit=200", headers=admin
        )
        seen |= {
            (e["action"], e["actor_name"])
            for e in r.json()["items"]
            if e["resource_id"] == request_id
        }
    assert seen == {
        ("user_access.request", "coopa.admin"),
        ("user_access.approve", "coopa.manager"),
    }


def test_an_admin_made_by_an_admin_gives_its_maker_nothing(
    client: TestClient, world: World
) -> None:
    coop, admin = world.a.id, world.a.headers[Role.admin]
    manager = world.a.headers[Role.manager]
    second = _make(client, coop, admin, "coopa.admin.hecho", ["admin"])
    assert second["roles"] == [] and second["access_request"]["roles"] == ["admin"]
    r = _approve(client, coop, second["access_request"]["id"], manager)
    assert r.status_code == 200 and r.json()["roles"] == ["admin"]
    as_second = activate(client, second)  # the first admin held the code
    # the second admin asks the manager role for the first (less admin): the first may not
    # decide it (about itself), nor anything the second asks (it made the second)
    first = world.a.users[Role.admin]
    r = client.patch(
        f"/api/v1/cooperatives/{coop}/users/{first}", json={"roles": ["manager"]}, headers=as_second
    )
    assert r.status_code == 202, r.text
    about_first = r.json()["id"]
    assert (
        _approve(client, coop, about_first, admin).json()["code"] == "user_access_not_independent"
    )
    puppet = _make(
        client, coop, as_second, "coopa.titere", ["teller"], branch_id=world.a.branches["PUNO"]
    )
    r = _approve(client, coop, puppet["access_request"]["id"], admin)
    assert (r.status_code, r.json()["code"]) == (403, "user_access_not_independent")
    # one pending request per user
    r = client.patch(
        f"/api/v1/cooperatives/{coop}/users/{first}",
        json={"roles": ["accountant"]},
        headers=as_second,
    )
    assert (r.status_code, r.json()["code"]) == (409, "user_access_request_pending")
    r = client.post(
        f"/api/v1/cooperatives/{coop}/user-access-requests/{about_first}/reject",
        json={},
        headers=manager,
    )
    assert r.status_code == 200
    r = client.get(f"/api/v1/cooperatives/{coop}/users/{first}", headers=manager)
    assert r.json()["roles"] == ["admin"]
    # taking power away needs no one: immediate, even beside a request for more
    r = client.patch(
        f"/api/v1/cooperatives/{coop}/users/{second['id']}",
        json={"is_active": False, "roles": ["manager"]},
        headers=admin,
    )
    assert (r.status_code, r.json()["roles"]) == (202, ["manager"]), r.text
    r = client.get(f"/api/v1/cooperatives/{coop}/users/{second['id']}", headers=manager)
    assert (r.json()["is_active"], r.json()["roles"]) == (False, ["admin"])
    r = client.get("/api/v1/me", headers=as_second)
    assert (r.status_code, r.json()["code"]) == (401, "token_revoked")


def test_a_new_cooperative_is_founded_by_its_admin_and_the_federation(
    client: TestClient, world: World
) -> None:
    """Nobody in the cooperative can decide its admin's first requests: the federation does,
    until the cooperative has its manager."""
    fed = world.fed_admin
    r = client.post(
        "/api/v1/cooperatives",
        json={"code": "COOPFUND", "name": "Nueva", "ruc": "20600999118", "sbs_level": "1"},
        headers=fed,
    )
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    first = _make(client, cid, fed, "fund.admin", ["admin"])
    assert first["roles"] == ["admin"] and first["access_request"] is None
    admin = activate(client, first)
    r = client.post(
        f"/api/v1/cooperatives/{cid}/users",
        json={"username": "fund.admin2", "full_name": "X", "roles": ["admin"]},
        headers=fed,
    )
    assert (r.status_code, r.json()["code"]) == (403, "federation_first_admin_only")
    gerente = _make(client, cid, admin, "fund.gerente", ["manager"])
    assert gerente["roles"] == []
    r = _approve(client, cid, gerente["access_request"]["id"], fed)
    assert r.status_code == 200 and r.json()["roles"] == ["manager"]
    manager = activate(client, gerente)
    analyst = world.fed_analyst
    accountant = _make(client, cid, admin, "fund.contador", ["accountant"])
    request = accountant["access_request"]["id"]
    assert _approve(client, cid, request, analyst).status_code == 403
    r = _approve(client, cid, request, fed)
    assert (r.status_code, r.json()["code"]) == (403, "user_access_decided_by_cooperative")
    assert _approve(client, cid, request, manager).status_code == 200
