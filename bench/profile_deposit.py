"""Where a deposit's time goes: SQL statements, time inside the database, and the rest.

    .venv/bin/python bench/profile_deposit.py [--deposits 300]

Runs the service in-process (one client, no network) against a scratch database on the
benchmark's PostgreSQL and counts every statement the deposit endpoint sends.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import fresh_database, server_url  # noqa: E402

from coopac_core.config import Settings  # noqa: E402
from coopac_core.db import ALL_TENANTS, Database, app_url, make_engine, migrate  # noqa: E402
from coopac_core.main import create_app  # noqa: E402
from coopac_core.savings import movements  # noqa: E402
from coopac_core.savings.schemas import CashMovementRequest  # noqa: E402
from coopac_core.security import service as security  # noqa: E402
from coopac_core.security.principal import CoopContext, Principal  # noqa: E402
from coopac_core.security.roles import Role  # noqa: E402
from coopac_core.security.schemas import FederationUserCreate  # noqa: E402

PASSWORD = "profile-password-1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deposits", type=int, default=300)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coopac-profile-"))
    owner = fresh_database(server_url(tmp), "coopac_profile")
    settings = Settings(
        database_url=owner.render_as_string(hide_password=False),
        data_dir=tmp,
        secret_key="profile-secret-key-0123456789-abcdefghijkl",  # type: ignore[arg-type]
        log_level="WARNING",
    )
    migrate(owner, settings)
    db = Database(owner, make_engine(app_url(owner, settings), settings))
    with db.session(ALL_TENANTS) as session:
        security.create_federation_user(
            session,
            None,
            FederationUserCreate(
                username="fed.admin",
                password=PASSWORD,
                full_name="x",
                roles=[Role.federation_admin],
            ),
            must_change_password=False,
        )
    with TestClient(create_app(settings, db)) as c:
        token = c.post(
            "/api/v1/auth/token", data={"username": "fed.admin", "password": PASSWORD}
        ).json()
        h = {"Authorization": f"Bearer {token['access_token']}"}
        coop = c.post(
            "/api/v1/cooperatives",
            json={"code": "P", "name": "P", "ruc": "20131312955", "sbs_level": "1"},
            headers=h,
        ).json()
        p = f"/api/v1/cooperatives/{coop['id']}"
        branch = c.post(
            f"{p}/branches", json={"code": "A", "name": "A", "ubigeo": "210101"}, headers=h
        ).json()
        product = c.post(
            f"{p}/savings-products",
            json={"code": "AHV", "name": "A", "kind": "sight", "currency": "PEN", "tea": "0.01"},
            headers=h,
        ).json()
        member = c.post(
            f"{p}/members",
            json={
                "document_type": "DNI",
                "document_number": "12345678",
                "first_names": "A",
                "last_names": "B",
            },
            headers=h,
        ).json()
        account = c.post(
            f"{p}/savings-accounts",
            json={"member_id": member["id"], "product_id": product["id"]},
            headers=h,
        ).json()
        # the federation reads; the cooperative's manager moves the money
        c.post(
            f"{p}/users",
            json={
                "username": "p.gerente",
                "password": PASSWORD,
                "full_name": "G",
                "roles": ["manager"],
            },
            headers=h,
        )
        first = c.post(
            "/api/v1/auth/token", data={"username": "p.gerente", "password": PASSWORD}
        ).json()
        # a user the admin made chooses their own password first
        token = c.post(
            "/api/v1/auth/password",
            json={"current_password": PASSWORD, "new_password": PASSWORD + "-own"},
            headers={"Authorization": f"Bearer {first['access_token']}"},
        ).json()
        h = {"Authorization": f"Bearer {token['access_token']}"}

        def deposit() -> None:
            r = c.post(
                f"{p}/savings-accounts/{account['id']}/deposits",
                json={"amount": "1.00", "branch_id": branch["id"]},
                headers={**h, "Idempotency-Key": str(uuid.uuid4())},
            )
            assert r.status_code == 201, r.text

        for _ in range(50):
            deposit()
        stats: dict[str, Any] = {"n": 0, "t": 0.0, "sql": []}

        @event.listens_for(db.engine, "before_cursor_execute")
        def before(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            conn.info["t0"] = time.perf_counter()

        @event.listens_for(db.engine, "after_cursor_execute")
        def after(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            stats["n"] += 1
            stats["t"] += time.perf_counter() - conn.info["t0"]
            if len(stats["sql"]) < 40:
                stats["sql"].append(" ".join(statement.split())[:100])

        deposit()
        print("statements of one deposit:")
        for line in stats["sql"]:
            print("  " + line)
        stats.update(n=0, t=0.0)
        started = time.perf_counter()
        for _ in range(args.deposits):
            deposit()
        elapsed = time.perf_counter() - started
        # the same deposit without HTTP, auth or idempotency: the service and the ORM alone
        coop_id = uuid.UUID(coop["id"])
        principal = Principal(name="profile", federation_roles=frozenset({Role.federation_admin}))
        ctx = CoopContext(coop_id, principal, frozenset({Role.federation_admin}))
        body = CashMovementRequest(amount=Decimal("1.00"), branch_id=uuid.UUID(branch["id"]))
        service_stats = dict(stats)
        stats.update(n=0, t=0.0)
        started = time.perf_counter()
        for _ in range(args.deposits):
            with db.session(coop_id) as session:
                movements.deposit(session, ctx, uuid.UUID(account["id"]), body)
        direct = time.perf_counter() - started
    n = args.deposits
    print(
        f"\nper deposit over HTTP (in-process): {service_stats['n'] / n:.1f} statements, "
        f"{service_stats['t'] / n * 1000:.2f} ms waiting on the database, {elapsed / n * 1000:.2f} ms "
        f"in all ({(elapsed - service_stats['t']) / n * 1000:.2f} ms in Python)"
    )
    print(
        f"per deposit calling the service directly: {stats['n'] / n:.1f} statements, "
        f"{stats['t'] / n * 1000:.2f} ms waiting on the database, {direct / n * 1000:.2f} ms in all"
    )
    db.dispose()


if __name__ == "__main__":
    main()
